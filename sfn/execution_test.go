package sfn_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
)

const waitLong = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`

func TestDeletedStateMachineStopsExecutions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "doomed", waitLong, "")
	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm})
	require.NoError(t, err)
	require.NoError(t, b.svc.StateMachineDelete(b.ctx, sm))
	// The next transition (here a StopExecution) finds the state machine gone.
	_, err = b.svc.StopExecution(b.ctx, res.ExecutionARN, "", "")
	require.NoError(t, err)
	ex := b.waitClosed(t, res.ExecutionARN)
	require.Equal(t, sfn.ExecAborted, ex.Status)
	// With its last execution closed, the state machine record goes.
	require.Eventually(t, func() bool {
		_, err := b.svc.StateMachineGet(b.ctx, sm)
		return err != nil
	}, 10*time.Second, 5*time.Millisecond)
}

func TestStopExecution(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "stoppable", waitLong, "")
	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm})
	require.NoError(t, err)
	at, err := b.svc.StopExecution(b.ctx, res.ExecutionARN, "Operator", "maintenance")
	require.NoError(t, err)
	ex, err := b.svc.DescribeExecution(b.ctx, res.ExecutionARN)
	require.NoError(t, err)
	require.Equal(t, sfn.ExecAborted, ex.Status)
	require.Equal(t, "Operator", ex.Error)
	require.Equal(t, "maintenance", ex.Cause)
	require.True(t, at.Equal(ex.StopDate))
	require.Equal(t, sfn.RedriveRedrivable, ex.RedriveStatus)

	// Stopping again changes nothing.
	again, err := b.svc.StopExecution(b.ctx, res.ExecutionARN, "", "")
	require.NoError(t, err)
	require.True(t, again.Equal(at))
	types := eventTypes(t, b, res.ExecutionARN)
	require.Equal(t, "ExecutionAborted", types[len(types)-1])
}

func TestListExecutions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "many", waitLong, "")
	pass := b.mustCreate(t, "quick", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "")
	var arns []string
	for i := 0; i < 5; i++ {
		res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Name: fmt.Sprintf("e%d", i)})
		require.NoError(t, err)
		arns = append(arns, res.ExecutionARN)
	}
	_, err := b.svc.StopExecution(b.ctx, arns[1], "", "")
	require.NoError(t, err)

	var seen []string
	tok := ""
	for {
		page, next, err := b.svc.ListExecutions(b.ctx, sfn.ListExecutionsParams{StateMachineARN: sm, Page: sfn.Page{Max: 2, NextToken: tok}})
		require.NoError(t, err)
		for _, e := range page {
			seen = append(seen, e.ARN)
		}
		if next == "" {
			break
		}
		tok = next
	}
	require.Len(t, seen, 5)
	require.ElementsMatch(t, arns, seen)

	aborted, _, err := b.svc.ListExecutions(b.ctx, sfn.ListExecutionsParams{StateMachineARN: sm, StatusFilter: sfn.ExecAborted})
	require.NoError(t, err)
	require.Len(t, aborted, 1)
	require.Equal(t, arns[1], aborted[0].ARN)

	none, _, err := b.svc.ListExecutions(b.ctx, sfn.ListExecutionsParams{StateMachineARN: pass})
	require.NoError(t, err)
	require.Empty(t, none)

	_, _, err = b.svc.ListExecutions(b.ctx, sfn.ListExecutionsParams{StateMachineARN: sm, StatusFilter: "BOGUS"})
	require.ErrorContains(t, err, "Member must satisfy enum value set")
	_, _, err = b.svc.ListExecutions(b.ctx, sfn.ListExecutionsParams{StateMachineARN: sm, Page: sfn.Page{NextToken: "junk"}})
	require.ErrorContains(t, err, "InvalidToken")
}

func TestStartThroughVersionAndAlias(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "versioned", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v1","End":true}}}`, "")
	v, err := b.svc.VersionPublish(b.ctx, sm, "", "first")
	require.NoError(t, err)
	al, err := b.svc.AliasCreate(b.ctx, sfn.AliasCreateParams{Name: "live", Routing: []sfn.RoutingEntry{{VersionARN: v.ARN, Weight: 100}}})
	require.NoError(t, err)

	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: al.ARN})
	require.NoError(t, err)
	ex := b.waitClosed(t, res.ExecutionARN)
	require.Equal(t, sm, ex.StateMachineARN)
	require.Equal(t, v.ARN, ex.VersionARN)
	require.Equal(t, al.ARN, ex.AliasARN)
	require.Equal(t, `"v1"`, *ex.Output)

	byVersion, _, err := b.svc.ListExecutions(b.ctx, sfn.ListExecutionsParams{StateMachineARN: v.ARN})
	require.NoError(t, err)
	require.Len(t, byVersion, 1)
}

func TestExecutionHistoryPaging(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm := b.mustCreate(t, "pages", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}`, "")
	res, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Input: str(`{"secret":1}`)})
	require.NoError(t, err)
	var ids []int64
	tok := ""
	for {
		events, next, err := b.svc.GetExecutionHistory(b.ctx, sfn.HistoryParams{ExecutionARN: res.ExecutionARN, Page: sfn.Page{Max: 4, NextToken: tok}, OmitData: true})
		require.NoError(t, err)
		for _, e := range events {
			ids = append(ids, e.ID)
			require.NotContains(t, string(e.Details), "secret")
		}
		if next == "" {
			break
		}
		tok = next
	}
	require.Equal(t, []int64{1, 2, 3, 4, 5, 6}, ids)

	other := b.mustCreate(t, "other", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, "")
	res2, err := b.svc.StartExecution(b.ctx, sfn.StartExecutionParams{StateMachineARN: other})
	require.NoError(t, err)
	_, next, err := b.svc.GetExecutionHistory(b.ctx, sfn.HistoryParams{ExecutionARN: res.ExecutionARN, Page: sfn.Page{Max: 1}})
	require.NoError(t, err)
	_, _, err = b.svc.GetExecutionHistory(b.ctx, sfn.HistoryParams{ExecutionARN: res2.ExecutionARN, Page: sfn.Page{Max: 1, NextToken: next}})
	require.ErrorContains(t, err, "InvalidToken", "a token only pages the history it came from")
}
