package pipelineapi

import (
	"context"

	"stepline/pipeline/plan"
)

func (h *handlers) overrideStageCondition(ctx context.Context, in *OverrideStageConditionInput) (*empty, error) {
	return nil, h.s.OverrideStageCondition(ctx, in.PipelineName, in.StageName, in.PipelineExecutionId, in.ConditionType)
}

// conditionStates fills a stage's beforeEntry, onSuccess and onFailure condition
// states from the latest execution to enter it: the condition's latest evaluation and
// the latest run of each of its rules
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_StageState.html).
func conditionStates(ss *StageState, st plan.Stage, latest *plan.Execution) {
	ss.BeforeEntryConditionState = conditionState(st, latest, plan.ConditionBeforeEntry)
	ss.OnSuccessConditionState = conditionState(st, latest, plan.ConditionOnSuccess)
	ss.OnFailureConditionState = conditionState(st, latest, plan.ConditionOnFailure)
}

func conditionState(st plan.Stage, e *plan.Execution, kind string) *StageConditionState {
	conds := st.ConditionsOf(kind)
	if len(conds) == 0 {
		return nil
	}
	out := &StageConditionState{}
	var run *plan.ConditionRun
	if e != nil {
		run = e.LastCondition(st.Name, kind)
	}
	cs := ConditionState{}
	if run != nil {
		out.LatestExecution = &StageConditionsExecution{Status: str(run.Status), Summary: str(run.Summary)}
		cs.LatestExecution = &ConditionExecution{Status: str(run.Status), Summary: str(run.Summary), LastStatusChange: tm(run.Updated)}
	}
	for _, rule := range conds[0].Rules {
		rs := RuleState{RuleName: str(rule.Name)}
		if run != nil {
			if rr := e.LatestRule(st.Name, kind, rule.Name); rr != nil {
				rs.LatestExecution = &RuleExecution{
					RuleExecutionId: str(rr.ID), Status: str(rr.Status), Summary: str(rr.Result.Summary),
					LastStatusChange: tm(rr.Updated), LastUpdatedBy: str(rr.Result.UpdatedBy),
					ExternalExecutionId: str(rr.Result.ExternalExecutionID), ExternalExecutionUrl: str(rr.Result.ExternalURL),
				}
				if rr.Result.ErrorCode != "" || rr.Result.ErrorMessage != "" {
					rs.LatestExecution.ErrorDetails = &ErrorDetails{Code: str(rr.Result.ErrorCode), Message: str(rr.Result.ErrorMessage)}
				}
			}
		}
		cs.RuleStates = append(cs.RuleStates, rs)
	}
	out.ConditionStates = []ConditionState{cs}
	return out
}
