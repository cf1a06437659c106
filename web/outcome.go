package web

import (
	"encoding/json"
	"strings"

	"stepline/sfn"
)

// outcomeTracker follows an execution's history and records what became of each
// state, for colouring its graph. State names are unique in a whole state machine,
// branches included, so a name is enough to find a state.
type outcomeTracker struct {
	Outcomes map[string]string
	open     []string // states entered and not exited, most recent last
}

func newOutcomeTracker() *outcomeTracker {
	return &outcomeTracker{Outcomes: map[string]string{}}
}

// eventDetails is the part of an event's details the console reads.
type eventDetails struct {
	Name  string `json:"name"`
	Error string `json:"error"`
	Cause string `json:"cause"`
}

// add applies one event.
func (t *outcomeTracker) add(ev sfn.HistoryEvent) {
	typ := ev.Type
	switch {
	case strings.HasSuffix(typ, "StateEntered"):
		name := detailsOf(ev).Name
		t.open = append(t.open, name)
		if typ == "FailStateEntered" {
			t.set(name, outcomeFailed)
			return
		}
		t.set(name, outcomeRunning)
	case strings.HasSuffix(typ, "StateExited"):
		name := detailsOf(ev).Name
		t.close(name)
		switch t.Outcomes[name] {
		case outcomeFailed:
			// Exiting after a failure means a Catch handled it.
			t.Outcomes[name] = outcomeCaught
		case outcomeRunning:
			t.Outcomes[name] = outcomeSucceeded
		}
	case typ == "ExecutionFailed" || typ == "ExecutionTimedOut":
		for _, name := range t.open {
			t.set(name, outcomeFailed)
		}
		t.open = nil
	case typ == "ExecutionAborted":
		for _, name := range t.open {
			if t.Outcomes[name] != outcomeFailed {
				t.Outcomes[name] = outcomeAborted
			}
		}
		t.open = nil
	case strings.HasSuffix(typ, "Failed") || strings.HasSuffix(typ, "TimedOut"):
		// A task, branch or iteration failed inside the state entered last; a retry
		// (the next Scheduled or Started) puts it back in progress.
		if name := t.current(); name != "" {
			t.Outcomes[name] = outcomeFailed
		}
	case strings.HasSuffix(typ, "Scheduled") || strings.HasSuffix(typ, "Started") && typ != "ExecutionStarted":
		if name := t.current(); name != "" && t.Outcomes[name] == outcomeFailed {
			t.Outcomes[name] = outcomeRunning
		}
	}
}

// set records an outcome; a failure sticks, so one failed Map iteration among many
// that succeed still shows.
func (t *outcomeTracker) set(name, o string) {
	if t.Outcomes[name] == outcomeFailed && o == outcomeRunning {
		return
	}
	t.Outcomes[name] = o
}

func (t *outcomeTracker) close(name string) {
	for i := len(t.open) - 1; i >= 0; i-- {
		if t.open[i] == name {
			t.open = append(t.open[:i], t.open[i+1:]...)
			return
		}
	}
}

func (t *outcomeTracker) current() string {
	if len(t.open) == 0 {
		return ""
	}
	return t.open[len(t.open)-1]
}

// detailsOf decodes the fields of an event's details the console reads; details it
// cannot read leave them empty.
func detailsOf(ev sfn.HistoryEvent) eventDetails {
	var d eventDetails
	if len(ev.Details) > 0 {
		_ = json.Unmarshal(ev.Details, &d)
	}
	return d
}

// eventSummary is the one line the history table shows for an event's details: the
// state's name, or the error and cause.
func eventSummary(ev sfn.HistoryEvent) string {
	d := detailsOf(ev)
	switch {
	case d.Name != "":
		return d.Name
	case d.Error != "" && d.Cause != "":
		return truncate(d.Error+": "+d.Cause, 120)
	case d.Error != "":
		return d.Error
	case d.Cause != "":
		return truncate(d.Cause, 120)
	}
	return ""
}
