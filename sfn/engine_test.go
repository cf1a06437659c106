package sfn_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
	"stepline/store"
	"stepline/store/sqlite"
)

const roleARN = "arn:aws:iam::000000000000:role/stepline"

type testBundle struct {
	ctx   context.Context
	svc   *sfn.Service
	store store.Store
}

// setup runs a Service over a fresh SQLite database.
func setup(t testing.TB) *testBundle {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	svc := sfn.New(st, sfn.Config{NodeID: "test"})
	require.NoError(t, svc.Start(context.Background()))
	t.Cleanup(func() {
		svc.Stop()
		require.NoError(t, st.Close())
	})
	return &testBundle{ctx: context.Background(), svc: svc, store: st}
}

// mustCreate creates a state machine and returns its ARN.
func (b *testBundle) mustCreate(t testing.TB, name, def, typ string) string {
	t.Helper()
	res, err := b.svc.StateMachineCreate(b.ctx, sfn.StateMachineCreateParams{Name: name, Definition: def, RoleARN: roleARN, Type: typ})
	require.NoError(t, err)
	return res.ARN
}

// waitClosed polls an execution until it leaves RUNNING.
func (b *testBundle) waitClosed(t testing.TB, arn string) sfn.Execution {
	t.Helper()
	var ex sfn.Execution
	require.Eventually(t, func() bool {
		var err error
		ex, err = b.svc.DescribeExecution(b.ctx, arn)
		require.NoError(t, err)
		return ex.Status != sfn.ExecRunning
	}, 20*time.Second, 2*time.Millisecond)
	return ex
}

func str(s string) *string { return &s }

func eventTypes(t testing.TB, b *testBundle, arn string) []string {
	t.Helper()
	events, _, err := b.svc.GetExecutionHistory(b.ctx, sfn.HistoryParams{ExecutionARN: arn, Page: sfn.Page{Max: 1000}})
	require.NoError(t, err)
	var types []string
	for i, e := range events {
		require.Equal(t, int64(i+1), e.ID)
		types = append(types, e.Type)
	}
	return types
}

func TestPassChainSucceeds(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "pass", `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"Next":"B"},"B":{"Type":"Pass","End":true}}}`, "")
	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Name: "one", Input: str(`{"a":1}`)})
	require.NoError(t, err)
	ex := b.waitClosed(t, res.ExecutionARN)
	require.Equal(t, sfn.ExecSucceeded, ex.Status)
	require.Equal(t, `{"x":1}`, *ex.Output)
	require.Equal(t, []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"},
		eventTypes(t, b, res.ExecutionARN))
}

func TestWaitFires(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "wait", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}}`, "")
	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm})
	require.NoError(t, err)
	ex := b.waitClosed(t, res.ExecutionARN)
	require.Equal(t, sfn.ExecSucceeded, ex.Status)
	require.GreaterOrEqual(t, ex.StopDate.Sub(ex.StartDate), time.Second)
	require.Equal(t, []string{"ExecutionStarted", "WaitStateEntered", "WaitStateExited", "ExecutionSucceeded"}, eventTypes(t, b, res.ExecutionARN))
}
