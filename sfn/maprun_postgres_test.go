package sfn_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
)

// TestMapRunAcrossNodes runs a Distributed Map on two nodes sharing one PostgreSQL
// database; the node that started it stops while children wait, and the other node
// finishes the run: the children's ends and the map run's record are shared work.
func TestMapRunAcrossNodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := startTwoNodes(t)
	sm, err := a.StateMachineCreate(ctx, sfn.StateMachineCreateParams{Name: "shared-map", RoleARN: roleARN,
		Definition: `{"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":5,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
				"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1,"End":true}}},"End":true}}}`})
	require.NoError(t, err)
	const items = 20
	input := "[" + strings.TrimSuffix(strings.Repeat("0,", items), ",") + "]"
	res, err := a.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: sm.ARN, Input: &input})
	require.NoError(t, err)
	var runARN string
	require.Eventually(t, func() bool {
		runs, _, err := a.ListMapRuns(ctx, res.ExecutionARN, sfn.Page{})
		require.NoError(t, err)
		if len(runs) == 0 {
			return false
		}
		runARN = runs[0].ARN
		return runs[0].ExecutionCounts.Running > 0
	}, 30*time.Second, 10*time.Millisecond)
	a.Stop()

	require.Eventually(t, func() bool {
		ex, err := b.DescribeExecution(ctx, res.ExecutionARN)
		require.NoError(t, err)
		return ex.Status != sfn.ExecRunning
	}, 120*time.Second, 20*time.Millisecond)
	ex, err := b.DescribeExecution(ctx, res.ExecutionARN)
	require.NoError(t, err)
	require.Equal(t, sfn.ExecSucceeded, ex.Status, ex.Cause)
	require.Equal(t, "["+strings.TrimSuffix(strings.Repeat("0,", items), ",")+"]", *ex.Output)
	run, err := b.DescribeMapRun(ctx, runARN)
	require.NoError(t, err)
	require.Equal(t, sfn.MapRunSucceeded, run.Status)
	require.Equal(t, int64(items), run.ExecutionCounts.Succeeded, fmt.Sprintf("%+v", run.ExecutionCounts))
}
