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

// TestActivityClaimLostInCrash: a node took an activity task for a worker and died
// before recording ActivityStarted. The task must go back to the queue instead of
// leaving the execution waiting forever.
func TestActivityClaimLostInCrash(t *testing.T) {
	t.Parallel()
	b := setup(t)
	act, err := b.svc.ActivityCreate(b.ctx, "crashy", nil, nil)
	require.NoError(t, err)
	sm := b.mustCreate(t, "crashy", `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"`+act.ARN+`","End":true}}}`, "")
	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm})
	require.NoError(t, err)

	// The dead node's claim, with a lease that has already run out.
	claimed, err := b.store.TaskClaim(b.ctx, store.TaskClaimParams{
		Now: time.Now(), Owner: "dead-node", LeaseFor: time.Millisecond, Limit: 1,
		Kind: "activity", Resource: act.ARN, State: "scheduled", NewState: "started",
	})
	require.NoError(t, err)
	require.Len(t, claimed, 1)

	task, err := b.svc.GetActivityTask(b.ctx, act.ARN, "survivor")
	require.NoError(t, err)
	require.Equal(t, claimed[0].Token, task.Token)
	require.NoError(t, b.svc.SendTaskSuccess(b.ctx, task.Token, `{"done":true}`))
	ex := b.waitClosed(t, res.ExecutionARN)
	require.Equal(t, sfn.ExecSucceeded, ex.Status)
}

func TestMissingActivityFailsExecution(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "ghost", `{"StartAt":"Work","States":{"Work":{"Type":"Task",
		"Resource":"arn:aws:states:us-east-1:000000000000:activity:ghost","End":true}}}`, "")
	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm})
	require.NoError(t, err)
	ex := b.waitClosed(t, res.ExecutionARN)
	require.Equal(t, sfn.ExecFailed, ex.Status)
	require.Equal(t, "States.Runtime", ex.Error)
	require.Equal(t, "An error occurred while executing the state 'Work' (entered at the event id #2). "+
		"The activity arn:aws:states:us-east-1:000000000000:activity:ghost does not exist.", ex.Cause)
	require.Contains(t, eventTypes(t, b, res.ExecutionARN), "ActivityScheduleFailed")
}

// TestHeartbeatPushesDeadline drives the clock by hand: heartbeats keep a task with
// HeartbeatSeconds 10 alive well past 10 seconds, and silence then times it out.
func TestHeartbeatPushesDeadline(t *testing.T) {
	t.Parallel()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := sfn.New(st, sfn.Config{NodeID: "test", Clock: fake})
	require.NoError(t, svc.Start(context.Background()))
	t.Cleanup(func() {
		svc.Stop()
		require.NoError(t, st.Close())
	})
	b := &testBundle{ctx: context.Background(), svc: svc, store: st}
	act, err := svc.ActivityCreate(b.ctx, "beating", nil, nil)
	require.NoError(t, err)
	sm := b.mustCreate(t, "beating", `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"`+act.ARN+`","HeartbeatSeconds":10,"End":true}}}`, "")
	res, err := svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm})
	require.NoError(t, err)
	task, err := svc.GetActivityTask(b.ctx, act.ARN, "w")
	require.NoError(t, err)
	require.NotEmpty(t, task.Token)

	for i := 0; i < 5; i++ {
		fake.Advance(8 * time.Second)
		require.NoError(t, svc.SendTaskHeartbeat(b.ctx, task.Token))
	}
	ex, err := svc.DescribeExecution(b.ctx, res.ExecutionARN)
	require.NoError(t, err)
	require.Equal(t, sfn.ExecRunning, ex.Status, "40 s with a heartbeat every 8 s")

	// Silence: the deadline passes and the timer loop times the task out. The loop may
	// be asleep on the fake clock, so keep moving it until the execution ends.
	require.Eventually(t, func() bool {
		fake.Advance(time.Second)
		ex, err = svc.DescribeExecution(b.ctx, res.ExecutionARN)
		require.NoError(t, err)
		return ex.Status != sfn.ExecRunning
	}, 20*time.Second, 10*time.Millisecond)
	require.Equal(t, sfn.ExecFailed, ex.Status)
	require.Equal(t, "States.Timeout", ex.Error)
	require.Contains(t, eventTypes(t, b, res.ExecutionARN), "ActivityTimedOut")
}
