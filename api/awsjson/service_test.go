package awsjson_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/awsjson"
	"stepline/api/sfnapi"
)

// testStart is the start date every StartExecution in these tests returns.
var testStart = time.Date(2026, 11, 25, 16, 0, 0, 123_000_000, time.UTC)

type testBundle struct {
	svc    *awsjson.Service
	server *httptest.Server
	client *sfn.Client
	// identities receives the identity each StartExecution ran as.
	identities chan stepline.Identity
}

// setup serves a small Step Functions look-alike built on the generated wire
// types, and returns an SDK client pointed at it.
func setup(t *testing.T) *testBundle {
	t.Helper()
	b := &testBundle{identities: make(chan stepline.Identity, 8)}
	b.svc = awsjson.NewService(awsjson.Config{
		TargetPrefix:    "AWSStepFunctions",
		JSONVersion:     "1.0",
		ErrorNamespace:  "com.amazonaws.swf.service.v2.model",
		MaxBodyBytes:    64 << 10,
		DefaultIdentity: stepline.Identity{Account: "000000000000", Region: "us-east-1"},
	})
	awsjson.Handle(b.svc, "StartExecution", func(ctx context.Context, in *sfnapi.StartExecutionInput) (*sfnapi.StartExecutionOutput, error) {
		id := stepline.IdentityFrom(ctx, stepline.Identity{})
		b.identities <- id
		name := "generated"
		if in.Name != nil {
			name = *in.Name
		}
		return &sfnapi.StartExecutionOutput{
			ExecutionArn: "arn:" + id.Partition + ":states:" + id.Region + ":" + id.Account + ":execution:m:" + name,
			StartDate:    awsjson.NewTime(testStart),
		}, nil
	})
	awsjson.Handle(b.svc, "DescribeExecution", func(ctx context.Context, in *sfnapi.DescribeExecutionInput) (*sfnapi.DescribeExecutionOutput, error) {
		return nil, stepline.Errorf("ExecutionDoesNotExist", "Execution Does Not Exist: '%s'", in.ExecutionArn)
	})
	awsjson.Handle(b.svc, "ListExecutions", func(ctx context.Context, in *sfnapi.ListExecutionsInput) (*sfnapi.ListExecutionsOutput, error) {
		return &sfnapi.ListExecutionsOutput{Executions: []sfnapi.ExecutionListItem{}}, nil
	})
	awsjson.Handle(b.svc, "StopExecution", func(ctx context.Context, in *sfnapi.StopExecutionInput) (*sfnapi.StopExecutionOutput, error) {
		panic("deliberate")
	})
	awsjson.Handle(b.svc, "DeleteActivity", func(ctx context.Context, in *sfnapi.DeleteActivityInput) (*sfnapi.DeleteActivityOutput, error) {
		return nil, errors.New("disk on fire")
	})
	awsjson.Handle(b.svc, "TagResource", func(ctx context.Context, in *sfnapi.TagResourceInput) (*sfnapi.TagResourceOutput, error) {
		return &sfnapi.TagResourceOutput{}, nil
	})
	awsjson.Handle(b.svc, "CreateStateMachineAlias", func(ctx context.Context, in *sfnapi.CreateStateMachineAliasInput) (*sfnapi.CreateStateMachineAliasOutput, error) {
		return &sfnapi.CreateStateMachineAliasOutput{}, nil
	})
	awsjson.Handle(b.svc, "UpdateStateMachine", func(ctx context.Context, in *sfnapi.UpdateStateMachineInput) (*sfnapi.UpdateStateMachineOutput, error) {
		return &sfnapi.UpdateStateMachineOutput{UpdateDate: awsjson.NewTime(testStart)}, nil
	})
	b.server = httptest.NewServer(b.svc)
	t.Cleanup(b.server.Close)
	b.client = sfn.New(sfn.Options{
		BaseEndpoint: aws.String(b.server.URL),
		Region:       "us-west-2",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer:      aws.NopRetryer{},
	})
	return b
}

// post sends a raw request, for what an SDK would never send.
func (b *testBundle) post(t *testing.T, target, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, b.server.URL, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m), string(raw))
	return resp, m
}

func TestSDKSuccess(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out, err := b.client.StartExecution(t.Context(), &sfn.StartExecutionInput{
		StateMachineArn: aws.String("arn:aws:states:us-west-2:000000000000:stateMachine:m"),
		Name:            aws.String("run-1"),
	})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:states:us-west-2:000000000000:execution:m:run-1", *out.ExecutionArn)
	require.True(t, testStart.Equal(*out.StartDate), "start date %v", out.StartDate)
	id := <-b.identities
	require.Equal(t, stepline.Identity{Account: "000000000000", Region: "us-west-2", Partition: "aws"}, id)
}

