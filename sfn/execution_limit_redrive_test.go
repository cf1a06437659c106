package sfn_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
)

// TestExecutionLimitRedrive: a redrive opens an execution again, so at the quota it
// is refused like a start, and allowed once there is room.
func TestExecutionLimitRedrive(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	svc, closeSvc := MustOpenLimited(t, t.TempDir(), 1)
	defer closeSvc()
	b := &testBundle{ctx: ctx, svc: svc}
	waiting := b.mustCreate(t, "waiting", waitLong, "")

	first, err := svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "one"})
	require.NoError(t, err)
	_, err = svc.StopExecution(ctx, first.ExecutionARN, "", "")
	require.NoError(t, err)
	second, err := svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "two"})
	require.NoError(t, err)

	_, err = svc.RedriveExecution(ctx, first.ExecutionARN, "")
	requireLimitExceeded(t, err)
	ex, err := svc.DescribeExecution(ctx, first.ExecutionARN)
	require.NoError(t, err)
	require.Equal(t, sfn.ExecAborted, ex.Status, "a refused redrive changes nothing")

	_, err = svc.StopExecution(ctx, second.ExecutionARN, "", "")
	require.NoError(t, err)
	_, err = svc.RedriveExecution(ctx, first.ExecutionARN, "")
	require.NoError(t, err)
	ex, err = svc.DescribeExecution(ctx, first.ExecutionARN)
	require.NoError(t, err)
	require.Equal(t, sfn.ExecRunning, ex.Status)
}
