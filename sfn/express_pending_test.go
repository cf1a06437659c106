package sfn_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/internal/clock"
	"stepline/sfn"
	"stepline/store"
	"stepline/store/sqlite"
)

// pendingExpress lists the records that keep accepted asynchronous Express
// executions until they end.
func pendingExpress(t *testing.T, st store.Store) []store.Record {
	t.Helper()
	recs, err := st.RecordList(context.Background(), store.RecordListParams{Kind: "expresspending"})
	require.NoError(t, err)
	return recs
}

func TestExpressAsyncLeavesNothingPendingWhenItEnds(t *testing.T) {
	b := setup(t)
	sm := b.mustCreate(t, "Quick", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, sfn.TypeExpress)
	_, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm})
	require.NoError(t, err)
	require.Eventually(t, func() bool { return len(pendingExpress(t, b.store)) == 0 }, 10*time.Second, 5*time.Millisecond)
}

// TestExpressAsyncRunsAgainAfterItsNodeStops stops the node running an asynchronous
// Express execution in the middle of a Wait and starts another over the same
// database: once the first node's lease lapses the second runs the execution again,
// and its nested start shows it reached its end.
func TestExpressAsyncRunsAgainAfterItsNodeStops(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	clockA := clock.NewFake(t0)
	a := sfn.New(st, sfn.Config{NodeID: "a", Clock: clockA})
	require.NoError(t, a.Start(ctx))
	target, err := a.StateMachineCreate(ctx, sfn.StateMachineCreateParams{Name: "Target", RoleARN: roleARN,
		Definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`})
	require.NoError(t, err)
	express, err := a.StateMachineCreate(ctx, sfn.StateMachineCreateParams{Name: "Slow", RoleARN: roleARN, Type: sfn.TypeExpress,
		Definition: `{"StartAt":"W","States":{
			"W":{"Type":"Wait","Seconds":10,"Next":"T"},
			"T":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
			     "Parameters":{"StateMachineArn":"` + target.ARN + `","Name":"from-express"},"End":true}}}`})
	require.NoError(t, err)
	started, err := a.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: express.ARN})
	require.NoError(t, err)
	pending := pendingExpress(t, st)
	require.Len(t, pending, 1)
	require.Equal(t, started.ExecutionARN, pending[0].Key)
	a.Stop() // node a dies in the Wait: its lease is never renewed

	clockB := clock.NewFake(t0.Add(time.Minute))
	b := sfn.New(st, sfn.Config{NodeID: "b", Clock: clockB})
	require.NoError(t, b.Start(ctx))
	t.Cleanup(b.Stop)
	nested := "arn:aws:states:us-east-1:000000000000:execution:Target:from-express"
	require.Eventually(t, func() bool {
		clockB.Advance(time.Second)
		ex, err := b.DescribeExecution(ctx, nested)
		return err == nil && ex.Status == sfn.ExecSucceeded
	}, 20*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool { return len(pendingExpress(t, st)) == 0 }, 10*time.Second, 5*time.Millisecond)
}
