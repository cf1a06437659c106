package sfn_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
)

// BenchmarkDistributedMap measures items per second of a Distributed Map over 10,000
// items whose children are one Pass state, on SQLite: the clock runs from
// StartExecution to the parent's end, and covers creating every child execution,
// counting their ends in the map run and collecting their outputs.
func BenchmarkDistributedMap(b *testing.B) {
	const items = 10000
	var in strings.Builder
	in.WriteString(`{"items":[`)
	for i := range items {
		if i > 0 {
			in.WriteByte(',')
		}
		fmt.Fprintf(&in, `{"n":%d}`, i)
	}
	in.WriteString(`]}`)
	input := in.String()
	for _, typ := range []string{"STANDARD", "EXPRESS"} {
		b.Run(typ, func(b *testing.B) {
			tb := setup(b)
			def := `{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1000,
				"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"` + typ + `"},
				"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"ResultSelector":{"n.$":"States.ArrayLength($)"},"End":true}}}`
			sm := tb.mustCreate(b, "bench", def, "")
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				res, err := tb.svc.StartExecution(tb.ctx, sfn.StartExecutionParams{StateMachineARN: sm, Input: &input})
				require.NoError(b, err)
				ex := tb.waitClosedWithin(b, res.ExecutionARN, 10*time.Minute)
				require.Equal(b, sfn.ExecSucceeded, ex.Status, ex.Cause)
			}
			b.ReportMetric(float64(items*b.N)/time.Since(start).Seconds(), "items/s")
		})
	}
}

// waitClosedWithin polls an execution until it leaves RUNNING.
func (b *testBundle) waitClosedWithin(t testing.TB, arn string, d time.Duration) sfn.Execution {
	t.Helper()
	var ex sfn.Execution
	require.Eventually(t, func() bool {
		var err error
		ex, err = b.svc.DescribeExecution(b.ctx, arn)
		require.NoError(t, err)
		return ex.Status != sfn.ExecRunning
	}, d, 50*time.Millisecond)
	return ex
}