func TestSDKTypedError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := "arn:aws:states:us-west-2:000000000000:execution:m:x"
	_, err := b.client.DescribeExecution(t.Context(), &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
	var notFound *types.ExecutionDoesNotExist
	require.ErrorAs(t, err, &notFound)
	require.Equal(t, "Execution Does Not Exist: '"+arn+"'", notFound.ErrorMessage())
}

func TestSDKValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := aws.String("arn:aws:states:us-west-2:000000000000:stateMachine:m")
	for _, tc := range []struct {
		name string
		call func() error
		want string
	}{
		{"NameTooLong", func() error {
			_, err := b.client.StartExecution(t.Context(), &sfn.StartExecutionInput{StateMachineArn: arn, Name: aws.String(strings.Repeat("n", 81))})
			return err
		}, "1 validation error detected: Value '" + strings.Repeat("n", 81) + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"},
		{"MaxResults", func() error {
			_, err := b.client.ListExecutions(t.Context(), &sfn.ListExecutionsInput{StateMachineArn: arn, MaxResults: 1001})
			return err
		}, "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"Enum", func() error {
			_, err := b.client.ListExecutions(t.Context(), &sfn.ListExecutionsInput{StateMachineArn: arn, StatusFilter: "DONE"})
			return err
		}, "1 validation error detected: Value 'DONE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"},
		{"Nested", func() error {
			_, err := b.client.UpdateStateMachine(t.Context(), &sfn.UpdateStateMachineInput{StateMachineArn: arn, TracingConfiguration: &types.TracingConfiguration{}, LoggingConfiguration: &types.LoggingConfiguration{Level: "LOUD"}})
			return err
		}, "1 validation error detected: Value 'LOUD' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, FATAL, ERROR, OFF]"},
		{"ListMember", func() error {
			_, err := b.client.CreateStateMachineAlias(t.Context(), &sfn.CreateStateMachineAliasInput{Name: aws.String("live"), RoutingConfiguration: []types.RoutingConfigurationListItem{
				{StateMachineVersionArn: aws.String("arn:1"), Weight: 50},
				{StateMachineVersionArn: aws.String("arn:2"), Weight: 101},
			}})
			return err
		}, "1 validation error detected: Value '101' at 'routingConfiguration.2.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"Several", func() error {
			_, err := b.client.ListExecutions(t.Context(), &sfn.ListExecutionsInput{StateMachineArn: aws.String(""), MaxResults: -1})
			return err
		}, "2 validation errors detected: Value '-1' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0; Value '' at 'stateMachineArn' failed to satisfy constraint: Member must have length greater than or equal to 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var ve *types.ValidationException
			require.ErrorAs(t, err, &ve)
			require.Equal(t, tc.want, ve.ErrorMessage())
		})
	}
}

func TestSDKInternalFailure(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for name, call := range map[string]func() error{
		"Error": func() error {
			_, err := b.client.DeleteActivity(t.Context(), &sfn.DeleteActivityInput{ActivityArn: aws.String("arn")})
			return err
		},
		"Panic": func() error {
			_, err := b.client.StopExecution(t.Context(), &sfn.StopExecutionInput{ExecutionArn: aws.String("arn")})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := call()
			var ae smithy.APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, "InternalFailure", ae.ErrorCode())
			require.NotContains(t, err.Error(), "fire")
		})
	}
	// The server survived the panic.
	_, err := b.client.StartExecution(t.Context(), &sfn.StartExecutionInput{StateMachineArn: aws.String("arn")})
	require.NoError(t, err)
}

