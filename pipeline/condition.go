package pipeline

import (
	"context"

	"stepline/pipeline/plan"
)

// OverrideStageCondition ends the evaluation of a stage's BEFORE_ENTRY or ON_SUCCESS
// condition in an execution: its running rules are abandoned, the condition ends
// Overridden and the execution goes on as if it had passed
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_OverrideStageCondition.html).
func (s *Service) OverrideStageCondition(ctx context.Context, name, stage, executionID, conditionType string) error {
	id := s.identity(ctx)
	return s.event(ctx, name, plan.Event{Kind: plan.EventOverride, ExecutionID: executionID, Stage: stage,
		ConditionType: conditionType, By: "arn:" + id.Partition + ":iam::" + id.Account + ":root"})
}
