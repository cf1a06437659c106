package asl

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// The harness plays the engine: it starts an execution, answers the tasks it schedules
// as a script says, fires timers in time order and records every Decision.

// scriptLine is one answer to a task: "task <State> succeed <json>", "task <State> fail
// <Error> [Cause]", "task <State> timeout", "task <State> heartbeat"; or "stop" (abort
// once nothing is left but timers and unanswered tasks).
type scriptLine struct {
	state  string
	action string
	arg    string
	arg2   string
}

type script struct {
	tasks   map[string][]scriptLine
	stop    bool
	redrive bool // redrive once after the execution closes
}

func parseScript(text string) (*script, error) {
	s := &script{tasks: map[string][]scriptLine{}}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		switch fields[0] {
		case "stop":
			s.stop = true
		case "redrive":
			s.redrive = true
		case "task":
			if len(fields) < 3 {
				return nil, fmt.Errorf("bad script line %q", line)
			}
			l := scriptLine{state: fields[1], action: fields[2]}
			rest := strings.TrimSpace(strings.TrimPrefix(line, strings.Join(fields[:3], " ")))
			switch l.action {
			case "succeed":
				l.arg = rest
			case "submit":
				// submit <submit output JSON> <result JSON>: both single-line, split at "} {".
				if i := strings.Index(rest, "} {"); i >= 0 {
					l.arg, l.arg2 = rest[:i+1], rest[i+2:]
				}
			case "fail", "unstarted":
				parts := strings.SplitN(rest, " ", 2)
				l.arg = parts[0]
				if len(parts) > 1 {
					l.arg2 = parts[1]
				}
			}
			s.tasks[l.state] = append(s.tasks[l.state], l)
		default:
			return nil, fmt.Errorf("bad script line %q", line)
		}
	}
	return s, nil
}

// harnessResult is what one simulated execution produced.
type harnessResult struct {
	events []Event
	close  *Close
	inputs []Input     // every input delivered, in order, with its time
	times  []time.Time // the time each input was delivered at
	states [][]byte    // the marshalled State after each Step
}

var harnessStart = time.Date(2024, 2, 7, 13, 50, 16, 0, time.UTC)

type pendingTimer struct {
	id string
	at time.Time
}

// runHarness runs an execution to its end (or until nothing more can happen). With
// roundTrip, the State goes through MarshalState/UnmarshalState between steps.
func runHarness(t testing.TB, m *Machine, info ExecutionInfo, input any, sc *script, roundTrip bool) *harnessResult {
	return runHarnessText(t, m, info, input, "", sc, roundTrip)
}

// runHarnessText is runHarness with the input's original text.
func runHarnessText(t testing.TB, m *Machine, info ExecutionInfo, input any, inputText string, sc *script, roundTrip bool) *harnessResult {
	t.Helper()
	res := &harnessResult{}
	now := harnessStart
	if info.StartTime.IsZero() {
		info.StartTime = now
	}
	queue := []Input{Start{Info: info, Input: input, Seed: 42, InputText: inputText}}
	var timers []pendingTimer
	used := map[string]int{}
	var st *State
	for steps := 0; steps < 100000; steps++ {
		if len(queue) == 0 {
			if res.close != nil && sc != nil && sc.redrive {
				sc.redrive = false
				res.close = nil
				queue = append(queue, Redrive{})
				continue
			}
			if res.close != nil {
				break
			}
			if sc != nil && sc.stop {
				queue = append(queue, Stop{Error: "", Cause: ""})
				sc.stop = false
				continue
			}
			if len(timers) == 0 {
				break
			}
			sort.SliceStable(timers, func(i, j int) bool { return timers[i].at.Before(timers[j].at) })
			tm := timers[0]
			timers = timers[1:]
			if tm.at.After(now) {
				now = tm.at
			}
			queue = append(queue, TimerFired{TimerID: tm.id})
			continue
		}
		in := queue[0]
		queue = queue[1:]
		d, err := m.Step(st, in, now)
		require.NoError(t, err)
		res.inputs = append(res.inputs, in)
		res.times = append(res.times, now)
		res.events = append(res.events, d.Events...)
		st = d.State
		b, err := MarshalState(st)
		require.NoError(t, err)
		res.states = append(res.states, b)
		if roundTrip {
			st, err = UnmarshalState(b)
			require.NoError(t, err)
		}
		for _, c := range d.Commands {
			switch c := c.(type) {
			case ScheduleTask:
				lines := sc.taskLines(c.StateName)
				i := used[c.StateName]
				if i >= len(lines) {
					if len(lines) == 0 {
						continue // never answered
					}
					i = len(lines) - 1
				}
				used[c.StateName]++
				queue = append(queue, answer(c.TaskID, lines[i])...)
			case StartTimer:
				timers = removeTimer(timers, c.TimerID)
				timers = append(timers, pendingTimer{c.TimerID, c.FireAt})
			case CancelTimer:
				timers = removeTimer(timers, c.TimerID)
			case Close:
				cc := c
				res.close = &cc
			}
		}
		if res.close != nil {
			queue = nil
			timers = nil
		}
	}
	return res
}

func (s *script) taskLines(state string) []scriptLine {
	if s == nil {
		return nil
	}
	return s.tasks[state]
}

func removeTimer(ts []pendingTimer, id string) []pendingTimer {
	out := ts[:0]
	for _, t := range ts {
		if t.id != id {
			out = append(out, t)
		}
	}
	return out
}

func answer(id string, l scriptLine) []Input {
	started := TaskStarted{TaskID: id}
	switch l.action {
	case "succeed":
		v, err := jsonvalue.ParseString(l.arg)
		if err != nil {
			v = l.arg
		}
		return []Input{started, TaskSucceeded{TaskID: id, Output: v}}
	case "fail":
		return []Input{started, TaskFailed{TaskID: id, Error: l.arg, Cause: l.arg2}}
	case "unstarted":
		return []Input{TaskFailed{TaskID: id, Error: l.arg, Cause: l.arg2}}
	case "submit":
		sub, _ := jsonvalue.ParseString(l.arg)
		out, _ := jsonvalue.ParseString(l.arg2)
		return []Input{started, TaskSubmitted{TaskID: id, Output: sub}, TaskSucceeded{TaskID: id, Output: out}}
	case "timeout":
		return []Input{started, TaskTimedOut{TaskID: id}}
	case "heartbeat":
		return []Input{started, TaskTimedOut{TaskID: id, Heartbeat: true}}
	case "hang":
		return []Input{started}
	}
	return nil
}

// formatHistory renders events one per line for golden files.
func formatHistory(events []Event) string {
	var b strings.Builder
	for _, e := range events {
		fmt.Fprintf(&b, "%d %d %s", e.ID, e.PreviousEventID, e.Type)
		if e.Details != nil {
			fmt.Fprintf(&b, " %s", e.Details)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func testInfo() ExecutionInfo {
	return ExecutionInfo{
		ExecutionARN:     "arn:aws:states:us-east-1:111111111111:execution:MyMachine:exec-1",
		Name:             "exec-1",
		StateMachineARN:  "arn:aws:states:us-east-1:111111111111:stateMachine:MyMachine",
		StateMachineName: "MyMachine",
		RoleARN:          "arn:aws:iam::111111111111:role/test",
		Type:             "STANDARD",
		StartTime:        harnessStart,
	}
}
