package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestKillDuringMapRun kills the server while a Distributed Map's children run, some
// finished and some waiting, and checks that the restarted server finishes the map run
// with every item's result once, every child listed under the run, and the parent's
// history as it would be without the kill.
func TestKillDuringMapRun(t *testing.T) {
	bin := mustBuildBinary(t)
	dataDir := t.TempDir()
	port := freePort(t)
	ctx := t.Context()

	srv := startServe(t, bin, port, dataDir)
	client := e2eClient(srv.url)
	const items = 60
	sm, err := client.CreateStateMachine(ctx, &awssfn.CreateStateMachineInput{
		Name: aws.String("MapSurvivor"), RoleArn: aws.String("arn:aws:iam::000000000000:role/stepline"),
		Definition: aws.String(`{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":10,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Wait","States":{
				"Wait":{"Type":"Wait","Seconds":1,"Next":"Done"},"Done":{"Type":"Pass","Parameters":{"n.$":"$"},"End":true}}},
			"End":true}}}`),
	})
	require.NoError(t, err)
	var in strings.Builder
	want := make([]string, items)
	for i := range items {
		want[i] = fmt.Sprintf(`{"n":%d}`, i)
	}
	fmt.Fprintf(&in, `{"items":[%s]}`, strings.Trim(strings.Join(strings.Fields(fmt.Sprint(seq(items))), ","), "[]"))
	start, err := client.StartExecution(ctx, &awssfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(in.String())})
	skipIfNoExecutions(t, err)
	require.NoError(t, err)

	// Kill once some children have ended and others are running.
	var runARN *string
	require.Eventually(t, func() bool {
		runs, err := client.ListMapRuns(ctx, &awssfn.ListMapRunsInput{ExecutionArn: start.ExecutionArn})
		require.NoError(t, err)
		if len(runs.MapRuns) == 0 {
			return false
		}
		runARN = runs.MapRuns[0].MapRunArn
		run, err := client.DescribeMapRun(ctx, &awssfn.DescribeMapRunInput{MapRunArn: runARN})
		require.NoError(t, err)
		return run.ExecutionCounts.Succeeded >= 10 && run.ExecutionCounts.Running > 0
	}, 60*time.Second, 10*time.Millisecond)
	srv.kill()

	srv = startServe(t, bin, port, dataDir)
	client = e2eClient(srv.url)
	var desc *awssfn.DescribeExecutionOutput
	require.Eventually(t, func() bool {
		desc, err = client.DescribeExecution(ctx, &awssfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
		require.NoError(t, err)
		return desc.Status != types.ExecutionStatusRunning
	}, 120*time.Second, 20*time.Millisecond, "server output:\n%s", srv.output.String())
	require.Equal(t, types.ExecutionStatusSucceeded, desc.Status, "%s %s", aws.ToString(desc.Error), aws.ToString(desc.Cause))
	require.JSONEq(t, "["+strings.Join(want, ",")+"]", aws.ToString(desc.Output))

	run, err := client.DescribeMapRun(ctx, &awssfn.DescribeMapRunInput{MapRunArn: runARN})
	require.NoError(t, err)
	require.Equal(t, types.MapRunStatusSucceeded, run.Status)
	require.Equal(t, int64(items), run.ExecutionCounts.Succeeded)
	require.Equal(t, int64(items), run.ExecutionCounts.Total)

	kids := 0
	p := awssfn.NewListExecutionsPaginator(client, &awssfn.ListExecutionsInput{MapRunArn: runARN})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		require.NoError(t, err)
		for _, k := range page.Executions {
			require.Equal(t, types.ExecutionStatusSucceeded, k.Status)
			kids++
		}
	}
	require.Equal(t, items, kids)

	hist, err := client.GetExecutionHistory(ctx, &awssfn.GetExecutionHistoryInput{ExecutionArn: start.ExecutionArn})
	require.NoError(t, err)
	var got []string
	for i, e := range hist.Events {
		require.Equal(t, int64(i+1), e.Id)
		got = append(got, string(e.Type))
	}
	require.Equal(t, []string{"ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted",
		"MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"}, got)
}

// seq is 0..n-1.
func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
