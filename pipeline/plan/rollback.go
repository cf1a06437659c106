package plan

import "stepline"

// Trigger types of rollback executions (TriggerType in the model).
const (
	TriggerManualRollback    = "ManualRollback"
	TriggerAutomatedRollback = "AutomatedRollback"
)

// rollback is RollbackStage: a new execution, of type ROLLBACK, that runs the stage
// again with the artifacts and variables of a target execution that succeeded in it
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-rollback.html).
func (r *planner) rollback(ev Event) *stepline.Error {
	if r.rt.Find(ev.ExecutionID) != nil {
		return nil // a replayed rollback: idempotent
	}
	i := r.p.StageIndex(ev.Stage)
	if i < 0 {
		return errorf(CodeStageNotFound, "Stage '%s' not found in pipeline '%s'", ev.Stage, r.p.Name)
	}
	target := r.rt.Find(ev.Target)
	if target == nil {
		return errorf(CodeExecutionNotFound, "Pipeline execution with id '%s' does not exist in pipeline with name '%s'", ev.Target, r.p.Name)
	}
	if err := r.canRollback(target, i); err != nil {
		return err
	}
	for _, o := range r.rt.Executions {
		if o.Holds(i) {
			return errorf(CodeConflict, "Stage '%s' is currently in use by pipeline execution '%s'", ev.Stage, o.ID)
		}
	}
	r.startRollback(ev.ExecutionID, target, i, ev.Trigger)
	return nil
}

// canRollback checks what AWS requires of a rollback: a V2 pipeline not in PARALLEL
// mode, a stage other than the source stage, and a target that is not itself a
// rollback, ran on the current pipeline version and succeeded in the stage.
func (r *planner) canRollback(target *Execution, i int) *stepline.Error {
	stage := r.p.Stages[i].Name
	switch {
	case r.p.Type() != PipelineTypeV2:
		return errorf(CodeUnableToRollbackStage, "Rollback is only supported for V2 pipelines")
	case r.p.Mode() == ModeParallel:
		return errorf(CodeUnableToRollbackStage, "Rollback is not supported for pipelines in PARALLEL execution mode")
	case i == 0:
		return errorf(CodeUnableToRollbackStage, "Stage '%s' is a source stage and cannot be rolled back", stage)
	case target.Type == ExecutionRollback:
		return errorf(CodeUnableToRollbackStage, "Pipeline execution '%s' is a rollback execution and cannot be a rollback target", target.ID)
	case target.PipelineVersion != r.p.Version:
		return errorf(CodeExecutionOutdated,
			"Pipeline execution '%s' ran on pipeline version %d, which is not the current version %d", target.ID, target.PipelineVersion, r.p.Version)
	case i >= len(target.Stages) || target.Stages[i].Status != StatusSucceeded:
		return errorf(CodeUnableToRollbackStage, "Stage '%s' did not succeed in pipeline execution '%s'", stage, target.ID)
	}
	return nil
}

// autoRollback is onFailure result ROLLBACK (directly or through a failed onFailure or
// onSuccess condition): e just failed in stage i, which rolls back to the newest
// execution that succeeded in it on the current version. Without one nothing happens.
func (r *planner) autoRollback(e *Execution, i int) {
	if e.Type == ExecutionRollback {
		return
	}
	var target *Execution
	for k := len(r.rt.Executions) - 1; k >= 0 && target == nil; k-- {
		o := r.rt.Executions[k]
		if o != e && r.canRollback(o, i) == nil {
			target = o
		}
	}
	if target == nil {
		return
	}
	id := RollbackExecutionID(e.ID, r.p.Stages[i].Name, e.Stages[i].Attempt)
	if r.rt.Find(id) != nil {
		return
	}
	r.startRollback(id, target, i, ExecTrigger{Type: TriggerAutomatedRollback, Detail: e.ID})
}

// startRollback creates the rollback execution inside stage i and starts its actions.
func (r *planner) startRollback(id string, target *Execution, i int, trigger ExecTrigger) {
	e := &Execution{
		ID: id, PipelineVersion: r.p.Version, Status: StatusInProgress, Trigger: trigger,
		StartTime: r.now.Time, LastUpdateTime: r.now.Time, Type: ExecutionRollback, RollbackTarget: target.ID,
		Stages: make([]StageRun, len(r.p.Stages)), StageNames: r.p.stageNames(), SourceRevisions: append([]SourceRevision(nil), target.SourceRevisions...),
	}
	if target.Variables != nil {
		e.Variables = make(map[string]string, len(target.Variables))
		for k, v := range target.Variables {
			e.Variables[k] = v
		}
	}
	for _, st := range r.p.Stages[:i] {
		for _, a := range st.Actions {
			if run := target.Produced(st.Name, a.Name); run != nil && run.Status == StatusSucceeded {
				e.Inherited = append(e.Inherited, run)
			}
		}
	}
	r.rt.Executions = append(r.rt.Executions, e)
	e.Stage = i
	sr := &e.Stages[i]
	sr.Attempt, sr.Base, sr.Status = 1, 1, StatusInProgress
	r.progress(e)
}

// RollbackExecutionID derives the id of the automatic rollback of a failed stage
// attempt, so replaying the failure names the rollback identically.
func RollbackExecutionID(failedExecutionID, stage string, attempt int) string {
	return ActionExecutionID(failedExecutionID, stage, "\x00rollback", attempt)
}
