package main

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestKillDuringWait is the durability contract (DESIGN.md §3) end to end: an
// execution waiting in a Wait state survives SIGKILL of the server, and the restarted
// server on the same data directory finishes it, with a history that has no gap,
// duplicate or reordering.
func TestKillDuringWait(t *testing.T) {
	bin := mustBuildBinary(t)
	dataDir := t.TempDir()
	port := freePort(t)
	ctx := t.Context()

	srv := startServe(t, bin, port, dataDir)
	client := e2eClient(srv.url)
	sm, err := client.CreateStateMachine(ctx, &awssfn.CreateStateMachineInput{
		Name: aws.String("Survivor"), RoleArn: aws.String("arn:aws:iam::000000000000:role/stepline"),
		Definition: aws.String(`{"StartAt":"Before","States":{
			"Before":{"Type":"Pass","Result":{"step":1},"Next":"Wait"},
			"Wait":{"Type":"Wait","Seconds":2,"Next":"After"},
			"After":{"Type":"Pass","End":true}}}`),
	})
	require.NoError(t, err)
	start, err := client.StartExecution(ctx, &awssfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: aws.String("survive-kill")})
	skipIfNoExecutions(t, err)
	require.NoError(t, err)

	// Durable on return: the Wait has begun, so kill the server in the middle of it.
	desc, err := client.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
	require.NoError(t, err)
	require.Equal(t, types.ExecutionStatusRunning, desc.Status)
	srv.kill()

	srv = startServe(t, bin, port, dataDir)
	client = e2eClient(srv.url)
	require.Eventually(t, func() bool {
		desc, err = client.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
		require.NoError(t, err)
		return desc.Status != types.ExecutionStatusRunning
	}, 60*time.Second, 20*time.Millisecond, "server output:\n%s", srv.output.String())
	require.Equal(t, types.ExecutionStatusSucceeded, desc.Status, "%s %s", aws.ToString(desc.Error), aws.ToString(desc.Cause))
	require.Equal(t, `{"step":1}`, aws.ToString(desc.Output))

	hist, err := client.GetExecutionHistory(ctx, &awssfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn})
	require.NoError(t, err)
	var got []string
	for i, e := range hist.Events {
		require.Equal(t, int64(i+1), e.Id)
		got = append(got, string(e.Type))
	}
	require.Equal(t, []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "WaitStateEntered",
		"WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"}, got)
}
