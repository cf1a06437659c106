package plan

// advance moves every active execution as far as it can go: into stages whose lock
// and inbound transition allow it, and through each stage's runOrder groups. It loops
// until nothing changes, since one execution leaving a stage may let another in.
func (r *planner) advance() {
	for changed := true; changed; {
		changed = false
		for _, e := range r.rt.Executions {
			if !e.Active() {
				continue
			}
			before := e.Status
			stage, inbound := e.Stage, e.Inbound
			if e.Inbound {
				r.tryEnter(e)
			} else {
				r.progress(e)
			}
			if e.Status != before || e.Stage != stage || e.Inbound != inbound {
				changed = true
			}
		}
	}
}

// arrive puts e in front of stage i. In SUPERSEDED mode a newer execution arriving at
// a stage boundary replaces the one already waiting there, which ends Superseded
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works.html).
func (r *planner) arrive(e *Execution, i int) {
	e.Stage, e.Inbound = i, true
	e.LastUpdateTime = r.now.Time
	if r.p.Mode() != ModeSuperseded {
		return
	}
	for _, o := range r.rt.Executions {
		if o != e && o.Active() && o.Inbound && o.Stage == i {
			r.end(o, StatusSuperseded, "")
		}
	}
}

// tryEnter lets e into the stage it waits for when the inbound transition is enabled
// and, unless the pipeline runs in PARALLEL mode, no other execution holds the stage.
// In QUEUED mode the oldest waiting execution goes first.
func (r *planner) tryEnter(e *Execution) {
	i := e.Stage
	if e.Status == StatusStopping {
		// Stopping an execution that has not entered the stage stops it at once.
		r.end(e, StatusStopped, "")
		return
	}
	if i > 0 && !r.rt.TransitionEnabled(r.p.Stages[i].Name) {
		return
	}
	if r.p.Mode() != ModeParallel {
		for _, o := range r.rt.Executions {
			if o == e {
				continue
			}
			if o.Holds(i) {
				return
			}
			if r.p.Mode() == ModeQueued && o.Active() && o.Inbound && o.Stage == i && o.StartTime.Before(e.StartTime) {
				return
			}
		}
	}
	sr := &e.Stages[i]
	sr.Attempt++
	sr.Base = sr.Attempt
	sr.Status = StatusInProgress
	e.Inbound = false
	e.LastUpdateTime = r.now.Time
	r.progress(e)
}

// progress runs the stage e is in: the first runOrder group that has not succeeded
// starts its actions; a failed group fails the stage once its running actions end;
// the last group's success moves e to the next stage.
func (r *planner) progress(e *Execution) {
	i := e.Stage
	st := &r.p.Stages[i]
	sr := &e.Stages[i]
	for _, a := range e.Actions {
		if a.Stage == st.Name && a.Status == StatusInProgress {
			return // wait for running actions, whatever happens next
		}
	}
	if sr.Gate != "" {
		return // the stage's condition rules are running
	}
	if e.Status == StatusStopping {
		sr.Status = StatusStopped
		r.end(e, StatusStopped, "")
		return
	}
	if r.gate(e, i, ConditionBeforeEntry) {
		return
	}
	for _, order := range st.Groups() {
		var toStart []*Action
		failed := ""
		for k := range st.Actions {
			a := &st.Actions[k]
			if a.Order() != order {
				continue
			}
			run := e.Latest(st.Name, a.Name)
			switch {
			case run != nil && run.Status == StatusSucceeded && run.Attempt >= sr.Base:
			case run != nil && run.Attempt == sr.Attempt && (run.Status == StatusFailed || run.Status == StatusAbandoned):
				if failed == "" {
					failed = a.Name
				}
			default:
				toStart = append(toStart, a)
			}
		}
		if failed != "" {
			if r.autoRetry(e, st, sr) || r.gate(e, i, ConditionOnFailure) {
				return
			}
			sr.Status = StatusFailed
			run := e.Latest(st.Name, failed)
			msg := run.Result.ErrorMessage
			r.end(e, StatusFailed, msg)
			if g := st.OnFailure; g != nil && g.Result == ResultRollback {
				r.autoRollback(e, i)
			} else if c := r.failedGate(e, i, ConditionOnFailure); c != nil && c.Result == ResultRollback {
				r.autoRollback(e, i)
			}
			return
		}
		if len(toStart) > 0 {
			for _, a := range toStart {
				r.startAction(e, i, a)
			}
			return
		}
	}
	if r.gate(e, i, ConditionOnSuccess) {
		return
	}
	sr.Status = StatusSucceeded
	r.leave(e, i)
}

// leave moves e on from stage i, which it succeeded or skipped. A rollback execution
// runs only the stage it rolls back.
func (r *planner) leave(e *Execution, i int) {
	if i == len(r.p.Stages)-1 || e.Type == ExecutionRollback {
		r.end(e, StatusSucceeded, "")
		return
	}
	// Moving on at once keeps the order of commands the order of the pipeline: the
	// next stage's actions start before another execution takes this stage.
	r.arrive(e, i+1)
	r.tryEnter(e)
}

// autoRetry is a V2 stage's onFailure result RETRY: one automatic retry of the failed
// stage, in the configured mode (FAILED_ACTIONS unless told otherwise)
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-retry.html).
func (r *planner) autoRetry(e *Execution, st *Stage, sr *StageRun) bool {
	g := st.OnFailure
	if g == nil || g.Result != "RETRY" || sr.AutoRetry > 0 || e.Status != StatusInProgress {
		return false
	}
	sr.AutoRetry++
	sr.Attempt++
	if g.RetryConfiguration != nil && g.RetryConfiguration.RetryMode == RetryAllActions {
		sr.Base = sr.Attempt
	}
	r.progress(e)
	return true
}

func (r *planner) startAction(e *Execution, i int, a *Action) {
	st := &r.p.Stages[i]
	sr := &e.Stages[i]
	run := &ActionRun{
		ID:    ActionExecutionID(e.ID, st.Name, a.Name, sr.Attempt),
		Stage: st.Name, Action: a.Name, Attempt: sr.Attempt, Status: StatusInProgress,
		StartTime: r.now.Time, Updated: r.now.Time,
	}
	if a.ActionTypeID.Category == CategoryApproval {
		// The token is also the approval's external execution id, which is where
		// ListActionExecutions shows it (the way to approve in PARALLEL pipelines).
		run.Token = ApprovalToken(r.rt.Seed, run.ID)
		run.Result.ExternalExecutionID = run.Token
	}
	e.Actions = append(e.Actions, run)
	e.LastUpdateTime = r.now.Time
	r.emit(Command{Kind: CommandRunAction, ExecutionID: e.ID, ActionExecutionID: run.ID, Stage: st.Name, Action: a.Name})
}

// end gives e a final status, abandoning whatever it still runs.
func (r *planner) end(e *Execution, status, summary string) {
	for _, run := range e.Actions {
		if run.Status == StatusInProgress {
			r.abandon(e, run)
		}
	}
	r.abandonRules(e)
	if !e.Inbound && status == StatusCancelled {
		e.Stages[e.Stage].Status = StatusCancelled
	}
	e.Status = status
	if summary != "" {
		e.StatusSummary = summary
	}
	e.LastUpdateTime = r.now.Time
	r.emit(Command{Kind: CommandExecutionEnded, ExecutionID: e.ID, Status: status})
}
