package pipelineapi

import "context"

func (h *handlers) putActionRevision(ctx context.Context, in *PutActionRevisionInput) (*PutActionRevisionOutput, error) {
	isNew, id, err := h.s.PutActionRevision(ctx, in.PipelineName, in.StageName, in.ActionName, in.ActionRevision.RevisionId)
	if err != nil {
		return nil, err
	}
	return &PutActionRevisionOutput{NewRevision: &isNew, PipelineExecutionId: str(id)}, nil
}
