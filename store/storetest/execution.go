package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

func testExecution(t *testing.T, open Open) {
	t.Run("CreateGet", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := newExecution(execARN(1), at(0))
		e.VersionARN, e.AliasARN, e.MapRunARN = smARN+":1", smARN+":prod", "mr"
		e.NextEventID = 99 // ignored: Create derives it
		require.NoError(t, b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Create: true, Execution: e, ExpectNextEventID: 1, Events: events(1, 2, "ExecutionStarted"),
		}))
		got, err := b.s.ExecutionGet(b.ctx, e.ARN)
		require.NoError(t, err)
		e.NextEventID = 3
		require.Equal(t, e, got)
		require.Equal(t, events(1, 2, "ExecutionStarted"), b.history(e.ARN))
	})
	t.Run("GetNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		_, err := b.s.ExecutionGet(b.ctx, execARN(1))
		require.ErrorIs(t, err, store.ErrNotFound)
	})
	t.Run("CreateExists", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		first := b.create(execARN(1), at(0))
		e := newExecution(execARN(1), at(time.Hour))
		err := b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Create: true, Execution: e, ExpectNextEventID: 1, Events: events(1, 1, "ExecutionStarted"),
			TimersAdd: []store.Timer{{ID: "t", FireAt: at(0)}},
		})
		require.ErrorIs(t, err, store.ErrExists)
		got, err := b.s.ExecutionGet(b.ctx, e.ARN)
		require.NoError(t, err)
		require.Equal(t, first, got)
		require.Len(t, b.history(e.ARN), 1)
		ts, err := b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(time.Hour), Owner: "n", LeaseFor: time.Minute})
		require.NoError(t, err)
		require.Empty(t, ts)
	})
	t.Run("Transition", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		e.Status, e.StopTime = "SUCCEEDED", at(time.Minute)
		e.Data, e.Snapshot = []byte(`{"output":"1"}`), []byte(`snap-2`)
		got := b.appendN(e, 3, store.HistoryAppendParams{})
		e.NextEventID = 5
		require.Equal(t, e, got)
		require.Equal(t, []int64{1, 2, 3, 4}, ids(b.history(e.ARN)))
	})
	t.Run("List", func(t *testing.T) { testExecutionList(t, open) })
}

func testExecutionList(t *testing.T, open Open) {
	t.Parallel()
	b := setup(t, open)
	// 12 executions over three start times (ties broken by ARN), two machines, and a
	// version, an alias and a map run on some.
	for i := range 12 {
		e := newExecution(execARN(i), at(time.Duration(i/4)*time.Second))
		if i%2 == 1 {
			e.StateMachineARN = smARN + "2"
		}
		if i%3 == 0 {
			e.VersionARN = smARN + ":1"
		}
		if i%4 == 0 {
			e.AliasARN = smARN + ":a"
		}
		if i == 5 {
			e.MapRunARN = "maprun"
		}
		if i%5 == 0 {
			e.Status, e.StopTime = "FAILED", at(time.Hour)
		}
		require.NoError(t, b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Create: true, Execution: e, ExpectNextEventID: 1, Events: events(1, 1, "ExecutionStarted"),
		}))
	}
	list := func(p store.ExecutionListParams) []int {
		t.Helper()
		es, err := b.s.ExecutionList(b.ctx, p)
		require.NoError(t, err)
		out := []int{}
		for _, e := range es {
			var i int
			_, err := fmt.Sscanf(e.ARN[len(e.ARN)-3:], "%d", &i)
			require.NoError(t, err)
			out = append(out, i)
		}
		return out
	}
	require.Equal(t, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, list(store.ExecutionListParams{}))
	require.Equal(t, []int{10, 8, 6, 4, 2, 0}, list(store.ExecutionListParams{StateMachineARN: smARN}))
	require.Equal(t, []int{9, 6, 3, 0}, list(store.ExecutionListParams{VersionARN: smARN + ":1"}))
	require.Equal(t, []int{8, 4, 0}, list(store.ExecutionListParams{AliasARN: smARN + ":a"}))
	require.Equal(t, []int{5}, list(store.ExecutionListParams{MapRunARN: "maprun"}))
	require.Equal(t, []int{10, 0}, list(store.ExecutionListParams{StateMachineARN: smARN, Status: "FAILED"}))
	require.Equal(t, []int{8, 6, 4, 2}, list(store.ExecutionListParams{StateMachineARN: smARN, Open: true}))
	require.Equal(t, []int{10, 8}, list(store.ExecutionListParams{StateMachineARN: smARN, Limit: 2}))
	require.Equal(t, []int{}, list(store.ExecutionListParams{StateMachineARN: "nope"}))

	t.Run("Cursor", func(t *testing.T) {
		// Before (at(1s), e006): e005 and e004 share that start time, then the earlier ones.
		require.Equal(t, []int{5, 4, 3, 2, 1, 0},
			list(store.ExecutionListParams{BeforeStart: at(time.Second), BeforeARN: execARN(6)}))
		require.Equal(t, []int{4, 2, 0},
			list(store.ExecutionListParams{StateMachineARN: smARN, BeforeStart: at(time.Second), BeforeARN: execARN(6)}))
		var got []int
		p := store.ExecutionListParams{Limit: 5}
		for {
			es, err := b.s.ExecutionList(b.ctx, p)
			require.NoError(t, err)
			if len(es) == 0 {
				break
			}
			got = append(got, list(p)...)
			last := es[len(es)-1]
			p.BeforeStart, p.BeforeARN = last.StartTime, last.ARN
		}
		require.Equal(t, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, got)
	})
}
