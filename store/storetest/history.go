package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

func testHistory(t *testing.T, open Open) {
	t.Run("ConflictOnStaleNextEventID", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		e = b.appendN(e, 2, store.HistoryAppendParams{})
		stale := e
		stale.NextEventID = 2
		for _, expect := range []int64{3, 1, 5, 100} {
			err := b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
				Execution: stale, ExpectNextEventID: expect, Events: events(expect, 1, "X"),
				TimersAdd: []store.Timer{{ID: "t", FireAt: at(0)}},
			})
			require.ErrorIs(t, err, store.ErrConflict, "expect %d", expect)
		}
		got, err := b.s.ExecutionGet(b.ctx, e.ARN)
		require.NoError(t, err)
		require.Equal(t, e, got)
		require.Equal(t, []int64{1, 2, 3}, ids(b.history(e.ARN)))
		next, err := b.s.TimerNext(b.ctx, at(0))
		require.NoError(t, err)
		require.True(t, next.IsZero())
	})
	t.Run("NotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		err := b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Execution: newExecution(execARN(1), at(0)), ExpectNextEventID: 1, Events: events(1, 1, "X"),
		})
		require.ErrorIs(t, err, store.ErrNotFound)
		require.Empty(t, b.history(execARN(1)))
	})
	t.Run("RejectsWrongEventIDs", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		err := b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Execution: e, ExpectNextEventID: 2, Events: events(3, 1, "X"),
		})
		require.Error(t, err)
		require.Equal(t, []int64{1}, ids(b.history(e.ARN)))
	})
	t.Run("FailingAppendWritesNothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		other := b.create(execARN(2), at(0))
		b.appendN(other, 1, store.HistoryAppendParams{TasksAdd: []store.Task{{ID: "x", Kind: "callback", Token: "tok", State: "scheduled"}}})
		e := b.create(execARN(1), at(0))
		e = b.appendN(e, 1, store.HistoryAppendParams{
			TimersAdd: []store.Timer{{ID: "keep", FireAt: at(time.Hour)}},
			TasksAdd:  []store.Task{{ID: "t1", Kind: "activity", State: "scheduled"}},
		})
		next := e
		next.Status, next.Snapshot = "FAILED", []byte("changed")
		// The task's token is taken by the other execution, so the whole transition fails.
		err := b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Execution: next, ExpectNextEventID: e.NextEventID, Events: events(e.NextEventID, 3, "X"),
			TimersAdd:    []store.Timer{{ID: "new", FireAt: at(0)}},
			TimersDelete: []string{"keep"},
			TasksDelete:  []string{"t1"},
			TasksAdd:     []store.Task{{ID: "t2", Kind: "callback", Token: "tok", State: "scheduled"}},
		})
		require.ErrorIs(t, err, store.ErrExists)
		got, err := b.s.ExecutionGet(b.ctx, e.ARN)
		require.NoError(t, err)
		require.Equal(t, e, got)
		require.Equal(t, []int64{1, 2}, ids(b.history(e.ARN)))
		_, err = b.s.TaskGet(b.ctx, e.ARN, "t1")
		require.NoError(t, err)
		_, err = b.s.TaskGet(b.ctx, e.ARN, "t2")
		require.ErrorIs(t, err, store.ErrNotFound)
		ts, err := b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(2 * time.Hour), Owner: "n", LeaseFor: time.Minute})
		require.NoError(t, err)
		require.Len(t, ts, 1)
		require.Equal(t, "keep", ts[0].ID)

		// The same transition with a fresh token goes through.
		err = b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Execution: next, ExpectNextEventID: e.NextEventID, Events: events(e.NextEventID, 3, "X"),
			TasksAdd: []store.Task{{ID: "t2", Kind: "callback", Token: "tok2", State: "scheduled"}},
		})
		require.NoError(t, err)
		require.Equal(t, []int64{1, 2, 3, 4, 5}, ids(b.history(e.ARN)))
	})
	t.Run("DuplicateTaskID", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		e = b.appendN(e, 1, store.HistoryAppendParams{TasksAdd: []store.Task{{ID: "t", Kind: "activity", State: "scheduled"}}})
		err := b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
			Execution: e, ExpectNextEventID: e.NextEventID, Events: events(e.NextEventID, 1, "X"),
			TasksAdd: []store.Task{{ID: "t", Kind: "activity", State: "scheduled"}},
		})
		require.ErrorIs(t, err, store.ErrExists)
		require.Equal(t, []int64{1, 2}, ids(b.history(e.ARN)))
	})
	t.Run("ConflictInBatchLeavesOthers", func(t *testing.T) {
		// Many appends race for the same next id while others append elsewhere:
		// exactly one winner per execution, and the losers change nothing.
		t.Parallel()
		b := setup(t, open)
		const n = 8
		var execs []store.Execution
		for i := range n {
			execs = append(execs, b.create(execARN(i), at(0)))
		}
		var wg sync.WaitGroup
		errs := make([][]error, n)
		for i := range n {
			errs[i] = make([]error, 4)
			for j := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					e := execs[i]
					e.Snapshot = []byte{byte('a' + j)}
					errs[i][j] = b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
						Execution: e, ExpectNextEventID: 2, Events: events(2, 1+j, "X"),
					})
				}()
			}
		}
		wg.Wait()
		for i := range n {
			winner := -1
			for j, err := range errs[i] {
				if err == nil {
					require.Equal(t, -1, winner, "two winners on execution %d", i)
					winner = j
					continue
				}
				require.ErrorIs(t, err, store.ErrConflict)
			}
			require.NotEqual(t, -1, winner)
			got, err := b.s.ExecutionGet(b.ctx, execARN(i))
			require.NoError(t, err)
			require.Equal(t, []byte{byte('a' + winner)}, got.Snapshot)
			require.Equal(t, int64(2+1+winner), got.NextEventID)
		}
	})
	t.Run("Paging", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		for range 3 {
			e = b.appendN(e, 3, store.HistoryAppendParams{})
		}
		all := b.history(e.ARN)
		require.Equal(t, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, ids(all))
		require.Equal(t, events(2, 3, "PassStateEntered"), all[1:4])

		page := func(after int64, reverse bool, limit int) []int64 {
			evs, err := b.s.HistoryList(b.ctx, store.HistoryListParams{
				ExecutionARN: e.ARN, AfterID: after, Reverse: reverse, Limit: limit,
			})
			require.NoError(t, err)
			return ids(evs)
		}
		require.Equal(t, []int64{1, 2, 3}, page(0, false, 3))
		require.Equal(t, []int64{4, 5, 6}, page(3, false, 3))
		require.Equal(t, []int64{10}, page(9, false, 3))
		require.Empty(t, page(10, false, 3))
		require.Equal(t, []int64{10, 9, 8}, page(0, true, 3))
		require.Equal(t, []int64{7, 6, 5}, page(8, true, 3))
		require.Equal(t, []int64{1}, page(2, true, 3))
		require.Empty(t, page(1, true, 3))
		require.Equal(t, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, page(0, true, 0))
		require.Empty(t, page(0, false, 0)[10:])
		evs, err := b.s.HistoryList(b.ctx, store.HistoryListParams{ExecutionARN: execARN(9)})
		require.NoError(t, err)
		require.Empty(t, evs)
	})
}
