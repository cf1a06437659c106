package sfn_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/asl"
	"stepline/jsonvalue"
	"stepline/sfn"
	"stepline/store"
)

// passChain is a definition of n Pass states in a row; with wait, each Pass is
// followed by a Wait until a millisecond later (a JSONata Timestamp: a zero-second
// Wait would not wait at all), so that every step is its own durable write through
// the timer outbox.
func passChain(n int, wait bool) string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == n-1 {
			next = `"End":true`
		}
		if wait && i < n-1 {
			fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Next":"W%d"},"W%d":{"Type":"Wait","QueryLanguage":"JSONata",`+
				`"Timestamp":"{%% $fromMillis($millis() + 1) %%}",%s}`, i, i, i, next)
			continue
		}
		fmt.Fprintf(&b, `"S%d":{"Type":"Pass",%s}`, i, next)
	}
	b.WriteString(`}}`)
	return b.String()
}

// countTransitions counts the state transitions (states entered) of a run.
func countTransitions(t testing.TB, b *testBundle, arn string) int {
	events, _, err := b.svc.GetExecutionHistory(b.ctx, sfn.HistoryParams{ExecutionARN: arn, Page: sfn.Page{Max: 1000}})
	require.NoError(t, err)
	n := 0
	for _, e := range events {
		if strings.HasSuffix(e.Type, "StateEntered") {
			n++
		}
	}
	return n
}

// BenchmarkDurableTransitions measures state transitions per second of Standard
// executions on SQLite with many executions running at once: b.N executions are
// started by 64 callers and the clock stops when none is open. "PassChain" runs a
// 20-Pass chain (the interpreter runs it in the start's one write); "WaitChain" puts
// a one-millisecond Wait after each Pass, so each Pass+Wait pair is a separate write
// delivered through the timer loop.
func BenchmarkDurableTransitions(b *testing.B) {
	for _, tc := range []struct {
		name string
		wait bool
	}{{"PassChain", false}, {"WaitChain", true}} {
		b.Run(tc.name, func(b *testing.B) {
			tb := setup(b)
			sm := tb.mustCreate(b, "chain", passChain(20, tc.wait), "")
			const starters = 64
			var next atomic.Int64
			var first atomic.Value
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < starters; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						res, err := tb.svc.StartExecution(tb.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Name: fmt.Sprintf("e%d", i)})
						if err != nil {
							b.Error(err)
							return
						}
						first.CompareAndSwap(nil, res.ExecutionARN)
					}
				}()
			}
			wg.Wait()
			waitNoneOpen(b, tb, sm)
			elapsed := time.Since(start)
			b.StopTimer()
			per := countTransitions(b, tb, first.Load().(string))
			b.ReportMetric(float64(per*b.N)/elapsed.Seconds(), "transitions/s")
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "executions/s")
		})
	}
}

// waitNoneOpen waits until no execution of sm is open, looking every 10 ms with one
// cheap query, so that waiting costs little next to what is measured.
func waitNoneOpen(tb testing.TB, b *testBundle, sm string) {
	for {
		open, err := b.store.ExecutionList(b.ctx, store.ExecutionListParams{StateMachineARN: sm, Open: true, Limit: 1})
		if err != nil {
			tb.Fatal(err)
		}
		if len(open) == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkInMemoryPass measures the in-memory loop (stepline run, Express) on a
// 1,000-Pass chain.
func BenchmarkInMemoryPass(b *testing.B) {
	m, err := asl.Parse(passChain(1000, false))
	require.NoError(b, err)
	input := jsonvalue.MustParse(`{"a":1}`)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := sfn.RunInMemory(context.Background(), sfn.MemoryRunOptions{Machine: m, Input: input, InstantTimers: true})
		if err != nil || res.Status != sfn.ExecSucceeded {
			b.Fatal(err, res.Status)
		}
	}
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "transitions/s")
}

// BenchmarkStartExecution measures StartExecution in process (no HTTP) with 64
// callers: each start is one durable write of ExecutionStarted and the Wait it
// enters.
func BenchmarkStartExecution(b *testing.B) {
	tb := setup(b)
	sm := tb.mustCreate(b, "starts", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, "")
	var next atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := 0; w < 64; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				if _, err := tb.svc.StartExecution(tb.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Name: fmt.Sprintf("s%d", i)}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "starts/s")
}
