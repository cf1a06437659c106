package asl

import (
	"errors"
	"fmt"
	"time"

	"stepline/jsonata"
	"stepline/jsonvalue"
)

// ErrNotRedrivable is returned by Step for a Redrive of an execution that is running or
// succeeded.
var ErrNotRedrivable = errors.New("asl: execution cannot be redriven")

// errInconsistent marks a State that does not fit the Machine: a bug or a snapshot of
// another definition.
var errInconsistent = errors.New("asl: inconsistent state")

// run is one call of Step: the machine, the snapshot being advanced, the time given and
// the decision being built.
type run struct {
	m     *Machine
	s     *State
	now   time.Time
	d     Decision
	queue []*frame
	arena []byte                  // backing store for event details, see alloc
	funcs map[string]jsonata.Func // Step Functions' JSONata functions, built on first use

	ctxExec, ctxMachine *jsonvalue.Object // $$.Execution and $$.StateMachine, built on first use
}

// Step applies one Input to an execution's State at time now and reports what the
// engine must do next. Step is deterministic and does no I/O: the same State, Input and
// now give the same Decision. s is nil for Start. Step advances s in place (copying it
// would cost every transition) and returns it as Decision.State, so a caller that must
// keep the previous State, to retry a write that failed, decodes its snapshot again.
func (m *Machine) Step(s *State, in Input, now time.Time) (d Decision, err error) {
	defer func() {
		// A State that does not fit this Machine (a snapshot of another definition) must
		// not take the engine down: report it like any other inconsistency.
		if p := recover(); p != nil {
			d, err = Decision{}, fmt.Errorf("%w: %v", errInconsistent, p)
		}
	}()
	now = now.UTC()
	if st, ok := in.(Start); ok {
		if s != nil {
			return Decision{}, fmt.Errorf("%w: Start on a started execution", errInconsistent)
		}
		r := &run{m: m, now: now}
		r.start(st)
		r.drive()
		r.d.State = r.s
		return r.d, nil
	}
	if s == nil {
		return Decision{}, fmt.Errorf("%w: %T before Start", errInconsistent, in)
	}
	if _, ok := in.(Redrive); ok {
		if err := m.check(s); err != nil {
			return Decision{}, err
		}
		r := &run{m: m, s: s, now: now}
		if err := r.redrive(); err != nil {
			return Decision{}, err
		}
		r.drive()
		r.d.State = r.s
		return r.d, nil
	}
	if s.closed {
		// Late outcomes of tasks we stopped waiting for are ignored (api.go).
		return Decision{State: s}, nil
	}
	if err := m.check(s); err != nil {
		return Decision{}, err
	}
	r := &run{m: m, s: s, now: now}
	if err := r.apply(in); err != nil {
		return Decision{}, err
	}
	r.drive()
	r.d.State = r.s
	return r.d, nil
}

// apply routes one input to the frame waiting for it.
func (r *run) apply(in Input) error {
	switch in := in.(type) {
	case TaskStarted:
		if f := r.findTask(in.TaskID); f != nil {
			r.taskStarted(f, in)
		}
	case TaskSubmitted:
		if f := r.findTask(in.TaskID); f != nil {
			r.taskSubmitted(f, in)
		}
	case TaskSucceeded:
		if f := r.findTask(in.TaskID); f != nil {
			r.taskSucceeded(f, in)
		}
	case TaskFailed:
		if f := r.findTask(in.TaskID); f != nil {
			r.taskFailed(f, in)
		}
	case TaskTimedOut:
		if f := r.findTask(in.TaskID); f != nil {
			r.taskTimedOut(f, in)
		}
	case TimerFired:
		r.timerFired(in.TimerID)
	case Stop:
		r.stop(in)
	case ItemsRead:
		r.itemsRead(in)
	case MapRunEnded:
		r.mapRunEnded(in)
	default:
		return fmt.Errorf("%w: unknown input %T", errInconsistent, in)
	}
	return nil
}

// check verifies that every frame of s points at a state of m.
func (m *Machine) check(s *State) error {
	var err error
	walkFrames(s.root, func(f *frame) bool {
		if f.graph < 0 || f.graph >= len(m.graphs) || f.node < 0 || f.node >= len(m.graphs[f.graph].nodes) {
			err = fmt.Errorf("%w: frame at graph %d state %d", errInconsistent, f.graph, f.node)
			return false
		}
		return true
	})
	if s.root == nil {
		err = fmt.Errorf("%w: no root frame", errInconsistent)
	}
	return err
}

// findTask returns the frame waiting for task id, or nil for an outcome nobody waits for.
func (r *run) findTask(id string) *frame {
	var found *frame
	walkFrames(r.s.root, func(f *frame) bool {
		if f.wait == waitTask && f.task != nil && f.task.id == id {
			found = f
			return false
		}
		return true
	})
	return found
}

// walkFrames visits f and its running descendants until visit returns false.
func walkFrames(f *frame, visit func(*frame) bool) bool {
	if f == nil {
		return true
	}
	if !visit(f) {
		return false
	}
	if f.fan != nil {
		for _, k := range f.fan.kids {
			if k != nil && !walkFrames(k, visit) {
				return false
			}
		}
	}
	return true
}

