package sfnapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"

	"stepline/api/server/servertest"
)

// execBundle is a whole server driven by the AWS SDK, for the execution operations.
type execBundle struct {
	ctx    context.Context
	client *awssfn.Client
	srv    *servertest.Server
}

func setupExec(t testing.TB) *execBundle {
	t.Helper()
	srv := servertest.Start(t)
	return &execBundle{ctx: context.Background(), client: srv.SFNClient(), srv: srv}
}

func (b *execBundle) createSM(t testing.TB, name, def string, typ types.StateMachineType) string {
	t.Helper()
	in := &awssfn.CreateStateMachineInput{Name: aws.String(name), Definition: aws.String(def), RoleArn: aws.String(roleARN)}
	if typ != "" {
		in.Type = typ
	}
	out, err := b.client.CreateStateMachine(b.ctx, in)
	require.NoError(t, err)
	return aws.ToString(out.StateMachineArn)
}

func (b *execBundle) start(t testing.TB, sm, name, input string) *awssfn.StartExecutionOutput {
	t.Helper()
	in := &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm)}
	if name != "" {
		in.Name = aws.String(name)
	}
	if input != "" {
		in.Input = aws.String(input)
	}
	out, err := b.client.StartExecution(b.ctx, in)
	require.NoError(t, err)
	return out
}

// waitStatus polls DescribeExecution until the execution leaves RUNNING.
func (b *execBundle) waitStatus(t testing.TB, arn string) *awssfn.DescribeExecutionOutput {
	t.Helper()
	var out *awssfn.DescribeExecutionOutput
	require.Eventually(t, func() bool {
		var err error
		out, err = b.client.DescribeExecution(b.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		require.NoError(t, err)
		return out.Status != types.ExecutionStatusRunning
	}, 30*time.Second, 5*time.Millisecond)
	return out
}

func (b *execBundle) history(t testing.TB, arn string) []types.HistoryEvent {
	t.Helper()
	out, err := b.client.GetExecutionHistory(b.ctx, &awssfn.GetExecutionHistoryInput{ExecutionArn: aws.String(arn), MaxResults: 1000})
	require.NoError(t, err)
	return out.Events
}

func eventTypeList(events []types.HistoryEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = string(e.Type)
	}
	return out
}
