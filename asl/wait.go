package asl

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"stepline/jsonvalue"
)

// maxWaitSeconds is the longest delay AWS accepts; longer ones fail with
// "Wait state delay is too long." (recorded on AWS at a boundary of 24,856 days).
const maxWaitSeconds = math.MaxInt32

// execWait computes the Wait state's deadline and asks for a timer.
func (r *run) execWait(f *frame, n *node) {
	until, fl := r.waitUntil(f, n)
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	// A deadline already passed (Seconds 0, a Timestamp in the past) needs no timer:
	// the state exits in the same Step, as AWS exits it at once.
	if !until.After(r.now) {
		r.waitOver(f)
		return
	}
	if until.Sub(r.now) > maxWaitSeconds*time.Second {
		r.failFrame(f, *r.runtimeFailure(f, "Wait state delay is too long."))
		return
	}
	// The timer id is unique per state visit (its StateEntered id), so a late firing of
	// an earlier visit's timer cannot end this one.
	f.wait = waitTimer
	f.taskID = "wait-" + strconv.FormatInt(f.entered, 10)
	r.d.Commands = append(r.d.Commands, StartTimer{TimerID: f.taskID, FireAt: until})
}

func (r *run) waitUntil(f *frame, n *node) (time.Time, *failure) {
	if n.jsonata {
		states := r.statesVar(f, f.in(), nil, false, nil, nil)
		if n.seconds != nil {
			v, fl := r.evalTemplate(f, n, n.seconds, states, "Seconds")
			if fl != nil {
				return time.Time{}, fl
			}
			secs, ok := jsonvalue.Int(v)
			if !ok || secs < 0 {
				expr, _ := exprText(n.seconds)
				return time.Time{}, r.typedExprFailure(f, "Seconds", expr, "integer", v)
			}
			return r.now.Add(time.Duration(secs) * time.Second), nil
		}
		v, fl := r.evalTemplate(f, n, n.timestamp, states, "Timestamp")
		if fl != nil {
			return time.Time{}, fl
		}
		s, _ := v.(string)
		t, err := parseTimestamp(s)
		if err != nil {
			fl := fail("States.QueryEvaluationError", r.causePrefix(f)+"The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "+stringOrJSON(v))
			r.evaluationFailed(f, "Timestamp", fl, f.entered)
			return time.Time{}, &fl
		}
		return t, nil
	}
	input, fl := r.applyInputPath(f, n)
	if fl != nil {
		return time.Time{}, fl
	}
	switch {
	case n.seconds != nil:
		secs, _ := jsonvalue.Int(n.seconds)
		return r.now.Add(time.Duration(secs) * time.Second), nil
	case n.timestamp != nil:
		s, _ := n.timestamp.(string)
		t, err := parseTimestamp(s)
		if err != nil {
			return time.Time{}, r.runtimeFailure(f, "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "+s)
		}
		return t, nil
	// The *Path forms read the effective input, $$ or a variable; AWS's texts for bad
	// values are recorded in the conformance cases.
	case n.secondsPath != "":
		v, ok := r.lookup(f, n.secondsPath, input)
		if !ok {
			return time.Time{}, r.runtimeFailure(f, "The SecondsPath parameter does not reference an input value: "+n.secondsPath)
		}
		secs, ok := jsonvalue.Int(v)
		if !ok {
			return time.Time{}, r.runtimeFailure(f, fmt.Sprintf("The SecondsPath parameter cannot be parsed as a long value: %s == %s", n.secondsPath, stringOrJSON(v)))
		}
		if secs < 0 {
			return time.Time{}, r.runtimeFailure(f, fmt.Sprintf("The SecondsPath parameter references a negative value: %s == %d", n.secondsPath, secs))
		}
		return r.now.Add(time.Duration(secs) * time.Second), nil
	case n.timestampPath != "":
		v, ok := r.lookup(f, n.timestampPath, input)
		if !ok {
			return time.Time{}, r.runtimeFailure(f, "The TimestampPath parameter does not reference an input value: "+n.timestampPath)
		}
		s, _ := v.(string)
		t, perr := parseTimestamp(s)
		if perr != nil {
			return time.Time{}, r.runtimeFailure(f, fmt.Sprintf("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s", n.timestampPath, stringOrJSON(v)))
		}
		return t, nil
	}
	return r.now, nil
}

// parseTimestamp accepts RFC 3339 with an upper-case T and an offset or Z, as the
// Timestamp field requires.
func parseTimestamp(s string) (time.Time, error) {
	if len(s) < 20 || s[10] != 'T' {
		return time.Time{}, fmt.Errorf("not an ISO-8601 timestamp: %q", s)
	}
	return time.Parse(time.RFC3339Nano, s)
}

// waitOver ends a Wait state once its timer fired.
func (r *run) waitOver(f *frame) {
	n := r.node(f)
	f.wait = waitNone
	defer r.ready(f)
	if n.jsonata {
		r.exitJSONata(f, n, n.next, r.statesVar(f, f.in(), nil, false, nil, nil), n.output, n.hasOutput, n.assign)
		return
	}
	eff, fl := r.applyInputPath(f, n)
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	r.exitJSONPath(f, n, n.next, eff, n.assign)
}
