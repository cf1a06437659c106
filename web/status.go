package web

import "strings"

// status is how a status is shown: a word or two for everyone, and a tone that only
// adds colour and a symbol to them.
type status struct {
	Text string // "Succeeded", "In progress", ...
	Tone string // ok, bad, run, warn or none: a CSS class suffix
	Icon string // a symbol beside the text, decorative
}

// statusOf turns a status as the services report it (SUCCEEDED, RUNNING, InProgress,
// ACTIVE, ...) into words.
func statusOf(s string) status {
	switch strings.ToUpper(strings.ReplaceAll(s, "_", "")) {
	case "SUCCEEDED":
		return status{"Succeeded", "ok", "✓"}
	case "FAILED":
		return status{"Failed", "bad", "✕"}
	case "TIMEDOUT":
		return status{"Timed out", "bad", "⏱"}
	case "ABORTED":
		return status{"Aborted", "warn", "■"}
	case "STOPPED":
		return status{"Stopped", "warn", "■"}
	case "STOPPING":
		return status{"Stopping", "run", "◌"}
	case "RUNNING", "INPROGRESS":
		return status{"In progress", "run", "◌"}
	case "PENDINGREDRIVE":
		return status{"Pending redrive", "run", "◌"}
	case "SUPERSEDED":
		return status{"Superseded", "none", "↷"}
	case "CANCELLED":
		return status{"Cancelled", "warn", "■"}
	case "ACTIVE":
		return status{"Active", "ok", "●"}
	case "DELETING":
		return status{"Deleting", "warn", "◌"}
	case "":
		return status{"No executions", "none", "–"}
	}
	return status{Text: s, Tone: "none", Icon: "•"}
}

// Outcomes of a state within an execution, as drawn on its graph.
const (
	outcomeRunning   = "running"
	outcomeSucceeded = "succeeded"
	outcomeFailed    = "failed"
	outcomeCaught    = "caught" // failed, and a Catch took the execution elsewhere
	outcomeAborted   = "aborted"
)

// outcomeStatus is the words for a state's outcome; zero for a state not entered.
func outcomeStatus(o string) status {
	switch o {
	case outcomeRunning:
		return status{"In progress", "run", "◌"}
	case outcomeSucceeded:
		return status{"Succeeded", "ok", "✓"}
	case outcomeFailed:
		return status{"Failed", "bad", "✕"}
	case outcomeCaught:
		return status{"Caught error", "warn", "!"}
	case outcomeAborted:
		return status{"Aborted", "warn", "■"}
	}
	return status{}
}

// edgeTaken reports whether an execution went along an edge, judged from the outcomes
// of the states at its ends: the source was left (or is the Start marker) and the
// target was entered (or is the End marker, reached by a state that finished).
func edgeTaken(outcomes map[string]string, from, to string) bool {
	if outcomes == nil {
		return false
	}
	src, dst := outcomes[from], outcomes[to]
	switch {
	case from == "":
		return dst != ""
	case to == "":
		return src == outcomeSucceeded || src == outcomeFailed
	}
	return dst != "" && (src == outcomeSucceeded || src == outcomeCaught || src == outcomeFailed)
}
