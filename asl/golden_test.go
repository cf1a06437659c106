package asl

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// update rewrites golden files and the conformance known-failures list.
var update = flag.Bool("update", false, "rewrite golden files and known-failure lists")

// txtarFile is a parsed txtar archive: a comment and named sections.
type txtarFile struct {
	comment string
	names   []string
	data    map[string]string
}

func parseTxtar(text string) *txtarFile {
	a := &txtarFile{data: map[string]string{}}
	cur := ""
	var b strings.Builder
	flush := func() {
		if cur == "" {
			a.comment = b.String()
		} else {
			a.data[cur] = b.String()
		}
		b.Reset()
	}
	for _, line := range strings.SplitAfter(text, "\n") {
		trimmed := strings.TrimRight(line, "\n")
		if strings.HasPrefix(trimmed, "-- ") && strings.HasSuffix(trimmed, " --") && len(trimmed) > 6 {
			flush()
			cur = strings.TrimSpace(trimmed[3 : len(trimmed)-3])
			a.names = append(a.names, cur)
			continue
		}
		b.WriteString(line)
	}
	flush()
	return a
}

func (a *txtarFile) format() string {
	var b strings.Builder
	b.WriteString(a.comment)
	for _, n := range a.names {
		fmt.Fprintf(&b, "-- %s --\n", n)
		d := a.data[n]
		b.WriteString(d)
		if d != "" && !strings.HasSuffix(d, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// TestGolden runs asl/testdata/*.txtar: definition.json, input.json, script (what each
// Task returns, see parseScript) and want-history (events, then the Close command).
// With -update the want-history sections are rewritten from what the interpreter does.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(file)
			require.NoError(t, err)
			a := parseTxtar(string(raw))
			m, err := Parse(a.data["definition.json"])
			require.NoError(t, err)
			input := strings.TrimSpace(a.data["input.json"])
			if input == "" {
				input = "{}"
			}
			in, err := jsonvalue.ParseString(input)
			require.NoError(t, err)
			sc, err := parseScript(a.data["script"])
			require.NoError(t, err)
			res := runHarness(t, m, testInfo(), in, sc, true)
			got := formatHistory(res.events) + formatClose(res.close)
			if *update {
				if _, ok := a.data["want-history"]; !ok {
					a.names = append(a.names, "want-history")
				}
				a.data["want-history"] = got
				require.NoError(t, os.WriteFile(file, []byte(a.format()), 0o644))
				return
			}
			require.Equal(t, a.data["want-history"], got)
			checkReplay(t, m, res)
		})
	}
}

func formatClose(c *Close) string {
	if c == nil {
		return "still running\n"
	}
	if c.Status == "SUCCEEDED" {
		return fmt.Sprintf("close %s %s\n", c.Status, jsonvalue.Marshal(c.Output))
	}
	return fmt.Sprintf("close %s error=%q cause=%q\n", c.Status, c.Error, c.Cause)
}

// checkReplay feeds the recorded inputs through Step again, once keeping the State in
// memory and once round-tripping it through MarshalState/UnmarshalState before every
// step, and requires byte-identical events and snapshots.
func checkReplay(t *testing.T, m *Machine, res *harnessResult) {
	t.Helper()
	for _, roundTrip := range []bool{false, true} {
		var st *State
		var events []Event
		for i, in := range res.inputs {
			d, err := m.Step(st, in, res.times[i])
			require.NoError(t, err)
			events = append(events, d.Events...)
			b, err := MarshalState(d.State)
			require.NoError(t, err)
			require.True(t, bytes.Equal(res.states[i], b), "snapshot differs after input %d (%T)", i, in)
			st = d.State
			if roundTrip {
				st, err = UnmarshalState(b)
				require.NoError(t, err)
			}
		}
		require.Equal(t, formatHistory(res.events), formatHistory(events))
	}
}
