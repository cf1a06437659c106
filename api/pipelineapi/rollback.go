package pipelineapi

import (
	"context"

	"stepline/pipeline/plan"
)

func (h *handlers) rollbackStage(ctx context.Context, in *RollbackStageInput) (*RollbackStageOutput, error) {
	id, err := h.s.RollbackStage(ctx, in.PipelineName, in.StageName, in.TargetPipelineExecutionId)
	if err != nil {
		return nil, err
	}
	return &RollbackStageOutput{PipelineExecutionId: id}, nil
}

// rollbackMetadata is a rollback execution's rollbackMetadata, nil for others.
func rollbackMetadata(e *plan.Execution) *PipelineRollbackMetadata {
	if e.Type != plan.ExecutionRollback {
		return nil
	}
	return &PipelineRollbackMetadata{RollbackTargetPipelineExecutionId: str(e.RollbackTarget)}
}
