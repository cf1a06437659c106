package pipelineapi

import (
	"context"

	"stepline"
)

// listDeployActionExecutionTargets answers ListDeployActionExecutionTargets
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListDeployActionExecutionTargets.html).
// AWS reports targets (instances, tasks) only for the EC2 and ECS deploy actions; the
// actions this server runs deploy to no such targets, so a known action execution has
// an empty target list, and an unknown one is ActionExecutionNotFoundException.
// Without a pipeline name (optional in the model) every pipeline of the caller is
// searched. No page ever has a next token, so any token given is invalid.
func (h *handlers) listDeployActionExecutionTargets(ctx context.Context, in *ListDeployActionExecutionTargetsInput) (*ListDeployActionExecutionTargetsOutput, error) {
	if in.NextToken != nil && *in.NextToken != "" {
		return nil, invalidToken()
	}
	var names []string
	if in.PipelineName != nil && *in.PipelineName != "" {
		names = []string{*in.PipelineName}
	} else {
		all, err := h.allPipelineNames(ctx)
		if err != nil {
			return nil, err
		}
		names = all
	}
	for _, name := range names {
		_, run, _, err := h.s.FindActionExecution(ctx, name, in.ActionExecutionId)
		if err != nil {
			return nil, err
		}
		if run != nil {
			return &ListDeployActionExecutionTargetsOutput{Targets: []DeployActionExecutionTarget{}}, nil
		}
	}
	return nil, stepline.Errorf("ActionExecutionNotFoundException",
		"The action execution with id '%s' was not found", in.ActionExecutionId)
}

func (h *handlers) allPipelineNames(ctx context.Context) ([]string, error) {
	var names []string
	after := ""
	for {
		page, more, err := h.s.ListPipelines(ctx, after, 1000)
		if err != nil {
			return nil, err
		}
		for _, p := range page {
			names = append(names, p.Name)
		}
		if !more || len(page) == 0 {
			return names, nil
		}
		after = page[len(page)-1].Name
	}
}
