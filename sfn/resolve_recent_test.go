package sfn_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
)

// TestStartAfterUpdateRunsTheNewDefinition: starts remember what they resolved for a
// moment, but a change made through the same node is seen by the very next start.
func TestStartAfterUpdateRunsTheNewDefinition(t *testing.T) {
	b := setup(t)
	sm := b.mustCreate(t, "Changing", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}}`, "")
	outputOf := func(name string) string {
		t.Helper()
		res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Name: name})
		require.NoError(t, err)
		ex := b.waitClosed(t, res.ExecutionARN)
		require.Equal(t, sfn.ExecSucceeded, ex.Status)
		return *ex.Output
	}
	require.Equal(t, "1", outputOf("first"))

	_, err := b.svc.StateMachineUpdate(b.ctx, sfn.StateMachineUpdateParams{ARN: sm,
		Definition: str(`{"StartAt":"P","States":{"P":{"Type":"Pass","Result":2,"End":true}}}`)})
	require.NoError(t, err)
	require.Equal(t, "2", outputOf("second"))

	require.NoError(t, b.svc.StateMachineDelete(b.ctx, sm))
	_, err = b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Name: "third"})
	require.Error(t, err)
}