// drive advances ready frames until every one waits or the execution closes.
func (r *run) drive() {
	for len(r.queue) > 0 && !r.s.closed {
		f := r.queue[0]
		r.queue = r.queue[1:]
		for f.wait == waitNone && !r.s.closed {
			r.enter(f)
		}
	}
	r.queue = nil
}

func (r *run) ready(f *frame) { r.queue = append(r.queue, f) }

func (r *run) node(f *frame) *node { return r.m.graphs[f.graph].nodes[f.node] }

// enter records that f enters its current state and runs the state.
func (r *run) enter(f *frame) {
	n := r.node(f)
	// Stop short of the quota with room for the events that close the execution.
	if r.s.nextID+historyReserve > maxHistoryEvents {
		r.failExecution(f, historyLimitFailure())
		return
	}
	if f.text == nil {
		f.text = textOf(f.in())
	}
	if f.quote == nil {
		f.quote = appendJSONString(nil, f.text)
	}
	f.enteredPrev = f.last
	f.entered = r.emitOn(f, n.enteredType, r.stateEnteredDetails(n, f.quote))
	f.enteredAt = r.now
	f.retries, f.retryN = nil, 0
	if f.quiet {
		// A Distributed Map item writes no events here, but as a child execution it
		// has its own history and its own limit; without this a loop would never end.
		f.hops++
		if 2*f.hops > maxHistoryEvents {
			r.failExecution(f, historyLimitFailure())
			return
		}
	}
	switch n.typ {
	case typePass:
		r.execPass(f, n)
	case typeTask:
		r.execTask(f, n)
	case typeChoice:
		r.execChoice(f, n)
	case typeWait:
		r.execWait(f, n)
	case typeSucceed:
		r.execSucceed(f, n)
	case typeFail:
		r.execFail(f, n)
	case typeParallel:
		r.execParallel(f, n)
	case typeMap:
		r.execMap(f, n)
	}
}

// exit records the end of f's current state with output (text may be nil) and moves
// f to next, or ends f when next is -1.
func (r *run) exit(f *frame, n *node, next int, output any, text []byte, assigned []byte) {
	if text == nil {
		text = textOf(output)
	}
	if len(text) > maxPayloadBytes {
		r.failFrame(f, dataLimitFailure(n.name))
		return
	}
	quote := f.quote
	if !sameBytes(text, f.text) || quote == nil {
		quote = appendJSONString(nil, text)
	}
	r.emitOn(f, n.exitedType, r.stateExitedDetails(n, quote, assigned))
	r.moveTo(f, next, output, text)
	f.quote = quote
}

// sameBytes reports whether a and b are the same slice, so a cached quoting of one
// serves the other.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// moveTo sends f to state next with input, or ends it successfully when next is -1.
func (r *run) moveTo(f *frame, next int, output any, text []byte) {
	f.setInput(output, text)
	f.task = nil
	if next < 0 {
		f.wait = waitDone
		f.output = output
		r.frameDone(f)
		return
	}
	f.node = next
	f.wait = waitNone
}

// frameDone handles a frame that ended, successfully or not.
func (r *run) frameDone(f *frame) {
	if f.parent == nil {
		if f.failed {
			r.closeFailed(f, f.err)
			return
		}
		r.closeSucceeded(f, f.in(), f.text)
		return
	}
	p := f.parent
	switch r.node(p).typ {
	case typeParallel:
		r.branchDone(p, f)
	case typeMap:
		r.iterationDone(p, f)
	}
}

// failFrame ends f with a failure that no Retry or Catch of its current state handles
// (the state has none, or the failure is terminal).
func (r *run) failFrame(f *frame, fl failure) {
	f.wait = waitDone
	f.failed = true
	f.err = fl
	r.frameDone(f)
}

// failExecution fails the whole execution at once (History limit, Runtime errors at
// the top level).
func (r *run) failExecution(f *frame, fl failure) {
	fl.terminal = true
	r.failFrame(f, fl)
}

func (r *run) closeSucceeded(f *frame, output any, text []byte) {
	if text == nil {
		text = textOf(output)
	}
	r.cancelAll(r.s.root)
	r.emitOn(f, "ExecutionSucceeded", outputDetails(text))
	r.close(Close{Status: "SUCCEEDED", Output: output})
}

func (r *run) closeFailed(f *frame, fl failure) {
	r.cancelAll(r.s.root)
	r.emitOn(f, "ExecutionFailed", errorDetails(fl))
	r.close(Close{Status: "FAILED", Error: fl.Error, Cause: fl.Cause})
}

func (r *run) close(c Close) {
	if r.s.timerSet {
		r.d.Commands = append(r.d.Commands, CancelTimer{TimerID: executionTimerID})
		r.s.timerSet = false
	}
	r.d.Commands = append(r.d.Commands, c)
	r.s.closed = true
	r.s.status = c.Status
	r.queue = nil
}

// cancelAll withdraws the tasks and timers frames under f still wait for.
func (r *run) cancelAll(f *frame) {
	walkFrames(f, func(k *frame) bool {
		switch k.wait {
		case waitTask:
			if k.task != nil {
				r.d.Commands = append(r.d.Commands, CancelTask{TaskID: k.task.id})
			}
		case waitTimer, waitRetry:
			r.d.Commands = append(r.d.Commands, CancelTimer{TimerID: k.taskID})
		}
		return true
	})
}