func TestRawProtocol(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, tc := range []struct {
		name, target, body string
		status             int
		typ                string
		message            string
	}{
		{"UnknownOperation", "AWSStepFunctions.Nope", "{}", 400, "com.amazon.coral.service#UnknownOperationException", ""},
		{"ForeignPrefix", "CodePipeline_20150709.ListPipelines", "{}", 400, "com.amazon.coral.service#UnknownOperationException", ""},
		{"NoTarget", "", "{}", 400, "com.amazon.coral.service#UnknownOperationException", ""},
		{"MalformedJSON", "AWSStepFunctions.ListExecutions", `{"stateMachineArn":`, 400, "com.amazon.coral.service#SerializationException", ""},
		{"WrongType", "AWSStepFunctions.ListExecutions", `{"stateMachineArn":"a","maxResults":"ten"}`, 400, "com.amazon.coral.service#SerializationException", "class java.lang.String can not be converted to an Integer"},
		{"ObjectForString", "AWSStepFunctions.ListExecutions", `{"stateMachineArn":{}}`, 400, "com.amazon.coral.service#SerializationException", "Start of structure or map found where not expected."},
		{"Oversize", "AWSStepFunctions.StartExecution", `{"input":"` + strings.Repeat("x", 70<<10) + `"}`, 413, "com.amazon.coral.service#RequestEntityTooLargeException", "Request Entity Too Large"},
		{"Missing", "AWSStepFunctions.StartExecution", `{}`, 400, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"},
		{"NullIsMissing", "AWSStepFunctions.StartExecution", `{"stateMachineArn":null}`, 400, "com.amazon.coral.validate#ValidationException",
			"1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"},
		{"NullBody", "AWSStepFunctions.ListExecutions", `null`, 400, "com.amazon.coral.service#SerializationException", ""},
		{"ArrayBody", "AWSStepFunctions.ListExecutions", ` []`, 400, "com.amazon.coral.service#SerializationException", ""},
		{"EmptyBody", "AWSStepFunctions.ListExecutions", ``, 400, "com.amazon.coral.service#SerializationException", ""},
		{"NumberForString", "AWSStepFunctions.ListExecutions", `{"stateMachineArn":1}`, 400, "com.amazon.coral.service#SerializationException", "class java.math.BigDecimal can not be converted to an String"},
		{"ScalarForList", "AWSStepFunctions.TagResource", `{"resourceArn":"a","tags":"x"}`, 400, "com.amazon.coral.service#SerializationException", "Expected list or null"},
		{"ScalarForStructure", "AWSStepFunctions.UpdateStateMachine", `{"stateMachineArn":"a","tracingConfiguration":true}`, 400, "com.amazon.coral.service#SerializationException", "Expected null"},
		{"UnknownMemberIgnored", "AWSStepFunctions.ListExecutions", `{"stateMachineArn":"a","future":[1,{"x":2}]}`, 200, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := b.post(t, tc.target, tc.body)
			require.Equal(t, tc.status, resp.StatusCode, body)
			require.NotEmpty(t, resp.Header.Get("X-Amzn-RequestId"))
			require.Equal(t, "application/x-amz-json-1.0", resp.Header.Get("Content-Type"))
			if tc.typ == "" {
				return
			}
			require.Equal(t, tc.typ, body["__type"])
			require.Equal(t, tc.typ[strings.Index(tc.typ, "#")+1:], resp.Header.Get("X-Amzn-ErrorType"))
			if tc.message == "" {
				require.NotContains(t, body, "message")
			} else {
				require.Equal(t, tc.message, body["message"])
			}
		})
	}
}

func TestEmptyOutputIsEmptyObject(t *testing.T) {
	t.Parallel()
	svc := awsjson.NewService(awsjson.Config{TargetPrefix: "X", JSONVersion: "1.1"})
	awsjson.Handle(svc, "Op", func(ctx context.Context, in *struct{}) (*struct{}, error) { return nil, nil })
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "X.Op")
	rec := httptest.NewRecorder()
	svc.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, "{}", rec.Body.String())
	require.Equal(t, "application/x-amz-json-1.1", rec.Header().Get("Content-Type"))
}

func TestErrorFields(t *testing.T) {
	t.Parallel()
	svc := awsjson.NewService(awsjson.Config{TargetPrefix: "X", ErrorNamespace: "ns"})
	awsjson.Handle(svc, "Op", func(ctx context.Context, in *struct{}) (*struct{}, error) {
		return nil, &stepline.Error{Code: "ResourceNotFound", Message: "gone", Status: 404, Fields: map[string]any{"resourceName": "r"}}
	})
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "X.Op")
	rec := httptest.NewRecorder()
	svc.ServeHTTP(rec, req)
	require.Equal(t, http.StatusNotFound, rec.Code)
	require.JSONEq(t, `{"__type":"ns#ResourceNotFound","message":"gone","resourceName":"r"}`, rec.Body.String())
	require.Equal(t, "ResourceNotFound", rec.Header().Get("X-Amzn-ErrorType"))
}

type panickyOutput struct{}

func (panickyOutput) MarshalJSON() ([]byte, error) { panic("cannot encode") }

func TestUnencodableOutputIsInternalFailure(t *testing.T) {
	t.Parallel()
	svc := awsjson.NewService(awsjson.Config{TargetPrefix: "X"})
	awsjson.Handle(svc, "Panics", func(ctx context.Context, in *struct{}) (*panickyOutput, error) { return &panickyOutput{}, nil })
	awsjson.Handle(svc, "NaN", func(ctx context.Context, in *struct{}) (*struct{ F float64 }, error) {
		return &struct{ F float64 }{F: math.NaN()}, nil
	})
	for _, op := range []string{"Panics", "NaN"} {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
		req.Header.Set("X-Amz-Target", "X."+op)
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, req)
		require.Equal(t, http.StatusInternalServerError, rec.Code, op)
		require.JSONEq(t, `{"__type":"com.amazon.coral.service#InternalFailure"}`, rec.Body.String())
	}
}
