package sfn

import (
	"context"
	"errors"
	"time"

	"stepline/asl"
	"stepline/internal/clock"
	"stepline/jsonvalue"
)

// TaskFunc answers a task of an in-memory execution with the inputs to step next
// (usually TaskStarted then TaskSucceeded or TaskFailed). It is called synchronously,
// in the order tasks are scheduled.
type TaskFunc func(ctx context.Context, t asl.ScheduleTask) []asl.Input

// MemoryRunOptions configures RunInMemory.
type MemoryRunOptions struct {
	Machine *asl.Machine
	Info    asl.ExecutionInfo
	Input   any
	Seed    uint64
	Clock   clock.Clock // nil: the wall clock
	// InstantTimers makes Wait states and retry back-offs fire at once, moving the
	// execution's time to when they were due: what `stepline run` wants in CI. Express
	// executions wait for real.
	InstantTimers bool
	// Tasks answers Task states; nil fails every task as an unavailable integration.
	Tasks TaskFunc
	// KeepHistory keeps the events (for --history); otherwise they are dropped as they
	// come, which keeps long in-memory runs small.
	KeepHistory bool
}

// MemoryRunResult is how an in-memory execution ended.
type MemoryRunResult struct {
	Status    string
	Output    string // JSON text, on success
	Error     string
	Cause     string
	StartDate time.Time
	StopDate  time.Time
	Events    []asl.Event // with KeepHistory
	Steps     int         // inputs stepped, Start included
}

// errStuck is returned when an execution waits for nothing that can come.
var errStuck = errors.New("execution waits for a task or timer that can never come")

// RunInMemory runs one execution to its end without a store: the loop shared by
// Express executions and `stepline run`. Timers are kept in a map and tasks are
// answered by o.Tasks. When ctx ends first the execution is stopped (ABORTED).
func RunInMemory(ctx context.Context, o MemoryRunOptions) (MemoryRunResult, error) {
	r := memRun{o: o, timers: make(map[string]time.Time)}
	if r.o.Clock == nil {
		r.o.Clock = clock.Real{}
	}
	if r.o.Tasks == nil {
		r.o.Tasks = failAllTasks
	}
	start := r.now()
	r.res.StartDate = start
	if r.o.Info.StartTime.IsZero() {
		r.o.Info.StartTime = start
	}
	dec, err := o.Machine.Step(nil, asl.Start{Info: r.o.Info, Input: o.Input, Seed: o.Seed}, start)
	if err != nil {
		return r.res, err
	}
	r.res.Steps++
	r.take(ctx, dec)
	for !r.closed {
		in, err := r.next(ctx)
		if err != nil {
			return r.res, err
		}
		dec, err := o.Machine.Step(r.state, in, r.now())
		if err != nil {
			return r.res, err
		}
		r.res.Steps++
		r.take(ctx, dec)
	}
	return r.res, nil
}

// memRun is the state of one RunInMemory.
type memRun struct {
	o       MemoryRunOptions
	state   *asl.State
	queue   []asl.Input
	timers  map[string]time.Time
	virtual time.Time // with InstantTimers, the time the last fired timer was due
	closed  bool
	res     MemoryRunResult
}

// now is the execution's time: the clock's, or later when instant timers moved it on.
func (r *memRun) now() time.Time {
	t := r.o.Clock.Now()
	if r.virtual.After(t) {
		return r.virtual
	}
	return t
}

// take applies a Decision: keeps its events and carries out its commands.
func (r *memRun) take(ctx context.Context, d asl.Decision) {
	r.state = d.State
	if r.o.KeepHistory {
		r.res.Events = append(r.res.Events, d.Events...)
	}
	for _, c := range d.Commands {
		switch c := c.(type) {
		case asl.ScheduleTask:
			r.queue = append(r.queue, r.o.Tasks(ctx, c)...)
		case asl.StartTimer:
			r.timers[c.TimerID] = c.FireAt
		case asl.CancelTimer:
			delete(r.timers, c.TimerID)
		case asl.Close:
			r.closed = true
			r.res.Status, r.res.Error, r.res.Cause = c.Status, c.Error, c.Cause
			if c.Status == ExecSucceeded {
				r.res.Output = jsonvalue.MarshalString(c.Output)
			}
			r.res.StopDate = r.now()
		}
	}
}

// next returns the next input: a task answer, else the earliest timer once due.
func (r *memRun) next(ctx context.Context) (asl.Input, error) {
	if len(r.queue) > 0 {
		in := r.queue[0]
		r.queue = r.queue[1:]
		return in, nil
	}
	if len(r.timers) == 0 {
		return nil, errStuck
	}
	id, at := "", time.Time{}
	for tid, t := range r.timers {
		if id == "" || t.Before(at) || (t.Equal(at) && tid < id) {
			id, at = tid, t
		}
	}
	if r.o.InstantTimers {
		if at.After(r.virtual) {
			r.virtual = at
		}
	} else if d := at.Sub(r.now()); d > 0 {
		select {
		case <-ctx.Done():
			return asl.Stop{Error: "States.Timeout", Cause: "The execution was stopped before its timer fired."}, nil
		case <-r.o.Clock.After(d):
		}
	}
	delete(r.timers, id)
	return asl.TimerFired{TimerID: id}, nil
}

// failAllTasks answers every task with IntegrationUnavailableError.
func failAllTasks(_ context.Context, t asl.ScheduleTask) []asl.Input {
	f := unsupportedIntegration(taskEnvelope{Resource: t.Resource, StateName: t.StateName})
	return []asl.Input{asl.TaskStarted{TaskID: t.TaskID}, asl.TaskFailed{TaskID: t.TaskID, Error: f.Error, Cause: f.Cause}}
}
