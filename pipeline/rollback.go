package pipeline

import (
	"context"

	"stepline/pipeline/plan"
)

// RollbackStage rolls a stage back to a target execution that succeeded in it: a new
// execution of type ROLLBACK (trigger ManualRollback) runs the stage again with the
// target's artifacts and variables. It returns the new execution's id
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_RollbackStage.html).
func (s *Service) RollbackStage(ctx context.Context, name, stage, targetExecutionID string) (string, error) {
	_, rec, _, err := s.load(ctx, name, 0)
	if err != nil {
		return "", err
	}
	id := s.cfg.NewID()
	ident := s.identity(ctx)
	err = s.apply(ctx, rec.Key, plan.Event{
		Kind: plan.EventRollback, ExecutionID: id, Stage: stage, Target: targetExecutionID,
		Trigger: plan.ExecTrigger{Type: plan.TriggerManualRollback, Detail: "arn:" + ident.Partition + ":iam::" + ident.Account + ":root"},
	})
	if err != nil {
		return "", err
	}
	return id, nil
}
