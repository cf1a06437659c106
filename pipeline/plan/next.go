package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"stepline"
)

// MaxActiveExecutions is how many executions a QUEUED or PARALLEL pipeline runs or
// queues at once before StartPipelineExecution is refused.
const MaxActiveExecutions = 50

// Next applies one event to a pipeline's runtime and returns the new runtime and the
// commands the engine must carry out. It never changes rt. A refused request (stopping
// a finished execution, retrying a stage that cannot be retried) is an *stepline.Error
// with CodePipeline's exception code, and the runtime is unchanged.
func Next(p *Pipeline, rt Runtime, ev Event) (Runtime, []Command, error) {
	r := &planner{p: p, rt: rt.clone(), now: ev}
	if err := r.apply(ev); err != nil {
		return rt, nil, err
	}
	r.advance()
	return *r.rt, r.cmds, nil
}

type planner struct {
	p    *Pipeline
	rt   *Runtime
	now  Event
	cmds []Command
}

func (r *planner) emit(c Command) { r.cmds = append(r.cmds, c) }

func (r *planner) apply(ev Event) *stepline.Error {
	switch ev.Kind {
	case EventStart:
		return r.start(ev)
	case EventActionUpdated, EventActionCompleted:
		r.actionEvent(ev)
		return nil
	case EventApproval:
		return r.approval(ev)
	case EventStop:
		return r.stop(ev)
	case EventRetry:
		return r.retry(ev)
	case EventTransition:
		return r.transition(ev)
	case EventRollback:
		return r.rollback(ev)
	case EventOverride:
		return r.override(ev)
	case EventCancel:
		for _, e := range r.rt.Executions {
			if e.Active() {
				r.end(e, StatusCancelled, "Pipeline execution was cancelled because the pipeline was updated")
			}
		}
		return nil
	}
	return errorf(CodeValidation, "unknown event %q", ev.Kind)
}

func (r *planner) start(ev Event) *stepline.Error {
	if r.rt.Find(ev.ExecutionID) != nil {
		return nil // a replayed start: idempotent
	}
	if m := r.p.Mode(); m == ModeQueued || m == ModeParallel {
		active := 0
		for _, e := range r.rt.Executions {
			if e.Active() {
				active++
			}
		}
		if active >= MaxActiveExecutions {
			return errorf(CodeConcurrentLimitExceeded, "The pipeline has reached the limit of %d concurrent executions", MaxActiveExecutions)
		}
	}
	e := &Execution{
		ID: ev.ExecutionID, PipelineVersion: r.p.Version, Status: StatusInProgress, Trigger: ev.Trigger,
		StartTime: ev.Time, LastUpdateTime: ev.Time, Variables: r.variables(ev.Variables),
		SourceRevisions: ev.SourceRevisions,
		Stages:          make([]StageRun, len(r.p.Stages)),
		StageNames:      r.p.stageNames(),
	}
	r.rt.Executions = append(r.rt.Executions, e)
	r.arrive(e, 0)
	return nil
}

// variables resolves pipeline variables: the declared defaults, overridden by the
// values given at start.
func (r *planner) variables(given map[string]string) map[string]string {
	if len(r.p.Variables) == 0 && len(given) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, v := range r.p.Variables {
		out[v.Name] = v.DefaultValue
	}
	for k, v := range given {
		out[k] = v
	}
	return out
}

func (r *planner) actionEvent(ev Event) {
	e := r.rt.Find(ev.ExecutionID)
	if e == nil {
		return
	}
	run := e.Run(ev.ActionExecutionID)
	if run == nil {
		r.ruleEvent(e, ev) // rule outcomes come back like action outcomes
		return
	}
	// Results for runs that already ended (abandoned, or reported twice by an
	// at-least-once dispatcher) are dropped.
	if run.Status != StatusInProgress {
		return
	}
	mergeResult(&run.Result, ev.Result)
	run.Updated = ev.Time
	e.LastUpdateTime = ev.Time
	if ev.Kind == EventActionCompleted {
		run.Status = ev.Status
	}
}

func mergeResult(dst *ActionResult, src ActionResult) {
	if src.Summary != "" {
		dst.Summary = src.Summary
	}
	if src.ExternalExecutionID != "" {
		dst.ExternalExecutionID = src.ExternalExecutionID
	}
	if src.ExternalURL != "" {
		dst.ExternalURL = src.ExternalURL
	}
	if src.ErrorCode != "" || src.ErrorMessage != "" {
		dst.ErrorCode, dst.ErrorMessage = src.ErrorCode, src.ErrorMessage
	}
	if src.OutputVariables != nil {
		dst.OutputVariables = src.OutputVariables
	}
	if src.OutputArtifacts != nil {
		dst.OutputArtifacts = src.OutputArtifacts
	}
	if src.UpdatedBy != "" {
		dst.UpdatedBy = src.UpdatedBy
	}
	if src.ContinuationToken != "" {
		dst.ContinuationToken = src.ContinuationToken
	}
}

