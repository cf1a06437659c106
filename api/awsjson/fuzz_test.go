package awsjson_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"stepline/api/awsjson"
	"stepline/api/sfnapi"
)

// accept returns a handler that checks Validate held and answers with an
// empty output.
func accept[In any, Out any](t *testing.T) func(context.Context, *In) (*Out, error) {
	return func(ctx context.Context, in *In) (*Out, error) {
		if v, ok := any(in).(interface{ Validate() error }); ok && v.Validate() != nil {
			t.Errorf("handler ran on input that fails validation: %v", v.Validate())
		}
		return new(Out), nil
	}
}

func fuzzService(t *testing.T) *awsjson.Service {
	svc := awsjson.NewService(awsjson.Config{TargetPrefix: "AWSStepFunctions", ErrorNamespace: "ns", MaxBodyBytes: 4096})
	awsjson.Handle(svc, "StartExecution", accept[sfnapi.StartExecutionInput, sfnapi.StartExecutionOutput](t))
	awsjson.Handle(svc, "ListExecutions", accept[sfnapi.ListExecutionsInput, sfnapi.ListExecutionsOutput](t))
	awsjson.Handle(svc, "CreateStateMachine", accept[sfnapi.CreateStateMachineInput, sfnapi.CreateStateMachineOutput](t))
	awsjson.Handle(svc, "CreateStateMachineAlias", accept[sfnapi.CreateStateMachineAliasInput, sfnapi.CreateStateMachineAliasOutput](t))
	awsjson.Handle(svc, "TestState", accept[sfnapi.TestStateInput, sfnapi.TestStateOutput](t))
	awsjson.Handle(svc, "TagResource", accept[sfnapi.TagResourceInput, sfnapi.TagResourceOutput](t))
	awsjson.Handle(svc, "GetExecutionHistory", accept[sfnapi.GetExecutionHistoryInput, sfnapi.GetExecutionHistoryOutput](t))
	awsjson.Handle(svc, "Panic", func(ctx context.Context, in *sfnapi.StopExecutionInput) (*sfnapi.StopExecutionOutput, error) {
		panic("deliberate")
	})
	return svc
}

func FuzzServeHTTP(f *testing.F) {
	for _, seed := range []struct{ op, body string }{
		{"StartExecution", `{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:m","name":"x","input":"{}"}`},
		{"ListExecutions", `{"stateMachineArn":"a","maxResults":1001,"statusFilter":"RUNNING"}`},
		{"CreateStateMachine", `{"name":"m","definition":"{}","roleArn":"r","type":"EXPRESS","tags":[{"key":"k","value":"v"}],"loggingConfiguration":{"level":"ALL","destinations":[{"cloudWatchLogsLogGroup":{"logGroupArn":"x"}}]}}`},
		{"CreateStateMachineAlias", `{"name":"1","routingConfiguration":[{"stateMachineVersionArn":"a","weight":101},{}]}`},
		{"TestState", `{"definition":"{}","inspectionLevel":"TRACE","mock":{"result":"x"}}`},
		{"TagResource", `{"resourceArn":"a","tags":null}`},
		{"GetExecutionHistory", `{"executionArn":"a","reverseOrder":true,"nextToken":""}`},
		{"Panic", `{}`},
		{"Nope", `[]`},
	} {
		f.Add(seed.op, seed.body)
	}
	f.Fuzz(func(t *testing.T, op, body string) {
		svc := fuzzService(t)
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, req)

		require.NotEmpty(t, rec.Header().Get("X-Amzn-RequestId"))
		var resp map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp), rec.Body.String())
		switch rec.Code {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			require.Contains(t, resp["__type"], "#")
			if msg, ok := resp["message"].(string); ok {
				require.True(t, utf8.ValidString(msg))
			}
		case http.StatusInternalServerError:
			require.Equal(t, "Panic", op, "unexpected 500 for %q", body)
			require.Equal(t, "com.amazon.coral.service#InternalFailure", resp["__type"])
		default:
			t.Fatalf("status %d for %q", rec.Code, body)
		}
	})
}
