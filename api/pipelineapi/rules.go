package pipelineapi

import (
	"context"

	"stepline"
	"stepline/pipeline"
	"stepline/pipeline/plan"
)

// listRuleTypes lists the AWS rule types a condition may name; there are no custom
// rule types, so an owner filter other than AWS lists none
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListRuleTypes.html).
func (h *handlers) listRuleTypes(_ context.Context, in *ListRuleTypesInput) (*ListRuleTypesOutput, error) {
	out := &ListRuleTypesOutput{RuleTypes: []RuleType{}}
	if in.RuleOwnerFilter != nil && *in.RuleOwnerFilter != "AWS" {
		return out, nil
	}
	for _, rt := range plan.RuleTypes() {
		t := RuleType{
			Id:                   RuleTypeId{Category: rt.ID.Category, Owner: str(rt.ID.Owner), Provider: rt.ID.Provider, Version: str(rt.ID.Version)},
			InputArtifactDetails: ArtifactDetails{MinimumCount: int32(rt.Spec.MinIn), MaximumCount: int32(rt.Spec.MaxIn)},
		}
		for _, p := range rt.Spec.Properties {
			queryable := false
			t.RuleConfigurationProperties = append(t.RuleConfigurationProperties, RuleConfigurationProperty{
				Name: p.Name, Required: p.Required, Key: p.Key, Secret: false, Queryable: &queryable,
				Description: str(p.Description), Type: str("String"),
			})
		}
		out.RuleTypes = append(out.RuleTypes, t)
	}
	return out, nil
}

// listRuleExecutions lists rule executions newest first, for the whole pipeline or one
// execution (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ListRuleExecutions.html).
func (h *handlers) listRuleExecutions(ctx context.Context, in *ListRuleExecutionsInput) (*ListRuleExecutionsOutput, error) {
	all, snap, err := h.s.Executions(ctx, in.PipelineName)
	if err != nil {
		return nil, err
	}
	want := ""
	if f := in.Filter; f != nil {
		if f.PipelineExecutionId != nil {
			want = *f.PipelineExecutionId
		} else if f.LatestInPipelineExecution != nil {
			want = f.LatestInPipelineExecution.PipelineExecutionId
		}
	}
	var details []RuleExecutionDetail
	found := want == ""
	for _, e := range all {
		if want != "" && e.ID != want {
			continue
		}
		found = true
		for i := len(e.Rules) - 1; i >= 0; i-- {
			details = append(details, ruleDetail(snap, e, e.Rules[i]))
		}
	}
	if !found {
		return nil, stepline.Errorf(plan.CodeExecutionNotFound, "Pipeline execution with id '%s' does not exist in pipeline with name '%s'", want, in.PipelineName)
	}
	items, next, err := page(h.key, details, in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []RuleExecutionDetail{}
	}
	return &ListRuleExecutionsOutput{RuleExecutionDetails: items, NextToken: next}, nil
}

func ruleDetail(snap pipeline.Snapshot, e *plan.Execution, run *plan.RuleRun) RuleExecutionDetail {
	d := RuleExecutionDetail{
		PipelineExecutionId: str(e.ID), RuleExecutionId: str(run.ID), PipelineVersion: i32(e.PipelineVersion),
		StageName: str(run.Stage), RuleName: str(run.Rule), StartTime: tm(run.StartTime), LastUpdateTime: tm(run.Updated),
		UpdatedBy: str(run.Result.UpdatedBy), Status: str(run.Status),
	}
	if r := snap.Pipeline.FindRule(run.Stage, run.Type, run.Rule); r != nil {
		id := r.RuleTypeID
		d.Input = &RuleExecutionInput{
			RuleTypeId:            &RuleTypeId{Category: id.Category, Owner: str(id.Owner), Provider: id.Provider, Version: str(id.Version)},
			Configuration:         r.Configuration,
			ResolvedConfiguration: pipeline.ResolveConfiguration(snap.Pipeline, e, r.Configuration),
			RoleArn:               str(r.RoleARN), Region: str(r.Region),
		}
		for _, a := range r.InputArtifacts {
			d.Input.InputArtifacts = append(d.Input.InputArtifacts, ArtifactDetail{Name: str(a.Name)})
		}
	}
	res := run.Result
	d.Output = &RuleExecutionOutput{ExecutionResult: &RuleExecutionResult{
		ExternalExecutionId: str(res.ExternalExecutionID), ExternalExecutionSummary: str(res.Summary), ExternalExecutionUrl: str(res.ExternalURL),
	}}
	if res.ErrorCode != "" || res.ErrorMessage != "" {
		d.Output.ExecutionResult.ErrorDetails = &ErrorDetails{Code: str(res.ErrorCode), Message: str(res.ErrorMessage)}
	}
	return d
}
