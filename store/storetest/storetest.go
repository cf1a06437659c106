// Package storetest is the conformance suite every store driver must pass, plus the
// benchmarks and integrity check they share. Drivers call Run from their own tests
// with a function that opens a fresh, empty store.
package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

// Open returns a fresh, empty store for one test; it registers its own cleanup.
type Open func(t *testing.T) store.Store

// Run runs the whole suite against the driver opened by open.
func Run(t *testing.T, open Open) {
	t.Run("Record", func(t *testing.T) { testRecord(t, open) })
	t.Run("Execution", func(t *testing.T) { testExecution(t, open) })
	t.Run("History", func(t *testing.T) { testHistory(t, open) })
	t.Run("Timer", func(t *testing.T) { testTimer(t, open) })
	t.Run("Task", func(t *testing.T) { testTask(t, open) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("Model", func(t *testing.T) { testModel(t, open) })
}

// base is the suite's fixed "now"; whole microseconds, as the contract keeps.
var base = time.Date(2026, 3, 4, 5, 6, 7, 890123000, time.UTC)

// at returns base plus d.
func at(d time.Duration) time.Time { return base.Add(d) }

// bundle is what each test works with.
type bundle struct {
	t   *testing.T
	s   store.Store
	ctx context.Context
}

func setup(t *testing.T, open Open) *bundle {
	t.Helper()
	s := open(t)
	t.Cleanup(func() { Check(t, s) })
	return &bundle{t: t, s: s, ctx: t.Context()}
}

// Check verifies what must hold in any store at rest: every execution's history runs
// from 1 to NextEventID-1 without a gap, each event's id in its place.
func Check(t testing.TB, s store.Store) {
	t.Helper()
	// t.Context is already done in cleanups.
	ctx := context.Background()
	execs, err := s.ExecutionList(ctx, store.ExecutionListParams{})
	require.NoError(t, err)
	for _, e := range execs {
		evs, err := s.HistoryList(ctx, store.HistoryListParams{ExecutionARN: e.ARN})
		require.NoError(t, err)
		require.Len(t, evs, int(e.NextEventID-1), "execution %s history length", e.ARN)
		for i, ev := range evs {
			require.Equal(t, int64(i+1), ev.ID, "execution %s event %d", e.ARN, i)
		}
	}
}

// execARN names test execution i.
func execARN(i int) string {
	return fmt.Sprintf("arn:aws:states:us-east-1:000000000000:execution:sm:e%03d", i)
}

const smARN = "arn:aws:states:us-east-1:000000000000:stateMachine:sm"

// newExecution returns a RUNNING execution row for arn.
func newExecution(arn string, start time.Time) store.Execution {
	return store.Execution{
		ARN: arn, StateMachineARN: smARN, Name: arn[len(arn)-4:], Status: "RUNNING",
		StartTime: start, Data: []byte(`{"input":"{}"}`), Snapshot: []byte(`snap-1`),
	}
}

// events returns n events with ids from first on.
func events(first int64, n int, typ string) []store.HistoryEvent {
	evs := make([]store.HistoryEvent, n)
	for i := range evs {
		id := first + int64(i)
		evs[i] = store.HistoryEvent{
			ID: id, PreviousEventID: id - 1, Timestamp: at(time.Duration(id) * time.Millisecond),
			Type: typ, Details: fmt.Appendf(nil, `{"n":%d}`, id),
		}
	}
	return evs
}

// create starts execution arn with one ExecutionStarted event.
func (b *bundle) create(arn string, start time.Time) store.Execution {
	b.t.Helper()
	e := newExecution(arn, start)
	require.NoError(b.t, b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
		Create: true, Execution: e, ExpectNextEventID: 1, Events: events(1, 1, "ExecutionStarted"),
	}))
	got, err := b.s.ExecutionGet(b.ctx, arn)
	require.NoError(b.t, err)
	return got
}

// appendN appends n events to e (as loaded) and returns the reloaded row.
func (b *bundle) appendN(e store.Execution, n int, p store.HistoryAppendParams) store.Execution {
	b.t.Helper()
	p.Execution = e
	p.ExpectNextEventID = e.NextEventID
	p.Events = events(e.NextEventID, n, "PassStateEntered")
	require.NoError(b.t, b.s.HistoryAppend(b.ctx, p))
	got, err := b.s.ExecutionGet(b.ctx, e.ARN)
	require.NoError(b.t, err)
	return got
}

// history returns all of arn's events.
func (b *bundle) history(arn string) []store.HistoryEvent {
	b.t.Helper()
	evs, err := b.s.HistoryList(b.ctx, store.HistoryListParams{ExecutionARN: arn})
	require.NoError(b.t, err)
	return evs
}

// ids returns the ids of evs.
func ids(evs []store.HistoryEvent) []int64 {
	out := make([]int64, len(evs))
	for i, ev := range evs {
		out[i] = ev.ID
	}
	return out
}
