package main

import (
	"bytes"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestMain_MaxOpenExecutions runs serve with --max-open-executions 1 and checks the
// SDK gets AWS's ExecutionLimitExceeded once one execution is open.
func TestMain_MaxOpenExecutions(t *testing.T) {
	t.Parallel()
	cfg, err := ParseServeConfig([]string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--max-open-executions", "1"},
		func(string) string { return "" }, &bytes.Buffer{})
	require.NoError(t, err)
	m := NewMain(cfg)
	m.Stdout = &bytes.Buffer{}
	require.NoError(t, m.Run(t.Context()))
	t.Cleanup(func() { _ = m.Close() })

	ctx := t.Context()
	c := sfnClient(m.URL)
	sm, err := c.CreateStateMachine(ctx, &awssfn.CreateStateMachineInput{Name: aws.String("Waits"),
		Definition: aws.String(`{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::000000000000:role/stepline")})
	require.NoError(t, err)
	_, err = c.StartExecution(ctx, &awssfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	require.NoError(t, err)
	_, err = c.StartExecution(ctx, &awssfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	var limit *types.ExecutionLimitExceeded
	require.True(t, errors.As(err, &limit), "got %v", err)
	require.Equal(t, "The maximum number of running executions has been reached. Running executions must end or be stopped before a new execution can be started.", limit.ErrorMessage())
}
