package storetest

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"stepline/store"
)

// BenchmarkExecutionStart measures writes shaped like StartExecution of a state
// machine that begins with a Wait: a new execution row (random name, ~400-byte
// document and snapshot), two events and one timer, from concurrency goroutines. It
// reports "starts/s" and the process's CPU time per start; b.N counts starts.
func BenchmarkExecutionStart(b *testing.B, s store.Store, concurrency int) {
	ctx := context.Background()
	details := []byte(`{"input":"{}","inputDetails":{"truncated":false},"roleArn":"arn:aws:iam::000000000000:role/r"}`)
	doc := []byte(`{"input":"{}","roleArn":"arn:aws:iam::000000000000:role/r",` + strings.Repeat(`"x":0,`, 40) + `"y":1}`)
	snapshot := []byte(strings.Repeat("s", 400))
	base := time.Now().UTC()
	var next atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				ts := base.Add(time.Duration(i) * time.Microsecond)
				arn := "arn:aws:states:us-east-1:000000000000:execution:sm:" + uuid.NewString()
				e := store.Execution{ARN: arn, StateMachineARN: smARN, Name: arn[len(arn)-36:], Status: "RUNNING",
					StartTime: ts, Data: doc, Snapshot: snapshot}
				err := s.HistoryAppend(ctx, store.HistoryAppendParams{
					Create: true, Execution: e, ExpectNextEventID: 1,
					Events: []store.HistoryEvent{
						{ID: 1, Timestamp: ts, Type: "ExecutionStarted", Details: details},
						{ID: 2, PreviousEventID: 1, Timestamp: ts, Type: "WaitStateEntered", Details: details},
					},
					TimersAdd: []store.Timer{{ID: "wait-" + strconv.FormatInt(i, 10), Kind: "wait", FireAt: ts.Add(24 * time.Hour)}},
				})
				if err != nil {
					failed.Store(&err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(*err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "starts/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/start")
}