// approval answers a Manual approval. The token names the waiting action run; one
// that was already answered is ApprovalAlreadyCompleted, an unknown one
// InvalidApprovalToken, as PutApprovalResult reports.
func (r *planner) approval(ev Event) *stepline.Error {
	for _, e := range r.rt.Executions {
		for _, run := range e.Actions {
			if run.Token == "" || run.Token != ev.Token || run.Stage != ev.Stage || run.Action != ev.Action {
				continue
			}
			if run.Status != StatusInProgress {
				return errorf(CodeApprovalAlreadyCompleted, "Approval action has already been completed")
			}
			run.Status = StatusSucceeded
			if ev.Status == "Rejected" {
				run.Status = StatusFailed
				run.Result.ErrorCode = "JobFailed"
				run.Result.ErrorMessage = "Rejected by " + ev.By
			}
			run.Result.Summary = ev.Reason
			run.Result.UpdatedBy = ev.By
			run.Updated = ev.Time
			e.LastUpdateTime = ev.Time
			return nil
		}
	}
	return errorf(CodeInvalidApprovalToken, "Invalid approval token '%s' for action '%s'", ev.Token, ev.Action)
}

// stop is StopPipelineExecution: stop-and-wait lets running actions finish,
// stop-and-abandon abandons them at once. A second stop-and-wait is refused; an
// abandon may follow a stop-and-wait.
func (r *planner) stop(ev Event) *stepline.Error {
	e := r.rt.Find(ev.ExecutionID)
	if e == nil {
		return errorf(CodeExecutionNotFound, "Pipeline execution with id '%s' does not exist", ev.ExecutionID)
	}
	switch {
	case e.Status == StatusStopping && !ev.Abandon:
		return errorf(CodeDuplicatedStopRequest, "Pipeline execution with id '%s' is already being stopped", e.ID)
	case !e.Active():
		return errorf(CodeExecutionNotStoppable, "Pipeline execution with id '%s' is %s and cannot be stopped", e.ID, e.Status)
	}
	e.Status = StatusStopping
	e.StopReason, e.StopAbandon = ev.Reason, ev.Abandon
	// Rules are checks, not work in flight: a stop ends their evaluation at once.
	r.abandonRules(e)
	e.LastUpdateTime = ev.Time
	if ev.Abandon {
		for _, run := range e.Actions {
			if run.Status == StatusInProgress {
				r.abandon(e, run)
			}
		}
	}
	return nil
}

func (r *planner) abandon(e *Execution, run *ActionRun) {
	run.Status = StatusAbandoned
	run.Updated = r.now.Time
	r.emit(Command{Kind: CommandAbandonAction, ExecutionID: e.ID, ActionExecutionID: run.ID, Stage: run.Stage, Action: run.Action})
}

func (r *planner) transition(ev Event) *stepline.Error {
	if r.p.StageIndex(ev.Stage) < 0 {
		return errorf(CodeStageNotFound, "Stage '%s' not found in pipeline '%s'", ev.Stage, r.p.Name)
	}
	if r.rt.Transitions == nil {
		r.rt.Transitions = map[string]*Transition{}
	}
	r.rt.Transitions[ev.Stage] = &Transition{Enabled: ev.Enabled, Reason: ev.Reason, LastChangedBy: ev.By, LastChangedAt: ev.Time}
	return nil
}

// ActionExecutionID derives the id of an action execution from the pipeline execution,
// the action and the stage attempt, so replaying events names runs identically. It has
// the shape of a UUID, as AWS's action execution ids do.
func ActionExecutionID(executionID, stage, action string, attempt int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%s\x00%d", executionID, stage, action, attempt))
	return uuidShape(sum[:16])
}

// ApprovalToken derives the token of a Manual approval run from the runtime's secret.
func ApprovalToken(seed, actionExecutionID string) string {
	sum := sha256.Sum256([]byte(seed + "\x00approval\x00" + actionExecutionID))
	return uuidShape(sum[:16])
}

func uuidShape(b []byte) string {
	b[6] = b[6]&0x0f | 0x40 // version 4 layout, as AWS ids look
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
