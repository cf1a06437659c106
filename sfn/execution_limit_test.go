package sfn_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/sfn"
	"stepline/store/sqlite"
)

// limitMessage is AWS's ExecutionLimitExceeded message.
const limitMessage = "The maximum number of running executions has been reached. Running executions must end or be stopped before a new execution can be started."

// MustOpenLimited runs a Service over the SQLite database in dir with the given quota.
func MustOpenLimited(tb testing.TB, dir string, limit int64) (*sfn.Service, func()) {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(dir, "stepline.db"))
	require.NoError(tb, err)
	svc := sfn.New(st, sfn.Config{NodeID: "test", MaxOpenExecutions: limit})
	require.NoError(tb, svc.Start(context.Background()))
	return svc, func() {
		svc.Stop()
		require.NoError(tb, st.Close())
	}
}

func requireLimitExceeded(t *testing.T, err error) {
	t.Helper()
	var se *stepline.Error
	require.True(t, errors.As(err, &se), "not an AWS error: %v", err)
	require.Equal(t, "ExecutionLimitExceeded", se.Code)
	require.Equal(t, limitMessage, se.Message)
}

func TestExecutionLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx := t.Context()
	svc, closeSvc := MustOpenLimited(t, dir, 2)
	b := &testBundle{ctx: ctx, svc: svc}
	waiting := b.mustCreate(t, "waiting", waitLong, "")
	quick := b.mustCreate(t, "quick", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "")
	express := b.mustCreate(t, "fast", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, sfn.TypeExpress)

	first, err := svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "one"})
	require.NoError(t, err)
	_, err = svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "two"})
	require.NoError(t, err)

	t.Run("RefusedAtTheLimit", func(t *testing.T) {
		_, err := svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "three"})
		requireLimitExceeded(t, err)
		_, err = svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: quick})
		requireLimitExceeded(t, err)
		_, err = svc.DescribeExecution(ctx, first.ExecutionARN[:len(first.ExecutionARN)-len("one")]+"three")
		require.Error(t, err, "a refused start leaves nothing behind")
	})
	t.Run("ExpressIsNotCounted", func(t *testing.T) {
		_, err := svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: express})
		require.NoError(t, err)
	})
	t.Run("OtherRegionIsNotCounted", func(t *testing.T) {
		other := stepline.Identity{Account: "000000000000", Region: "eu-west-1", Partition: "aws"}
		octx := stepline.ContextWithIdentity(ctx, other)
		sm, err := svc.StateMachineCreate(octx, sfn.StateMachineCreateParams{Name: "elsewhere", Definition: waitLong, RoleARN: roleARN})
		require.NoError(t, err)
		_, err = svc.StartExecution(octx, sfn.StartExecutionParams{StateMachineARN: sm.ARN})
		require.NoError(t, err)
	})
	t.Run("RoomAfterAStop", func(t *testing.T) {
		_, err := svc.StopExecution(ctx, first.ExecutionARN, "", "")
		require.NoError(t, err)
		_, err = svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "four"})
		require.NoError(t, err)
		_, err = svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "five"})
		requireLimitExceeded(t, err)
	})
	t.Run("RightAfterARestart", func(t *testing.T) {
		closeSvc()
		svc2, closeSvc2 := MustOpenLimited(t, dir, 2)
		defer closeSvc2()
		_, err := svc2.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: waiting, Name: "six"})
		requireLimitExceeded(t, err)
		svc3, closeSvc3 := MustOpenLimited(t, t.TempDir(), 0)
		defer closeSvc3()
		b3 := &testBundle{ctx: ctx, svc: svc3}
		sm := b3.mustCreate(t, "waiting", waitLong, "")
		for range 5 {
			_, err := svc3.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: sm})
			require.NoError(t, err, "the default quota is AWS's 1,000,000")
		}
	})
}

// TestExecutionLimitPostgres shares one database between two nodes: a node that has
// not started anything yet counts the store, so it sees the other node's executions.
func TestExecutionLimitPostgres(t *testing.T) {
	t.Parallel()
	open := openSharedPostgres(t)
	ctx := t.Context()
	a := sfn.New(open(), sfn.Config{NodeID: "node-a", MaxOpenExecutions: 2})
	b := sfn.New(open(), sfn.Config{NodeID: "node-b", MaxOpenExecutions: 2})
	require.NoError(t, a.Start(context.Background()))
	require.NoError(t, b.Start(context.Background()))
	t.Cleanup(a.Stop)
	t.Cleanup(b.Stop)
	sm, err := a.StateMachineCreate(ctx, sfn.StateMachineCreateParams{Name: "waiting", Definition: waitLong, RoleARN: roleARN})
	require.NoError(t, err)
	for range 2 {
		_, err := a.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: sm.ARN})
		require.NoError(t, err)
	}
	_, err = b.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: sm.ARN})
	requireLimitExceeded(t, err)
	_, err = a.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: sm.ARN})
	requireLimitExceeded(t, err)
}
