package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

func taskIDs(ts []store.Task) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func testTask(t *testing.T, open Open) {
	t.Run("AddGet", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		want := store.Task{
			ExecutionARN: e.ARN, ID: "t1", Kind: "activity", Resource: "arn:act", Token: "tok1", State: "scheduled",
			Input: []byte(`{"a":1}`), CreatedAt: at(time.Second),
		}
		b.appendN(e, 1, store.HistoryAppendParams{TasksAdd: []store.Task{
			want, {ID: "t2", Kind: "service", State: "scheduled"}, {ID: "t3", Kind: "service", State: "scheduled"},
		}})
		want.Version = 1
		got, err := b.s.TaskGet(b.ctx, e.ARN, "t1")
		require.NoError(t, err)
		require.Equal(t, want, got)
		got, err = b.s.TaskGetByToken(b.ctx, "tok1")
		require.NoError(t, err)
		require.Equal(t, want, got)
		got, err = b.s.TaskGet(b.ctx, e.ARN, "t2")
		require.NoError(t, err)
		require.Equal(t, e.ARN, got.ExecutionARN, "an empty ExecutionARN means the appending execution")

		_, err = b.s.TaskGetByToken(b.ctx, "nope")
		require.ErrorIs(t, err, store.ErrNotFound)
		_, err = b.s.TaskGetByToken(b.ctx, "")
		require.ErrorIs(t, err, store.ErrNotFound)
		_, err = b.s.TaskGet(b.ctx, e.ARN, "nope")
		require.ErrorIs(t, err, store.ErrNotFound)
	})
	t.Run("Claim", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		b.appendN(e, 1, store.HistoryAppendParams{TasksAdd: []store.Task{
			{ID: "a3", Kind: "activity", Resource: "A", State: "scheduled", CreatedAt: at(3 * time.Second)},
			{ID: "a1", Kind: "activity", Resource: "A", State: "scheduled", CreatedAt: at(1 * time.Second)},
			{ID: "a2", Kind: "activity", Resource: "A", State: "scheduled", CreatedAt: at(2 * time.Second)},
			{ID: "b1", Kind: "activity", Resource: "B", State: "scheduled", CreatedAt: at(0)},
			{ID: "s1", Kind: "service", Resource: "A", State: "scheduled", CreatedAt: at(0)},
			{ID: "x1", Kind: "activity", Resource: "A", State: "started", CreatedAt: at(0)},
		}})
		claim := func(now time.Duration, p store.TaskClaimParams) []store.Task {
			p.Now, p.LeaseFor = at(now), time.Minute
			ts, err := b.s.TaskClaim(b.ctx, p)
			require.NoError(t, err)
			return ts
		}
		ts := claim(0, store.TaskClaimParams{Owner: "w1", Kind: "activity", Resource: "A", State: "scheduled",
			NewState: "started", WorkerName: "worker-1", Limit: 2})
		require.Equal(t, []string{"a1", "a2"}, taskIDs(ts))
		require.Equal(t, store.Task{
			ExecutionARN: e.ARN, ID: "a1", Kind: "activity", Resource: "A", State: "started", WorkerName: "worker-1",
			CreatedAt: at(time.Second), Owner: "w1", LeaseUntil: at(time.Minute), Version: 2,
		}, ts[0])
		got, err := b.s.TaskGet(b.ctx, e.ARN, "a1")
		require.NoError(t, err)
		require.Equal(t, ts[0], got)

		// Claimed tasks changed state, so a claim for "scheduled" skips them even once their
		// lease lapses; without NewState the state stays and WorkerName stays empty.
		ts = claim(0, store.TaskClaimParams{Owner: "w2", Kind: "activity", Resource: "A", State: "scheduled"})
		require.Equal(t, []string{"a3"}, taskIDs(ts))
		require.Equal(t, "scheduled", ts[0].State)
		require.Empty(t, ts[0].WorkerName)
		require.Empty(t, claim(0, store.TaskClaimParams{Owner: "w3", Kind: "activity", Resource: "A", State: "scheduled"}))

		// Any resource when Resource is empty; ties on CreatedAt go by ID.
		ts = claim(0, store.TaskClaimParams{Owner: "w3", Kind: "activity", State: "started"})
		require.Equal(t, []string{"x1"}, taskIDs(ts))
		ts = claim(2*time.Minute, store.TaskClaimParams{Owner: "w4", Kind: "activity", State: "started"})
		require.Equal(t, []string{"x1", "a1", "a2"}, taskIDs(ts), "expired leases are taken over, oldest first")
		ts = claim(2*time.Minute, store.TaskClaimParams{Owner: "w4", Kind: "activity", State: "scheduled"})
		require.Equal(t, []string{"b1", "a3"}, taskIDs(ts))
		ts = claim(2*time.Minute, store.TaskClaimParams{Owner: "w4", Kind: "service", State: "scheduled"})
		require.Equal(t, []string{"s1"}, taskIDs(ts))
	})
	t.Run("Update", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		b.appendN(e, 1, store.HistoryAppendParams{TasksAdd: []store.Task{
			{ID: "t", Kind: "activity", Resource: "A", Token: "tok", State: "scheduled", Input: []byte(`in`), CreatedAt: at(0)},
		}})
		tk, err := b.s.TaskGet(b.ctx, e.ARN, "t")
		require.NoError(t, err)
		claimed, err := b.s.TaskClaim(b.ctx, store.TaskClaimParams{
			Now: at(0), Owner: "w", LeaseFor: time.Minute, Kind: "activity", State: "scheduled",
		})
		require.NoError(t, err)
		require.Len(t, claimed, 1)

		tk.State = "started"
		_, err = b.s.TaskUpdate(b.ctx, tk)
		require.ErrorIs(t, err, store.ErrConflict, "the claim moved the version on")

		up := claimed[0]
		up.State, up.Owner, up.LeaseUntil, up.WorkerName, up.StartedAt = "started", "", time.Time{}, "wk", at(time.Second)
		// Immutable fields are ignored by TaskUpdate.
		up.Kind, up.Input = "changed", []byte("changed")
		got, err := b.s.TaskUpdate(b.ctx, up)
		require.NoError(t, err)
		want := claimed[0]
		want.State, want.Owner, want.LeaseUntil, want.WorkerName, want.StartedAt = "started", "", time.Time{}, "wk", at(time.Second)
		want.Version = claimed[0].Version + 1
		require.Equal(t, want, got)
		stored, err := b.s.TaskGetByToken(b.ctx, "tok")
		require.NoError(t, err)
		require.Equal(t, want, stored)

		_, err = b.s.TaskUpdate(b.ctx, up)
		require.ErrorIs(t, err, store.ErrConflict)
		up.ID = "missing"
		_, err = b.s.TaskUpdate(b.ctx, up)
		require.ErrorIs(t, err, store.ErrNotFound)
	})
	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		e = b.appendN(e, 1, store.HistoryAppendParams{TasksAdd: []store.Task{
			{ID: "t", Kind: "callback", Token: "tok", State: "scheduled"},
		}})
		// Deleting frees the token, so the same transition may reuse it.
		b.appendN(e, 1, store.HistoryAppendParams{
			TasksDelete: []string{"t"},
			TasksAdd:    []store.Task{{ID: "t2", Kind: "callback", Token: "tok", State: "scheduled"}},
		})
		_, err := b.s.TaskGet(b.ctx, e.ARN, "t")
		require.ErrorIs(t, err, store.ErrNotFound)
		got, err := b.s.TaskGetByToken(b.ctx, "tok")
		require.NoError(t, err)
		require.Equal(t, "t2", got.ID)
	})
}
