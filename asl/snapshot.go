package asl

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"stepline/jsonvalue"
)

// The snapshot is a small binary encoding: varints for numbers, length-prefixed bytes
// for strings, and JSON texts for values (kept as they are, so a frame's input text is
// reused for history without re-marshalling). The engine writes one per transition, so
// it must be cheap both ways; JSON reflection cost several times more.

const snapshotVersion = 4

// snapshotVersionNoMapRuns is the previous format, without ExecutionInfo.MapRuns.
const snapshotVersionNoMapRuns = 3

// errSnapshot marks a snapshot UnmarshalState cannot read.
var errSnapshot = errors.New("asl: corrupt snapshot")

type encoder struct{ b []byte }

func (e *encoder) uint(v uint64)  { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)    { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) bytes(v []byte) { e.uint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) str(v string)   { e.uint(uint64(len(v))); e.b = append(e.b, v...) }
func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}
func (e *encoder) time(t time.Time) { e.int(unixNano(t)) }

// value writes a JSON value; text is its JSON text when already known.
func (e *encoder) value(v any, text []byte) {
	if text == nil {
		text = jsonvalue.Marshal(v)
	}
	e.bytes(text)
}

// MarshalState encodes a State for the store.
func MarshalState(s *State) ([]byte, error) {
	if s == nil || s.root == nil {
		return nil, fmt.Errorf("%w: nil state", errInconsistent)
	}
	e := &encoder{b: make([]byte, 0, max(512, s.lastSize+s.lastSize/8))}
	e.uint(snapshotVersion)
	i := &s.info
	for _, x := range []string{i.ExecutionARN, i.Name, i.StateMachineARN, i.StateMachineName, i.RoleARN, i.Type} {
		e.str(x)
	}
	e.time(i.StartTime)
	e.time(i.RedriveTime)
	e.int(int64(i.RedriveCount))
	e.bool(i.MapRuns)
	e.bytes(s.inputText)
	e.uint(s.rng)
	e.int(s.nextID)
	e.bool(s.closed)
	e.str(s.status)
	e.bool(s.timerSet)
	e.frame(s.root)
	s.lastSize = len(e.b)
	return e.b, nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func (e *encoder) failure(fl failure) {
	e.str(fl.Error)
	e.str(fl.Cause)
	e.str(fl.alias)
	e.bool(fl.hasError)
	e.bool(fl.hasCause)
	e.bool(fl.terminal)
}

// frame writes one thread and, recursively, its running children. The order of the
// fields is the format: decoder.frame reads them back in the same order.
func (e *encoder) frame(f *frame) {
	e.int(int64(f.graph))
	e.int(int64(f.node))
	e.int(f.entered)
	e.int(f.enteredPrev)
	e.time(f.enteredAt)
	e.int(f.last)
	e.uint(uint64(f.wait))
	e.str(f.taskID)
	e.int(int64(f.retryN))
	e.int(int64(f.index))
	e.bool(f.quiet)
	e.int(f.hops)
	e.bool(f.failed)
	e.uint(uint64(len(f.retries)))
	for _, n := range f.retries {
		e.int(int64(n))
	}
	// A finished frame keeps its last state's input too: Redrive enters it again.
	if f.text != nil {
		e.bytes(f.text)
	} else {
		e.value(f.in(), nil)
	}
	if f.wait == waitDone {
		e.failure(f.err)
		e.value(f.output, nil)
	}
	if f.vars != nil && f.vars.vals.Len() > 0 {
		e.value(f.vars.vals, nil)
	} else {
		e.bytes(nil)
	}
	e.bool(f.task != nil)
	if t := f.task; t != nil {
		// Parameters are not kept: they went out with ScheduleTask, and a retry
		// evaluates them again.
		e.str(t.id)
		e.str(t.token)
		e.bool(t.started)
		e.int(t.timeout)
		e.int(t.beat)
		e.str(t.role)
	}
	e.bool(f.fan != nil)
	if fo := f.fan; fo != nil {
		if fo.inputText == nil {
			fo.inputText = jsonvalue.Marshal(fo.in())
		}
		e.bytes(fo.inputText)
		e.bool(fo.items != nil)
		if fo.items != nil {
			e.lazyList(fo.items)
		}
		e.lazyList(fo.results)
		for _, x := range []int{fo.next, fo.running, fo.done, fo.failures, fo.maxConc} {
			e.int(int64(x))
		}
		e.int(fo.tolCount)
		e.uint(math.Float64bits(fo.tolPct))
		e.int(fo.lastDone)
		e.bool(fo.batched)
		e.bool(fo.failedErr != nil)
		if fo.failedErr != nil {
			e.failure(*fo.failedErr)
		}
		e.uint(uint64(len(fo.kids)))
		for _, k := range fo.kids {
			e.frame(k)
		}
	}
}

// decoder reads what encoder wrote. Errors are sticky and every read is bounds
// checked, so corrupt input yields an error, never a panic.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errSnapshot
	}
}

