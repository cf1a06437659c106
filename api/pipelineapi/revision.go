package pipelineapi

import "context"

func (h *handlers) putActionRevision(ctx context.Context, in *PutActionRevisionInput) (*PutActionRevisionOutput, error) {
	isNew, id, err := h.s.PutActionRevision(ctx, in.PipelineName, in.StageName, in.ActionName, in.ActionRevision.RevisionId)
	if err != nil {
		return nil, err
	}
	return &PutActionRevisionOutput{NewRevision: &isNew, PipelineExecutionId: str(id)}, nil
}

// listRuleExecutions answers for an existing pipeline with no rule executions: stage
// conditions are stored but their rules are not run yet.
func (h *handlers) listRuleExecutions(ctx context.Context, in *ListRuleExecutionsInput) (*ListRuleExecutionsOutput, error) {
	if _, err := h.s.State(ctx, in.PipelineName); err != nil {
		return nil, err
	}
	return &ListRuleExecutionsOutput{RuleExecutionDetails: []RuleExecutionDetail{}}, nil
}
