package pipelineapi

import (
	"context"

	"stepline/pipeline/plan"
)

// getPipelineState reports, per stage, the latest execution to enter it, the one
// waiting in front of it, its inbound transition and the latest run of each action
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineState.html).
func (h *handlers) getPipelineState(ctx context.Context, in *GetPipelineStateInput) (*GetPipelineStateOutput, error) {
	snap, err := h.s.State(ctx, in.Name)
	if err != nil {
		return nil, err
	}
	p := snap.Pipeline
	out := &GetPipelineStateOutput{
		PipelineName: str(p.Name), PipelineVersion: i32(p.Version),
		Created: tm(snap.Meta.Created), Updated: tm(snap.Meta.Updated), StageStates: []StageState{},
	}
	execs := snap.Runtime.Executions
	for i, st := range p.Stages {
		ss := StageState{StageName: str(st.Name)}
		if i > 0 {
			enabled := snap.Runtime.TransitionEnabled(st.Name)
			ts := &TransitionState{Enabled: &enabled}
			if t, ok := snap.Runtime.Transitions[st.Name]; ok {
				ts.LastChangedAt, ts.LastChangedBy = tm(t.LastChangedAt), str(t.LastChangedBy)
				if !t.Enabled {
					ts.DisabledReason = str(t.Reason)
				}
			}
			ss.InboundTransitionState = ts
		}
		// The latest execution to enter the stage is the newest with an attempt there.
		var latest *plan.Execution
		var sr plan.StageRun
		for k := len(execs) - 1; k >= 0; k-- {
			e := execs[k]
			if latest == nil {
				if run, ok := e.StageRunOf(st.Name, i, snap.Pipeline.Version); ok {
					latest, sr = e, run
				}
			}
			if e.Inbound && e.Stage == i && e.Active() {
				se := StageExecution{PipelineExecutionId: e.ID, Status: e.Status}
				if ss.InboundExecution == nil {
					ss.InboundExecution = &se
				}
				ss.InboundExecutions = append(ss.InboundExecutions, se)
			}
		}
		if latest != nil {
			ss.LatestExecution = &StageExecution{PipelineExecutionId: latest.ID, Status: sr.Status, Type: str(latest.ExecutionType())}
			if sr.ManualRetry > 0 || sr.AutoRetry > 0 {
				// The planner does not order manual against automatic retries; a manual
				// one can only follow the automatic one, so it is the latest when present.
				trigger := "AutomatedStageRetry"
				if sr.ManualRetry > 0 {
					trigger = "ManualStageRetry"
				}
				ss.RetryStageMetadata = &RetryStageMetadata{
					AutoStageRetryAttempt: i32(sr.AutoRetry), ManualStageRetryAttempt: i32(sr.ManualRetry), LatestRetryTrigger: str(trigger),
				}
			}
		}
		conditionStates(&ss, st, latest)
		for _, a := range st.Actions {
			as := ActionState{ActionName: str(a.Name)}
			if latest != nil {
				if run := latest.Latest(st.Name, a.Name); run != nil {
					ae := &ActionExecution{
						ActionExecutionId: str(run.ID), Status: str(run.Status), Summary: str(run.Result.Summary),
						LastStatusChange: tm(run.Updated), LastUpdatedBy: str(run.Result.UpdatedBy),
						ExternalExecutionId: str(run.Result.ExternalExecutionID), ExternalExecutionUrl: str(run.Result.ExternalURL),
					}
					if run.Status == plan.StatusInProgress {
						ae.Token = str(run.Token)
					}
					if run.Result.ErrorCode != "" || run.Result.ErrorMessage != "" {
						ae.ErrorDetails = &ErrorDetails{Code: str(run.Result.ErrorCode), Message: str(run.Result.ErrorMessage)}
					}
					as.LatestExecution = ae
				}
			}
			ss.ActionStates = append(ss.ActionStates, as)
		}
		out.StageStates = append(out.StageStates, ss)
	}
	return out, nil
}
