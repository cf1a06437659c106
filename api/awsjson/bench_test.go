package awsjson_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"stepline/api/awsjson"
	"stepline/api/sfnapi"
)

// BenchmarkStartExecution measures the protocol's share of a StartExecution
// call: routing, decoding, validation, encoding and the request id.
func BenchmarkStartExecution(b *testing.B) {
	svc := awsjson.NewService(awsjson.Config{TargetPrefix: "AWSStepFunctions", ErrorNamespace: "ns"})
	awsjson.Handle(svc, "StartExecution", func(ctx context.Context, in *sfnapi.StartExecutionInput) (*sfnapi.StartExecutionOutput, error) {
		return &sfnapi.StartExecutionOutput{ExecutionArn: in.StateMachineArn + ":x", StartDate: awsjson.NewTime(testStart)}, nil
	})
	body := `{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:HelloWorld","name":"run-0001","input":"{\"a\":1,\"b\":[1,2,3]}"}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.StartExecution")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20261125/us-west-2/states/aws4_request, SignedHeaders=host;x-amz-date, Signature=00")
		rec := httptest.NewRecorder()
		svc.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Body.String())
		}
	}
}
