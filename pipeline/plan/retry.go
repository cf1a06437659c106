package plan

import "stepline"

// retry is RetryStageExecution
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-retry.html): only
// the latest execution to have entered a failed or stopped stage may retry it, on the
// pipeline structure it failed with. FAILED_ACTIONS re-runs the actions that did not
// succeed; ALL_ACTIONS runs the whole stage again. The execution keeps its id; each
// re-run gets a new action execution id.
func (r *planner) retry(ev Event) *stepline.Error {
	e := r.rt.Find(ev.ExecutionID)
	if e == nil {
		return errorf(CodeExecutionNotFound, "Pipeline execution with id '%s' does not exist", ev.ExecutionID)
	}
	i := r.p.StageIndex(ev.Stage)
	if i < 0 {
		return errorf(CodeStageNotFound, "Stage '%s' not found in pipeline '%s'", ev.Stage, r.p.Name)
	}
	if ev.RetryMode != RetryFailedActions && ev.RetryMode != RetryAllActions {
		return errorf(CodeValidation, "Invalid retry mode '%s'", ev.RetryMode)
	}
	// An execution of another pipeline version has other stages: check the version
	// before indexing its stages.
	if e.PipelineVersion != r.p.Version || i >= len(e.Stages) {
		return errorf(CodeStageNotRetryable, "Stage '%s' cannot be retried because the pipeline structure has changed since the execution ran", ev.Stage)
	}
	sr := e.Stages[i]
	if e.Inbound || e.Stage != i || (sr.Status != StatusFailed && sr.Status != StatusStopped) ||
		(e.Status != StatusFailed && e.Status != StatusStopped) {
		return errorf(CodeStageNotRetryable, "Stage '%s' in pipeline execution '%s' is not in a retryable state", ev.Stage, e.ID)
	}
	for _, o := range r.rt.Executions {
		if o != e && o.StartTime.After(e.StartTime) && (o.PipelineVersion != e.PipelineVersion || i < len(o.Stages) && o.Stages[i].Attempt > 0) {
			return errorf(CodeNotLatestExecution, "Pipeline execution '%s' is not the latest execution in stage '%s'", e.ID, ev.Stage)
		}
		if o != e && o.Holds(i) {
			return errorf(CodeConflict, "Stage '%s' is currently in use by pipeline execution '%s'", ev.Stage, o.ID)
		}
	}
	s := &e.Stages[i]
	s.Attempt++
	s.ManualRetry++
	if ev.RetryMode == RetryAllActions {
		s.Base = s.Attempt
	}
	s.Status = StatusInProgress
	e.Status = StatusInProgress
	e.StatusSummary = ""
	e.StopReason, e.StopAbandon = "", false
	e.LastUpdateTime = ev.Time
	r.progress(e)
	return nil
}
