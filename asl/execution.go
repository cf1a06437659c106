package asl

import "time"

// executionTimerID is the timer of the execution's TimeoutSeconds.
const executionTimerID = "execution-timeout"

// start begins an execution: ExecutionStarted, the execution timeout, the first state.
func (r *run) start(st Start) {
	input := st.Input
	text := []byte(st.InputText)
	if st.InputText == "" {
		text = textOf(input)
	}
	r.s = &State{info: st.Info, input: input, hasInput: true, inputText: text, rng: st.Seed, nextID: 1}
	r.s.info.StartTime = r.s.info.StartTime.UTC()
	b := newDetails().text("input", text).raw("inputDetails", notTruncated)
	if st.Info.RoleARN != "" {
		b = b.str("roleArn", st.Info.RoleARN)
	}
	root := &frame{graph: 0, node: r.m.graphs[0].start, vars: newScope(nil)}
	r.s.root = root
	// The first StateEntered after ExecutionStarted has previousEventId 0, so the
	// thread's chain starts at 0 rather than at ExecutionStarted's id.
	r.emit(0, "ExecutionStarted", b.done())
	if len(text) > maxPayloadBytes {
		r.closeFailed(root, failure{Error: "States.DataLimitExceeded", hasError: true,
			Cause: "The input to the execution exceeds the maximum number of bytes service limit.", hasCause: true})
		return
	}
	if r.m.timeout > 0 {
		base := st.Info.StartTime
		if base.IsZero() {
			base = r.now
		}
		r.d.Commands = append(r.d.Commands, StartTimer{TimerID: executionTimerID,
			FireAt: base.Add(time.Duration(r.m.timeout) * time.Second)})
		r.s.timerSet = true
	}
	root.setInput(input, text)
	r.ready(root)
}

// redrive reopens a failed, timed-out or aborted execution at the state where it
// stopped (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
// A Parallel or Map runs again as a whole.
func (r *run) redrive() error {
	s := r.s
	if !s.closed || s.status == "SUCCEEDED" {
		return ErrNotRedrivable
	}
	s.closed, s.status = false, ""
	s.info.RedriveCount++
	s.info.RedriveTime = r.now
	root := s.root
	root.last = r.emit(s.nextID-1, "ExecutionRedriven", newDetails().int("redriveCount", int64(s.info.RedriveCount)).done())
	root.wait, root.failed, root.err, root.fan, root.task = waitNone, false, failure{}, nil, nil
	if r.m.timeout > 0 {
		r.d.Commands = append(r.d.Commands, StartTimer{TimerID: executionTimerID,
			FireAt: r.now.Add(time.Duration(r.m.timeout) * time.Second)})
		s.timerSet = true
	}
	r.ready(root)
	return nil
}

// timerFired routes a timer to the execution timeout or to the frame waiting for it.
func (r *run) timerFired(id string) {
	if id == executionTimerID {
		if !r.s.timerSet {
			return
		}
		r.s.timerSet = false
		r.abortAll(r.s.root)
		r.emit(r.s.nextID-1, "ExecutionTimedOut",
			newDetails().str("error", "States.Timeout").str("cause", "The execution has timed out.").done())
		r.close(Close{Status: "TIMED_OUT", Error: "States.Timeout", Cause: "The execution has timed out."})
		return
	}
	var found *frame
	walkFrames(r.s.root, func(f *frame) bool {
		if (f.wait == waitTimer || f.wait == waitRetry) && f.taskID == id {
			found = f
			return false
		}
		return true
	})
	if found == nil {
		return
	}
	switch found.wait {
	case waitTimer:
		r.waitOver(found)
	case waitRetry:
		r.retryNow(found)
	}
}

// stop aborts the execution: the running states' *StateAborted events, then
// ExecutionAborted (previousEventId 0, details {} without error or cause).
func (r *run) stop(st Stop) {
	r.abortAll(r.s.root)
	b := newDetails()
	if st.Error != "" {
		b = b.str("error", st.Error)
	}
	if st.Cause != "" {
		b = b.str("cause", st.Cause)
	}
	r.emit(0, "ExecutionAborted", b.done())
	r.close(Close{Status: "ABORTED", Error: st.Error, Cause: st.Cause})
}

// abortAll writes the aborted events of every running state under f (innermost
// first) and cancels their tasks and timers.
func (r *run) abortAll(f *frame) {
	if f == nil || f.wait == waitDone {
		return
	}
	if f.wait == waitNone {
		// Queued but not yet in its state (a branch that had not started when another
		// failed): nothing runs, so nothing is aborted.
		f.wait = waitDone
		return
	}
	n := r.node(f)
	switch f.wait {
	case waitChildren:
		for _, k := range f.fan.kids {
			if k != nil && k.wait != waitDone {
				r.abortAll(k)
				if n.typ == typeMap {
					r.emitOn(k, "MapIterationAborted", newDetails().str("name", n.name).int("index", int64(k.index)).done())
				}
			}
		}
		if n.typ == typeMap && n.distributed {
			r.emitOn(f, "MapRunAborted", nil)
		}
	case waitTask:
		r.d.Commands = append(r.d.Commands, CancelTask{TaskID: f.task.id})
	case waitTimer, waitRetry:
		r.d.Commands = append(r.d.Commands, CancelTimer{TimerID: f.taskID})
	case waitItems:
		read, _ := mapRunTasks(f.taskID)
		r.d.Commands = append(r.d.Commands, CancelTask{TaskID: read})
	case waitMapRun:
		_, run := mapRunTasks(f.taskID)
		r.emitOn(f, "MapRunAborted", nil)
		r.d.Commands = append(r.d.Commands, CancelTask{TaskID: run})
	}
	switch n.typ {
	case typeTask, typeWait, typeParallel, typeMap:
		r.emitOn(f, typeNames[n.typ]+"StateAborted", stateEnteredNameOnly(n.name))
	}
	f.wait = waitDone
}

func stateEnteredNameOnly(name string) []byte {
	return newDetails().str("name", name).done()
}
