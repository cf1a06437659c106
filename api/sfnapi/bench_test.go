package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"stepline/api/server/servertest"
)

// BenchmarkDescribeStateMachine measures a read-only resource call over HTTP with the
// AWS SDK: signing, routing, decoding, one store read and the response.
func BenchmarkDescribeStateMachine(b *testing.B) {
	srv := servertest.Start(b)
	client := srv.SFNClient()
	out, err := client.CreateStateMachine(b.Context(), &awssfn.CreateStateMachineInput{Name: aws.String("B"),
		Definition: aws.String(helloWorld), RoleArn: aws.String(roleARN)})
	if err != nil {
		b.Fatal(err)
	}
	in := &awssfn.DescribeStateMachineInput{StateMachineArn: out.StateMachineArn}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := client.DescribeStateMachine(b.Context(), in); err != nil {
			b.Fatal(err)
		}
	}
}
