package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"stepline/asl"
	"stepline/jsonvalue"
	"stepline/store"
)

// taskClaimBatch bounds the service tasks the loop claims per round.
const taskClaimBatch = 64

// taskLoop finds service tasks nobody is running: written by a node that died before
// dispatching them, or whose dispatcher died mid-call (its lease lapsed). Tasks this
// node writes are dispatched at once by afterWrite; the loop is the safety net, so it
// only looks every TimerPollMax.
func (e *engine) taskLoop(ctx context.Context) {
	for ctx.Err() == nil {
		now := e.s.cfg.Clock.Now()
		for _, state := range []string{taskScheduled, taskDispatching} {
			tasks, err := e.s.store.TaskClaim(ctx, store.TaskClaimParams{
				Now: now, Owner: e.s.cfg.NodeID, LeaseFor: TaskLeaseDefault, Limit: taskClaimBatch,
				Kind: taskService, State: state, NewState: taskDispatching,
			})
			if err != nil && ctx.Err() == nil {
				e.s.cfg.Logger.Warn("claim tasks", "err", err)
			}
			for _, tk := range tasks {
				e.spawn(func(ctx context.Context) { e.runTask(ctx, tk) })
			}
		}
		e.sweepActivities(ctx, now)
		select {
		case <-ctx.Done():
			return
		case <-e.s.cfg.Clock.After(TimerPollMax):
		}
	}
}

// dispatch runs a service task this node just wrote. Taking it from "scheduled" with
// the row's version as guard makes the fast path and the task loop exclusive.
func (e *engine) dispatch(ctx context.Context, tk store.Task) {
	if tk.Version == 0 {
		tk.Version = 1
	}
	tk.State = taskDispatching
	tk.Owner = e.s.cfg.NodeID
	tk.LeaseUntil = e.s.cfg.Clock.Now().Add(TaskLeaseDefault)
	tk, err := e.s.store.TaskUpdate(ctx, tk)
	if err != nil {
		if !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
			e.s.cfg.Logger.Warn("take task", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
		}
		return
	}
	e.runTask(ctx, tk)
}

// runTask calls a task's integration and delivers what it answered. It holds the
// execution's lock throughout, so that a nested execution which ends at once cannot
// report its end before its parent has recorded the start.
func (e *engine) runTask(ctx context.Context, tk store.Task) {
	var env taskEnvelope
	if err := json.Unmarshal(tk.Input, &env); err != nil {
		e.s.cfg.Logger.Warn("decode task", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
		return
	}
	if env.Service == serviceMapRun {
		// Not under the parent's lock: the children's ends it waits for take it.
		e.runMapRunTask(ctx, tk, env)
		return
	}
	unlock := e.locks.lock(tk.ExecutionARN)
	defer unlock()
	out, err := e.callIntegration(ctx, tk, env)
	if err != nil {
		if ctx.Err() == nil {
			e.s.cfg.Logger.Warn("run task", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
		}
		return // the lease lapses and the task loop tries again
	}
	_, err = e.deliverLocked(ctx, tk.ExecutionARN, delivery{inputs: out.inputs, child: out.child, childTask: tk.ID})
	if err != nil {
		if !errors.Is(err, errClosed) && ctx.Err() == nil {
			e.s.cfg.Logger.Warn("deliver task", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
		}
		return
	}
	if out.wait {
		// The answer comes later (SendTask* or the child's end): stop the task loop
		// from dispatching it again.
		tk.State, tk.Owner = taskWaiting, ""
		if _, err := e.s.store.TaskUpdate(ctx, tk); err != nil && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
			e.s.cfg.Logger.Warn("park task", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
		}
	}
}

// taskOutcome is what an integration answered: inputs to step now, and whether the
// task then waits for an answer that comes later.
type taskOutcome struct {
	inputs []asl.Input
	wait   bool
	child  string // the nested execution started, if any
}

// callIntegration runs one durable service task.
func (e *engine) callIntegration(ctx context.Context, tk store.Task, env taskEnvelope) (taskOutcome, error) {
	if env.Service == serviceItemReader {
		return e.readItemsTask(ctx, tk, env), nil
	}
	input, err := jsonvalue.Parse(env.Input)
	if err != nil {
		return taskOutcome{}, fmt.Errorf("decode task input: %w", err)
	}
	started := asl.TaskStarted{TaskID: tk.ID}
	switch {
	case isStartExecution(env):
		return e.startChildTask(ctx, tk, env, input)
	case env.Pattern == "waitForTaskToken":
		// Nothing local to call: the task waits for its token, which the caller put
		// in the parameters (and so in the history) for whoever answers it.
		return taskOutcome{inputs: []asl.Input{started}, wait: true}, nil
	default:
		f := unsupportedIntegration(env)
		return taskOutcome{inputs: []asl.Input{started, asl.TaskFailed{TaskID: tk.ID, Error: f.Error, Cause: f.Cause}}}, nil
	}
}
