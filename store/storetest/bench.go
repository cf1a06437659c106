package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"stepline/store"
)

// BenchmarkConcurrencyDefault is how many goroutines BenchmarkHistoryAppend runs: about
// the number of executions a busy node steps at once.
const BenchmarkConcurrencyDefault = 64

// BenchmarkHistoryAppend measures durable transitions per second: goroutines, each
// driving its own execution, append transitions shaped like a Task state's (2–3
// events of ~200 bytes, a ~500-byte snapshot, one timer replaced). It reports
// "transitions/s" and the process's CPU time per transition; b.N counts transitions.
func BenchmarkHistoryAppend(b *testing.B, s store.Store, concurrency int) {
	ctx := context.Background()
	details := []byte(`{"input":"` + strings.Repeat("x", 170) + `","inputDetails":{"truncated":false}}`)
	snapshot := []byte(strings.Repeat("s", 500))
	execs := make([]store.Execution, concurrency)
	for g := range execs {
		e := newExecution(fmt.Sprintf("arn:aws:states:us-east-1:000000000000:execution:sm:bench-%d-%d", time.Now().UnixNano(), g), at(0))
		if err := s.HistoryAppend(ctx, store.HistoryAppendParams{
			Create: true, Execution: e, ExpectNextEventID: 1, Events: events(1, 1, "ExecutionStarted"),
		}); err != nil {
			b.Fatal(err)
		}
		e.NextEventID = 2
		execs[g] = e
	}
	var left atomic.Int64
	left.Store(int64(b.N))
	var wg sync.WaitGroup
	var failed atomic.Pointer[error]
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for g := range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := execs[g]
			for i := 0; left.Add(-1) >= 0; i++ {
				n := 2 + i%2
				evs := make([]store.HistoryEvent, n)
				for k := range evs {
					id := e.NextEventID + int64(k)
					evs[k] = store.HistoryEvent{ID: id, PreviousEventID: id - 1, Timestamp: at(time.Duration(id)), Type: "TaskStateEntered", Details: details}
				}
				e.Snapshot = snapshot
				err := s.HistoryAppend(ctx, store.HistoryAppendParams{
					Execution: e, ExpectNextEventID: e.NextEventID, Events: evs,
					TimersDelete: []string{"t"},
					TimersAdd:    []store.Timer{{ID: "t", Kind: "heartbeat", FireAt: at(time.Duration(i) * time.Second)}},
				})
				if err != nil {
					failed.Store(&err)
					return
				}
				e.NextEventID += int64(n)
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "transitions/s")
	// On a shared machine transitions/s says how busy it was; CPU per transition does not.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/transition")
}
