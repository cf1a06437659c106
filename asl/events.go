package asl

import (
	"strconv"

	"stepline/jsonvalue"
)

// How previousEventId is chained, as recorded on AWS: every thread (the top level, a
// Parallel branch, a Map iteration) keeps the id of its last event (frame.last), and
// its next event points there. The exceptions are spelled out where they happen:
// the first StateEntered after ExecutionStarted has 0, ExecutionAborted has 0,
// EvaluationFailed points where its StateEntered points, branches and iterations
// start from ParallelStateStarted / MapIterationStarted, and MapStateSucceeded /
// MapStateExited (likewise for Parallel) share the id of the last finished child's event.

// emit appends an event to the decision. prev is its previousEventId.
func (r *run) emit(prev int64, typ string, details []byte) int64 {
	id := r.s.nextID
	r.s.nextID++
	r.d.Events = append(r.d.Events, Event{ID: id, PreviousEventID: prev, Timestamp: r.now, Type: typ, Details: details})
	return id
}

// emitOn appends an event on frame f's thread, chaining previousEventId.
func (r *run) emitOn(f *frame, typ string, details []byte) int64 {
	if f.quiet {
		return f.last
	}
	id := r.emit(f.last, typ, details)
	f.last = id
	return id
}

// emitFrom appends an event of frame f with an explicit previousEventId; quiet frames
// (the items of a Distributed Map, which AWS runs as child executions) write nothing.
func (r *run) emitFrom(f *frame, prev int64, typ string, details []byte) int64 {
	if f.quiet {
		return prev
	}
	return r.emit(prev, typ, details)
}

// detailBuf starts a details object; the callers append fields and close it with '}'.
type detailBuf []byte

func newDetails() detailBuf { return append(make(detailBuf, 0, 96), '{') }

func (b detailBuf) field(k string) detailBuf {
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

func (b detailBuf) str(k, v string) detailBuf {
	b = b.field(k)
	return jsonvalue.AppendString(b, v)
}

// text writes v, a JSON text, as a JSON string as AWS does for input and output.
func (b detailBuf) text(k string, v []byte) detailBuf {
	b = b.field(k)
	return appendJSONString(b, v)
}

func (b detailBuf) int(k string, v int64) detailBuf {
	b = b.field(k)
	return strconv.AppendInt(b, v, 10)
}

func (b detailBuf) raw(k string, v []byte) detailBuf {
	b = b.field(k)
	return append(b, v...)
}

func (b detailBuf) done() []byte { return append(b, '}') }

var notTruncated = []byte(`{"truncated":false}`)

// appendJSONString quotes a JSON text. Most payloads need no escaping beyond quotes and
// backslashes, so the fast path copies runs of plain bytes.
func appendJSONString(b []byte, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Arena chunk sizes: a run that takes one step (starting an execution) needs a few
// hundred bytes, a long in-memory run many kilobytes; chunks double between the two
// so neither pays for the other's size.
const (
	arenaMinChunk = 512
	arenaMaxChunk = 32 << 10
)

// alloc returns an empty slice with capacity n carved from the run's arena: the two
// events of every transition would otherwise cost two allocations each.
func (r *run) alloc(n int) []byte {
	if cap(r.arena)-len(r.arena) < n {
		chunk := min(max(2*cap(r.arena), arenaMinChunk), arenaMaxChunk)
		r.arena = make([]byte, 0, max(n, chunk))
	}
	start := len(r.arena)
	r.arena = r.arena[:start+n]
	return r.arena[start : start : start+n]
}

const (
	enteredHead = `{"name":`
	enteredMid  = `,"input":`
	enteredTail = `,"inputDetails":{"truncated":false}}`
	exitedMid   = `,"output":`
	exitedTail  = `,"outputDetails":{"truncated":false}`
	assignedMid = `,"assignedVariables":`
	assignedEnd = `,"assignedVariablesDetails":{"truncated":false}`
)

// stateEnteredDetails is {"name","input","inputDetails"}; quoted is the input text as
// a JSON string.
func (r *run) stateEnteredDetails(n *node, quoted []byte) []byte {
	b := r.alloc(len(enteredHead) + len(n.quotedName) + len(enteredMid) + len(quoted) + len(enteredTail))
	b = append(b, enteredHead...)
	b = append(b, n.quotedName...)
	b = append(b, enteredMid...)
	b = append(b, quoted...)
	return append(b, enteredTail...)
}

// stateExitedDetails is {"name","output","outputDetails"[,"assignedVariables","assignedVariablesDetails"]}.
func (r *run) stateExitedDetails(n *node, quoted []byte, assigned []byte) []byte {
	size := len(enteredHead) + len(n.quotedName) + len(exitedMid) + len(quoted) + len(exitedTail) + 1
	if assigned != nil {
		size += len(assignedMid) + len(assigned) + len(assignedEnd)
	}
	b := r.alloc(size)
	b = append(b, enteredHead...)
	b = append(b, n.quotedName...)
	b = append(b, exitedMid...)
	b = append(b, quoted...)
	b = append(b, exitedTail...)
	if assigned != nil {
		b = append(b, assignedMid...)
		b = append(b, assigned...)
		b = append(b, assignedEnd...)
	}
	return append(b, '}')
}

func outputDetails(output []byte) []byte {
	return newDetails().text("output", output).raw("outputDetails", notTruncated).done()
}

// errorDetails is {"error","cause"}, leaving out what the failure does not carry.
func errorDetails(fl failure) []byte {
	b := newDetails()
	if fl.hasError {
		b = b.str("error", fl.Error)
	}
	if fl.hasCause {
		b = b.str("cause", fl.Cause)
	}
	return b.done()
}

func (b detailBuf) failure(fl failure) detailBuf {
	if fl.hasError {
		b = b.str("error", fl.Error)
	}
	if fl.hasCause {
		b = b.str("cause", fl.Cause)
	}
	return b
}

// textOf returns the JSON text of v.
func textOf(v any) []byte { return jsonvalue.Marshal(v) }
