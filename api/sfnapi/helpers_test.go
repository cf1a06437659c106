package sfnapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"stepline/api/server/servertest"
)

const (
	roleARN = "arn:aws:iam::000000000000:role/stepline"
	smBase  = "arn:aws:states:us-east-1:000000000000:stateMachine:"
	actBase = "arn:aws:states:us-east-1:000000000000:activity:"
)

// helloWorld is the console's HelloWorld blueprint, the definition users start with.
const helloWorld = `{
  "Comment": "A Hello World example of the Amazon States Language using Pass states",
  "StartAt": "Hello",
  "States": {
    "Hello": {"Type": "Pass", "Result": "Hello", "Next": "World"},
    "World": {"Type": "Pass", "Result": "World", "End": true}
  }
}`

// passOnly is a second valid definition, for updates.
const passOnly = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

type testBundle struct {
	ctx    context.Context
	client *awssfn.Client
	srv    *servertest.Server
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	srv := servertest.Start(t)
	return &testBundle{ctx: t.Context(), client: srv.SFNClient(), srv: srv}
}

// requireAWSError checks that err is the AWS error code with exactly message.
func requireAWSError(t *testing.T, err error, code, message string) {
	t.Helper()
	require.Error(t, err)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "not an AWS API error: %v", err)
	require.Equal(t, code, ae.ErrorCode(), "message: %s", ae.ErrorMessage())
	if message != "" {
		require.Equal(t, message, ae.ErrorMessage())
	}
}

// createSM creates a state machine and returns its ARN.
func (b *testBundle) createSM(t *testing.T, name, def string) string {
	t.Helper()
	out, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{
		Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String(roleARN)})
	require.NoError(t, err)
	return aws.ToString(out.StateMachineArn)
}
