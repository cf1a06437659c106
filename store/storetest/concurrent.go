package storetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

// testConcurrent drives many goroutines appending to many executions at once, so group
// commit batches mix executions, stale guards and retries; every call must get its own
// outcome and every execution's history must come out whole.
func testConcurrent(t *testing.T, open Open) {
	b := setup(t, open)
	const nExec, workers, perWorker = 16, 32, 40
	for i := range nExec {
		b.create(execARN(i), at(0))
	}
	type mark struct{ W, I int }
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- appendLoop(b, w, perWorker, nExec)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	seen := map[mark]int{}
	for i := range nExec {
		e, err := b.s.ExecutionGet(b.ctx, execARN(i))
		require.NoError(t, err)
		evs := b.history(e.ARN)
		require.Len(t, evs, int(e.NextEventID-1))
		var last mark
		for j, ev := range evs {
			require.Equal(t, int64(j+1), ev.ID)
			if j == 0 {
				continue
			}
			var m mark
			require.NoError(t, json.Unmarshal(ev.Details, &m))
			require.Equal(t, i, (m.W+m.I)%nExec, "event landed on the wrong execution")
			if ev.Type == "First" {
				seen[m]++
			}
			last = m
		}
		require.Equal(t, fmt.Sprintf("%d/%d", last.W, last.I), string(e.Snapshot))
		ts, err := b.s.TimerClaim(b.ctx, store.TimerClaimParams{
			Now: at(time.Hour), Owner: "check", LeaseFor: time.Minute, ExecutionARN: e.ARN, IDs: []string{"t"},
		})
		require.NoError(t, err)
		require.Len(t, ts, 1)
		require.Equal(t, e.Snapshot, ts[0].Data, "the timer is the last transition's")
	}
	require.Len(t, seen, workers*perWorker, "every accepted transition is in history")
	for m, n := range seen {
		require.Equal(t, 1, n, "transition %v applied %d times", m, n)
	}
}

// appendLoop makes perWorker transitions for worker w, reloading and retrying on
// conflict as the engine does.
func appendLoop(b *bundle, w, perWorker, nExec int) error {
	for i := range perWorker {
		arn := execARN((w + i) % nExec)
		for attempt := 0; ; attempt++ {
			if attempt > 1000 {
				return fmt.Errorf("worker %d: transition %d never got through", w, i)
			}
			e, err := b.s.ExecutionGet(b.ctx, arn)
			if err != nil {
				return err
			}
			n := 1 + (w+i)%3
			evs := events(e.NextEventID, n, "Next")
			evs[0].Type = "First"
			for k := range evs {
				evs[k].Details = fmt.Appendf(nil, `{"W":%d,"I":%d}`, w, i)
			}
			e.Snapshot = fmt.Appendf(nil, "%d/%d", w, i)
			err = b.s.HistoryAppend(b.ctx, store.HistoryAppendParams{
				Execution: e, ExpectNextEventID: e.NextEventID, Events: evs,
				TimersDelete: []string{"t"},
				TimersAdd:    []store.Timer{{ID: "t", Kind: "wait", FireAt: at(time.Duration(i) * time.Second), Data: e.Snapshot}},
			})
			if errors.Is(err, store.ErrConflict) {
				continue
			}
			if err != nil {
				return fmt.Errorf("worker %d transition %d: %w", w, i, err)
			}
			break
		}
	}
	return nil
}
