package asl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// TestChaos drives every golden definition with random engine behaviour: tasks start,
// succeed, fail or time out in any order, timers fire early or twice, stops and
// redrives come at random. Step must never return an error, and replaying the same
// inputs must give the same events.
func TestChaos(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.txtar")
	require.NoError(t, err)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		require.NoError(t, err)
		a := parseTxtar(string(raw))
		m, err := Parse(a.data["definition.json"])
		require.NoError(t, err)
		input := strings.TrimSpace(a.data["input.json"])
		if input == "" {
			input = "{}"
		}
		for seed := uint64(1); seed <= 10; seed++ {
			chaosRun(t, filepath.Base(file), m, jsonvalue.MustParse(input), seed)
		}
	}
}

func chaosRun(t *testing.T, name string, m *Machine, input any, seed uint64) {
	rng := State{rng: seed} // the interpreter's own generator, as a test random source
	now := harnessStart
	var st *State
	var tasks, timers []string
	var inputs []Input
	var times []time.Time
	var events []Event
	step := func(in Input) {
		d, err := m.Step(st, in, now)
		require.NoError(t, err, "%s seed %d input %#v", name, seed, in)
		inputs, times = append(inputs, in), append(times, now)
		events = append(events, d.Events...)
		st = d.State
		for _, c := range d.Commands {
			switch c := c.(type) {
			case ScheduleTask:
				tasks = append(tasks, c.TaskID)
			case StartTimer:
				timers = append(timers, c.TimerID)
			}
		}
		if rng.next64()%2 == 0 {
			b, err := MarshalState(st)
			require.NoError(t, err)
			st, err = UnmarshalState(b)
			require.NoError(t, err)
		}
	}
	pick := func(ids []string) string {
		if len(ids) == 0 {
			return "none"
		}
		return ids[rng.next64()%uint64(len(ids))]
	}
	step(Start{Info: testInfo(), Input: input, Seed: seed})
	for i := 0; i < 60; i++ {
		now = now.Add(time.Duration(rng.next64()%5000) * time.Millisecond)
		var in Input
		switch rng.next64() % 12 {
		case 0, 1:
			in = TaskStarted{TaskID: pick(tasks), WorkerName: "w"}
		case 2, 3:
			in = TaskSucceeded{TaskID: pick(tasks), Output: jsonvalue.ObjectOf("ok", true)}
		case 4:
			in = TaskFailed{TaskID: pick(tasks), Error: "Boom", Cause: "chaos"}
		case 5:
			in = TaskTimedOut{TaskID: pick(tasks), Heartbeat: rng.next64()%2 == 0}
		case 6:
			in = TaskSubmitted{TaskID: pick(tasks), Output: "submitted"}
		case 7, 8, 9:
			in = TimerFired{TimerID: pick(timers)}
		case 10:
			in = Stop{Error: "Stopped"}
		case 11:
			if st.Closed() && st.status != "SUCCEEDED" {
				in = Redrive{}
			} else {
				in = TimerFired{TimerID: executionTimerID}
			}
		}
		step(in)
	}
	// Replay without round trips: the same events.
	var replay *State
	var again []Event
	for i, in := range inputs {
		d, err := m.Step(replay, in, times[i])
		require.NoError(t, err)
		again = append(again, d.Events...)
		replay = d.State
	}
	require.Equal(t, formatHistory(events), formatHistory(again), "%s seed %d", name, seed)
}
