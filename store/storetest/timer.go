package storetest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

func timerIDs(ts []store.Timer) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.ID)
	}
	return out
}

func testTimer(t *testing.T, open Open) {
	t.Run("ClaimDueInOrder", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		b.appendN(e, 1, store.HistoryAppendParams{TimersAdd: []store.Timer{
			{ID: "c", Kind: "wait", FireAt: at(3 * time.Second), Data: []byte(`{"c":1}`)},
			{ID: "a", Kind: "wait", FireAt: at(1 * time.Second)},
			{ID: "b", Kind: "retry", FireAt: at(2 * time.Second)},
			{ID: "later", Kind: "timeout", FireAt: at(time.Hour)},
		}})
		claim := func(now time.Duration, owner string, limit int) []store.Timer {
			ts, err := b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(now), Owner: owner, LeaseFor: time.Minute, Limit: limit})
			require.NoError(t, err)
			return ts
		}
		require.Empty(t, claim(0, "n1", 10))
		ts := claim(5*time.Second, "n1", 2)
		require.Equal(t, []string{"a", "b"}, timerIDs(ts))
		require.Equal(t, store.Timer{
			ExecutionARN: e.ARN, ID: "a", Kind: "wait", FireAt: at(time.Second),
			Owner: "n1", LeaseUntil: at(5*time.Second + time.Minute),
		}, ts[0])
		ts = claim(5*time.Second, "n2", 0)
		require.Equal(t, []string{"c"}, timerIDs(ts))
		require.Equal(t, []byte(`{"c":1}`), ts[0].Data)
		require.Empty(t, claim(6*time.Second, "n3", 0), "all due timers are leased")
		// A minute after the lease was granted it has lapsed, so n3 takes them over.
		ts = claim(5*time.Second+time.Minute+time.Microsecond, "n3", 0)
		require.Equal(t, []string{"a", "b", "c"}, timerIDs(ts))
		for _, tm := range ts {
			require.Equal(t, "n3", tm.Owner)
		}
	})
	t.Run("ReplaceAndDelete", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		e = b.appendN(e, 1, store.HistoryAppendParams{TimersAdd: []store.Timer{
			{ID: "a", FireAt: at(time.Second)}, {ID: "b", FireAt: at(time.Second)},
		}})
		ts, err := b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(time.Second), Owner: "n1", LeaseFor: time.Hour})
		require.NoError(t, err)
		require.Len(t, ts, 2)
		// Replacing a leased timer gives a fresh, unleased one; deleting drops it.
		b.appendN(e, 1, store.HistoryAppendParams{
			TimersAdd:    []store.Timer{{ID: "a", Kind: "again", FireAt: at(2 * time.Second)}},
			TimersDelete: []string{"b", "missing"},
		})
		ts, err = b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(3 * time.Second), Owner: "n2", LeaseFor: time.Hour})
		require.NoError(t, err)
		require.Equal(t, []store.Timer{{
			ExecutionARN: e.ARN, ID: "a", Kind: "again", FireAt: at(2 * time.Second),
			Owner: "n2", LeaseUntil: at(3*time.Second + time.Hour),
		}}, ts)
	})
	t.Run("DeleteThenAddSameID", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e := b.create(execARN(1), at(0))
		e = b.appendN(e, 1, store.HistoryAppendParams{TimersAdd: []store.Timer{{ID: "a", FireAt: at(time.Second)}}})
		b.appendN(e, 1, store.HistoryAppendParams{
			TimersDelete: []string{"a"},
			TimersAdd:    []store.Timer{{ID: "a", Kind: "new", FireAt: at(time.Second)}},
		})
		ts, err := b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(time.Second), Owner: "n", LeaseFor: time.Hour})
		require.NoError(t, err)
		require.Equal(t, []string{"a"}, timerIDs(ts))
		require.Equal(t, "new", ts[0].Kind)
	})
	t.Run("ClaimByIDs", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		e1 := b.create(execARN(1), at(0))
		e2 := b.create(execARN(2), at(0))
		add := []store.Timer{{ID: "a", FireAt: at(0)}, {ID: "b", FireAt: at(0)}, {ID: "future", FireAt: at(time.Hour)}}
		b.appendN(e1, 1, store.HistoryAppendParams{TimersAdd: add})
		b.appendN(e2, 1, store.HistoryAppendParams{TimersAdd: add})
		ts, err := b.s.TimerClaim(b.ctx, store.TimerClaimParams{
			Now: at(0), Owner: "n", LeaseFor: time.Minute, ExecutionARN: e1.ARN, IDs: []string{"b", "future", "nope"},
		})
		require.NoError(t, err)
		require.Len(t, ts, 1)
		require.Equal(t, e1.ARN, ts[0].ExecutionARN)
		require.Equal(t, "b", ts[0].ID)
		ts, err = b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(0), Owner: "m", LeaseFor: time.Minute})
		require.NoError(t, err)
		require.Len(t, ts, 3, "e1/a, e2/a and e2/b remain")
	})
	t.Run("Next", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		next, err := b.s.TimerNext(b.ctx, at(0))
		require.NoError(t, err)
		require.True(t, next.IsZero())
		e := b.create(execARN(1), at(0))
		b.appendN(e, 1, store.HistoryAppendParams{TimersAdd: []store.Timer{
			{ID: "a", FireAt: at(time.Second)}, {ID: "b", FireAt: at(time.Minute)},
		}})
		next, err = b.s.TimerNext(b.ctx, at(0))
		require.NoError(t, err)
		require.Equal(t, at(time.Second), next)
		_, err = b.s.TimerClaim(b.ctx, store.TimerClaimParams{Now: at(time.Second), Owner: "n", LeaseFor: time.Hour})
		require.NoError(t, err)
		next, err = b.s.TimerNext(b.ctx, at(time.Second))
		require.NoError(t, err)
		require.Equal(t, at(time.Minute), next, "a leased timer is not next")
		next, err = b.s.TimerNext(b.ctx, at(2*time.Hour))
		require.NoError(t, err)
		require.Equal(t, at(time.Second), next, "an expired lease makes the timer claimable again")
	})
	t.Run("Wake", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		w, ok := b.s.(store.Waker)
		if !ok {
			t.Skip("driver does not implement store.Waker")
		}
		e := b.create(execARN(1), at(0))
		ch := w.Wake()
		b.appendN(e, 1, store.HistoryAppendParams{TimersAdd: []store.Timer{{ID: "a", FireAt: at(0)}}})
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("no wake-up after adding a timer")
		}
	})
}
