package asl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// passChain builds a machine of n Pass states in a row.
func passChain(n int) string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		if i == n-1 {
			fmt.Fprintf(&b, `"S%d":{"Type":"Pass","End":true}`, i)
		} else {
			fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Next":"S%d"}`, i, i+1)
		}
	}
	b.WriteString(`}}`)
	return b.String()
}

// BenchmarkPassChain runs a 1,000-state Pass chain through Step in memory and reports
// state transitions per second (DESIGN.md §6 targets at least 1,000,000).
func BenchmarkPassChain(b *testing.B) {
	m, err := Parse(passChain(1000))
	require.NoError(b, err)
	input := jsonvalue.MustParse(`{"order":{"id":"o-1","items":[1,2,3]},"customer":"c-9"}`)
	info := testInfo()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := m.Step(nil, Start{Info: info, Input: input, Seed: 1}, harnessStart)
		if err != nil || len(d.Events) != 2002 {
			b.Fatalf("unexpected step: %v, %d events", err, len(d.Events))
		}
	}
	b.ReportMetric(float64(b.N)*1000/b.Elapsed().Seconds(), "transitions/s")
}

func TestPassChainCompletes(t *testing.T) {
	t.Parallel()
	m, err := Parse(passChain(1000))
	require.NoError(t, err)
	d, err := m.Step(nil, Start{Info: testInfo(), Input: jsonvalue.NewObject(0)}, harnessStart)
	require.NoError(t, err)
	require.Len(t, d.Events, 2002)
	require.Equal(t, Close{Status: "SUCCEEDED", Output: jsonvalue.NewObject(0)}, d.Commands[len(d.Commands)-1])
}

// FuzzParse checks that Parse never panics, and that a machine it accepts can start.
func FuzzParse(f *testing.F) {
	f.Add(passChain(3))
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Map","ItemProcessor":{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}},"End":true}}}`)
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsPresent":true},"Next":"A"}]}}}`)
	f.Add(`{"StartAt":"A","States":{"A":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Fail"}}}],"End":true}}}`)
	f.Fuzz(func(t *testing.T, def string) {
		m, err := Parse(def)
		if err != nil {
			return
		}
		d, err := m.Step(nil, Start{Info: testInfo(), Input: jsonvalue.NewObject(0)}, harnessStart)
		if err == nil && d.State == nil {
			t.Fatal("no state after Start")
		}
	})
}

// BenchmarkSnapshot measures MarshalState and UnmarshalState of an execution waiting
// in a Task: at the top level, and inside a Map of 10 running iterations.
func BenchmarkSnapshot(b *testing.B) {
	b.Run("Task", func(b *testing.B) {
		benchSnapshot(b, `{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`,
			`{"order":{"id":"o-1","items":[1,2,3]},"customer":"c-9"}`)
	})
	b.Run("Map10", func(b *testing.B) {
		benchSnapshot(b, `{"StartAt":"Each","States":{"Each":{"Type":"Map","ItemProcessor":{"StartAt":"Work","States":{
		"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`,
			`[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6},{"id":7},{"id":8},{"id":9},{"id":10}]`)
	})
	b.Run("Map1000", func(b *testing.B) {
		var items strings.Builder
		items.WriteString("[")
		for i := 0; i < 1000; i++ {
			if i > 0 {
				items.WriteString(",")
			}
			fmt.Fprintf(&items, `{"id":%d,"name":"item-%d"}`, i, i)
		}
		items.WriteString("]")
		benchSnapshot(b, `{"StartAt":"Each","States":{"Each":{"Type":"Map","MaxConcurrency":10,"ItemProcessor":{"StartAt":"Work","States":{
		"Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}}}`, items.String())
	})
}

func benchSnapshot(b *testing.B, def, in string) {
	m, err := Parse(def)
	require.NoError(b, err)
	input := jsonvalue.MustParse(in)
	d, err := m.Step(nil, Start{Info: testInfo(), Input: input, Seed: 1}, harnessStart)
	require.NoError(b, err)
	snap, err := MarshalState(d.State)
	require.NoError(b, err)
	b.Run("Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := MarshalState(d.State); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(snap)), "bytes")
	})
	b.Run("Unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := UnmarshalState(snap); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzUnmarshalState checks that corrupt snapshots give errors, not panics.
func FuzzUnmarshalState(f *testing.F) {
	m, err := Parse(`{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}],"End":true}}}`)
	require.NoError(f, err)
	d, err := m.Step(nil, Start{Info: testInfo(), Input: jsonvalue.MustParse(`{"a":[1,2]}`)}, harnessStart)
	require.NoError(f, err)
	snap, err := MarshalState(d.State)
	require.NoError(f, err)
	f.Add(snap)
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := UnmarshalState(b)
		if err != nil {
			return
		}
		_, _ = m.Step(s, TimerFired{TimerID: "x"}, harnessStart)
	})
}

// BenchmarkProcessingChain runs 100 Pass states that each transform their input, in
// JSONPath (Parameters, ResultPath) and JSONata (Output) mode.
func BenchmarkProcessingChain(b *testing.B) {
	for _, mode := range []struct {
		name  string
		state string
	}{
		{"JSONPath", `{"Type":"Pass","Parameters":{"n.$":"$.n","id.$":"$$.Execution.Name"},"ResultPath":"$.last"%s}`},
		{"JSONata", `{"Type":"Pass","QueryLanguage":"JSONata","Output":{"n":"{%% $states.input.n + 1 %%}","id":"{%% $states.context.Execution.Name %%}"}%s}`},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var def strings.Builder
			def.WriteString(`{"StartAt":"S0","States":{`)
			for i := 0; i < 100; i++ {
				if i > 0 {
					def.WriteByte(',')
				}
				next := fmt.Sprintf(`,"Next":"S%d"`, i+1)
				if i == 99 {
					next = `,"End":true`
				}
				fmt.Fprintf(&def, `"S%d":`+mode.state, i, next)
			}
			def.WriteString(`}}`)
			m, err := Parse(def.String())
			require.NoError(b, err)
			input := jsonvalue.MustParse(`{"n":1}`)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				d, err := m.Step(nil, Start{Info: testInfo(), Input: input, Seed: 1}, harnessStart)
				if err != nil || d.State.status != "SUCCEEDED" {
					b.Fatalf("unexpected step: %v %v", err, d.Commands)
				}
			}
			b.ReportMetric(float64(b.N)*100/b.Elapsed().Seconds(), "transitions/s")
		})
	}
}
