package web

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
)

func events(pairs ...string) []sfn.HistoryEvent {
	var out []sfn.HistoryEvent
	for i := 0; i+1 < len(pairs); i += 2 {
		ev := sfn.HistoryEvent{ID: int64(len(out) + 1), Type: pairs[i]}
		if pairs[i+1] != "" {
			ev.Details = []byte(`{"name":"` + pairs[i+1] + `"}`)
		}
		out = append(out, ev)
	}
	return out
}

func outcomesOf(evs []sfn.HistoryEvent) map[string]string {
	t := newOutcomeTracker()
	for _, ev := range evs {
		t.add(ev)
	}
	return t.Outcomes
}

func TestOutcomes(t *testing.T) {
	t.Parallel()
	t.Run("RunningAndSucceeded", func(t *testing.T) {
		t.Parallel()
		got := outcomesOf(events("ExecutionStarted", "", "PassStateEntered", "A", "PassStateExited", "A", "WaitStateEntered", "W"))
		require.Equal(t, map[string]string{"A": outcomeSucceeded, "W": outcomeRunning}, got)
	})
	t.Run("RetriedTaskSucceeds", func(t *testing.T) {
		t.Parallel()
		got := outcomesOf(events("TaskStateEntered", "T", "TaskScheduled", "", "TaskFailed", "",
			"TaskScheduled", "", "TaskSucceeded", "", "TaskStateExited", "T"))
		require.Equal(t, outcomeSucceeded, got["T"])
	})
	t.Run("CaughtFailure", func(t *testing.T) {
		t.Parallel()
		got := outcomesOf(events("TaskStateEntered", "T", "TaskScheduled", "", "TaskFailed", "", "TaskStateExited", "T",
			"PassStateEntered", "Handler", "PassStateExited", "Handler"))
		require.Equal(t, outcomeCaught, got["T"])
		require.Equal(t, outcomeSucceeded, got["Handler"])
	})
	t.Run("ExecutionFailsInState", func(t *testing.T) {
		t.Parallel()
		got := outcomesOf(events("TaskStateEntered", "T", "TaskScheduled", "", "TaskFailed", "", "ExecutionFailed", ""))
		require.Equal(t, outcomeFailed, got["T"])
	})
	t.Run("FailState", func(t *testing.T) {
		t.Parallel()
		got := outcomesOf(events("FailStateEntered", "No", "ExecutionFailed", ""))
		require.Equal(t, outcomeFailed, got["No"])
	})
	t.Run("Aborted", func(t *testing.T) {
		t.Parallel()
		got := outcomesOf(events("WaitStateEntered", "W", "ExecutionAborted", ""))
		require.Equal(t, outcomeAborted, got["W"])
	})
	t.Run("BadDetails", func(t *testing.T) {
		t.Parallel()
		tr := newOutcomeTracker()
		tr.add(sfn.HistoryEvent{Type: "PassStateEntered", Details: []byte("not json")})
		tr.add(sfn.HistoryEvent{Type: "PassStateExited"})
		require.Len(t, tr.Outcomes, 1)
	})
}

func TestStatusWords(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"SUCCEEDED": "Succeeded", "FAILED": "Failed", "RUNNING": "In progress", "TIMED_OUT": "Timed out",
		"ABORTED": "Aborted", "InProgress": "In progress", "Stopped": "Stopped", "": "No executions", "Odd": "Odd",
	} {
		require.Equal(t, want, statusOf(in).Text, in)
	}
}

func TestEdgeTaken(t *testing.T) {
	t.Parallel()
	o := map[string]string{"A": outcomeSucceeded, "B": outcomeRunning, "T": outcomeCaught, "H": outcomeSucceeded}
	require.True(t, edgeTaken(o, "", "A"), "from Start into an entered state")
	require.True(t, edgeTaken(o, "A", "B"))
	require.False(t, edgeTaken(o, "B", "C"), "C never entered")
	require.False(t, edgeTaken(o, "A", "C"))
	require.True(t, edgeTaken(o, "T", "H"), "the Catch went to its handler")
	require.True(t, edgeTaken(o, "H", ""), "a finished state reached End")
	require.False(t, edgeTaken(o, "B", ""), "a running state has not reached End")
	require.False(t, edgeTaken(nil, "", "A"), "no execution, nothing taken")
}
