package sfn_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
	"stepline/store"
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
