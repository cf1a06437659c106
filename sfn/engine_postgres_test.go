package sfn_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
	"stepline/store/postgres"
	"stepline/store/postgres/pgtest"
)

// openSharedPostgres returns an open function for stores that share one fresh schema
// of STEPLINE_TEST_POSTGRES, as several nodes share one database; it skips without it.
func openSharedPostgres(t *testing.T) func() *postgres.DB {
	t.Helper()
	url := pgtest.URL(t)
	return func() *postgres.DB { return pgtest.OpenURL(t, url) }
}

// startTwoNodes runs two services, node-a and node-b, on one PostgreSQL schema; both
// are stopped at cleanup (Stop is idempotent, so a test may stop one earlier).
func startTwoNodes(t *testing.T) (*sfn.Service, *sfn.Service) {
	t.Helper()
	open := openSharedPostgres(t)
	a := sfn.New(open(), sfn.Config{NodeID: "node-a"})
	b := sfn.New(open(), sfn.Config{NodeID: "node-b"})
	require.NoError(t, a.Start(context.Background()))
	require.NoError(t, b.Start(context.Background()))
	t.Cleanup(a.Stop)
	t.Cleanup(b.Stop)
	return a, b
}

// TestTwoNodesShareWork runs two nodes on one PostgreSQL database: executions started
// on both finish whichever node holds their timers, and the node that stops leaves its
// executions to the other.
func TestTwoNodesShareWork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := startTwoNodes(t)

	sm, err := a.StateMachineCreate(ctx, sfn.StateMachineCreateParams{Name: "shared", RoleARN: roleARN,
		Definition: `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"Next":"B"},"B":{"Type":"Wait","Seconds":1,"End":true}}}`})
	require.NoError(t, err)
	var arns []string
	for i := 0; i < 10; i++ {
		node := a
		if i%2 == 1 {
			node = b
		}
		res, err := node.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: sm.ARN, Name: fmt.Sprintf("e%d", i)})
		require.NoError(t, err)
		arns = append(arns, res.ExecutionARN)
	}
	// Node A leaves before any of its timers is due.
	a.Stop()

	var wg sync.WaitGroup
	for _, arn := range arns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			require.Eventually(t, func() bool {
				ex, err := b.DescribeExecution(ctx, arn)
				require.NoError(t, err)
				return ex.Status == sfn.ExecSucceeded
			}, 30*time.Second, 10*time.Millisecond)
			events, _, err := b.GetExecutionHistory(ctx, sfn.HistoryParams{ExecutionARN: arn})
			require.NoError(t, err)
			var types []string
			for i, e := range events {
				require.Equal(t, int64(i+1), e.ID)
				types = append(types, e.Type)
			}
			require.Equal(t, []string{"ExecutionStarted", "WaitStateEntered", "WaitStateExited", "WaitStateEntered",
				"WaitStateExited", "ExecutionSucceeded"}, types)
		}()
	}
	wg.Wait()
}

// TestActivityAcrossNodes: a task scheduled on one node is handed to a worker polling
// another.
func TestActivityAcrossNodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := startTwoNodes(t)
	act, err := a.ActivityCreate(ctx, "remote", nil, nil)
	require.NoError(t, err)
	sm, err := a.StateMachineCreate(ctx, sfn.StateMachineCreateParams{Name: "remote", RoleARN: roleARN,
		Definition: `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"` + act.ARN + `","End":true}}}`})
	require.NoError(t, err)

	got := make(chan sfn.ActivityTask, 1)
	go func() {
		task, err := b.GetActivityTask(ctx, act.ARN, "far-worker")
		if err == nil {
			got <- task
		}
		close(got)
	}()
	res, err := a.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: sm.ARN})
	require.NoError(t, err)
	var task sfn.ActivityTask
	select {
	case task = <-got:
	case <-time.After(20 * time.Second):
		t.Fatal("the worker on node B never got the task")
	}
	require.NotEmpty(t, task.Token)
	require.NoError(t, b.SendTaskSuccess(ctx, task.Token, `"ok"`))
	require.Eventually(t, func() bool {
		ex, err := a.DescribeExecution(ctx, res.ExecutionARN)
		require.NoError(t, err)
		return ex.Status == sfn.ExecSucceeded
	}, 10*time.Second, 10*time.Millisecond)
}