func (d *decoder) uint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) small() int {
	v := d.int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) bytes() []byte {
	n := d.uint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) bool() bool {
	if d.err != nil || len(d.b) == 0 {
		d.fail()
		return false
	}
	v := d.b[0]
	d.b = d.b[1:]
	if v > 1 {
		d.fail()
	}
	return v == 1
}

func (d *decoder) time() time.Time { return fromUnixNano(d.int()) }

// value parses a JSON text; the returned text aliases the snapshot buffer.
func (d *decoder) value() (any, []byte) {
	text := d.bytes()
	if d.err != nil || len(text) == 0 {
		return nil, nil
	}
	v, err := jsonvalue.Parse(text)
	if err != nil {
		d.err = fmt.Errorf("%w: %w", errSnapshot, err)
		return nil, nil
	}
	return v, text
}

func (d *decoder) failure() failure {
	return failure{Error: d.str(), Cause: d.str(), alias: d.str(), hasError: d.bool(), hasCause: d.bool(), terminal: d.bool()}
}

// UnmarshalState decodes what MarshalState wrote.
func UnmarshalState(b []byte) (*State, error) {
	// Copy once so that the State's cached texts never alias the caller's buffer.
	d := &decoder{b: append([]byte(nil), b...)}
	v := d.uint()
	if v != snapshotVersion && v != snapshotVersionNoMapRuns {
		return nil, fmt.Errorf("%w: version %d", errSnapshot, v)
	}
	s := &State{}
	i := &s.info
	i.ExecutionARN, i.Name, i.StateMachineARN, i.StateMachineName, i.RoleARN, i.Type = d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
	i.StartTime, i.RedriveTime, i.RedriveCount = d.time(), d.time(), d.small()
	if v == snapshotVersion {
		i.MapRuns = d.bool()
	}
	s.inputText = d.bytes() // parsed on first use (executionInput)
	s.rng = d.uint()
	s.nextID = d.int()
	s.closed = d.bool()
	s.status = d.str()
	s.timerSet = d.bool()
	s.root = d.frame(nil, 0)
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		return nil, d.err
	}
	return s, nil
}

// maxFrameDepth bounds nesting so a corrupt snapshot cannot exhaust the stack.
const maxFrameDepth = 1000

func (d *decoder) frame(parent *frame, depth int) *frame {
	if depth > maxFrameDepth {
		d.fail()
	}
	if d.err != nil {
		return nil
	}
	f := &frame{parent: parent}
	f.graph, f.node = d.small(), d.small()
	f.entered, f.enteredPrev, f.enteredAt, f.last = d.int(), d.int(), d.time(), d.int()
	f.wait = waitKind(d.uint())
	f.taskID = d.str()
	f.retryN, f.index = d.small(), d.small()
	f.quiet = d.bool()
	f.hops = d.int()
	f.failed = d.bool()
	if n := d.uint(); n > 0 && n <= uint64(len(d.b)) {
		f.retries = make([]int, n)
		for i := range f.retries {
			f.retries[i] = d.small()
		}
	} else if n > 0 {
		d.fail()
	}
	// Parsed on first use (frame.in): most frames of a snapshot wait untouched.
	f.text = d.bytes()
	if len(f.text) == 0 {
		d.fail()
	}
	if f.wait == waitDone {
		f.err = d.failure()
		f.output, _ = d.value()
	}
	var outer *scope
	if parent != nil && !(f.quiet && !parent.quiet) {
		// Distributed Map items do not see the enclosing variables.
		outer = parent.vars
	}
	f.vars = newScope(outer)
	if vals, _ := d.value(); vals != nil {
		f.vars.vals, _ = vals.(*jsonvalue.Object)
	}
	if d.bool() {
		t := &taskRun{id: d.str()}
		t.token, t.started, t.timeout, t.beat, t.role = d.str(), d.bool(), d.int(), d.int(), d.str()
		f.task = t
	}
	if d.bool() {
		fo := &fanOut{}
		fo.inputText = d.bytes() // parsed on first use (fanOut.in)
		if d.bool() {
			fo.items = d.lazyList()
		}
		fo.results = d.lazyList()
		if d.err != nil {
			return nil
		}
		fo.next, fo.running, fo.done, fo.failures, fo.maxConc = d.small(), d.small(), d.small(), d.small(), d.small()
		fo.tolCount = d.int()
		fo.tolPct = math.Float64frombits(d.uint())
		fo.lastDone = d.int()
		fo.batched = d.bool()
		if d.bool() {
			fl := d.failure()
			fo.failedErr = &fl
		}
		f.fan = fo
		kids := d.uint()
		if kids > uint64(len(d.b)) {
			d.fail()
			return nil
		}
		for i := uint64(0); i < kids && d.err == nil; i++ {
			fo.kids = append(fo.kids, d.frame(f, depth+1))
		}
	}
	return f
}
