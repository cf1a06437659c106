package pipelineapi

import (
	"context"

	"stepline/pipeline"
	"stepline/pipeline/plan"
)

// The action type integration model addresses types by owner AWS or ThirdParty only
// (the model's pattern for ActionTypeIdentifier.owner); custom action types keep the
// older CreateCustomActionType/ListActionTypes shapes.

func (h *handlers) getActionType(ctx context.Context, in *GetActionTypeInput) (*GetActionTypeOutput, error) {
	d, err := h.s.GetActionType(ctx, plan.ActionTypeID{Category: in.Category, Owner: in.Owner, Provider: in.Provider, Version: in.Version})
	if err != nil {
		return nil, err
	}
	return &GetActionTypeOutput{ActionType: declarationWire(d)}, nil
}

func (h *handlers) updateActionType(ctx context.Context, in *UpdateActionTypeInput) (*empty, error) {
	return nil, h.s.UpdateActionType(ctx, declarationFromWire(in.ActionType))
}

func declarationWire(d pipeline.ActionTypeDeclaration) *ActionTypeDeclaration {
	e := d.Executor
	out := &ActionTypeDeclaration{
		Description:           str(d.Description),
		Id:                    ActionTypeIdentifier{Category: d.ID.Category, Owner: d.ID.Owner, Provider: d.ID.Provider, Version: d.ID.Version},
		Executor:              ActionTypeExecutor{Type: e.Type, PolicyStatementsTemplate: str(e.PolicyStatementsTemplate)},
		InputArtifactDetails:  ActionTypeArtifactDetails{MinimumCount: int32(d.MinIn), MaximumCount: int32(d.MaxIn)},
		OutputArtifactDetails: ActionTypeArtifactDetails{MinimumCount: int32(d.MinOut), MaximumCount: int32(d.MaxOut)},
	}
	if e.JobTimeout > 0 {
		out.Executor.JobTimeout = i32(e.JobTimeout)
	}
	if e.LambdaFunctionARN != "" {
		out.Executor.Configuration.LambdaExecutorConfiguration = &LambdaExecutorConfiguration{LambdaFunctionArn: e.LambdaFunctionARN}
	}
	if len(e.PollingAccounts) > 0 || len(e.PollingServicePrincipals) > 0 {
		out.Executor.Configuration.JobWorkerExecutorConfiguration = &JobWorkerExecutorConfiguration{
			PollingAccounts: e.PollingAccounts, PollingServicePrincipals: e.PollingServicePrincipals}
	}
	if len(d.AllowedAccounts) > 0 {
		out.Permissions = &ActionTypePermissions{AllowedAccounts: d.AllowedAccounts}
	}
	for _, p := range d.Properties {
		q := p.Queryable
		out.Properties = append(out.Properties, ActionTypeProperty{Name: p.Name, Optional: p.Optional, Key: p.Key, NoEcho: p.NoEcho,
			Queryable: &q, Description: str(p.Description)})
	}
	u := d.URLs
	if u != (pipeline.ActionTypeURLs{}) {
		out.Urls = &ActionTypeUrls{ConfigurationUrl: str(u.ConfigurationURL), EntityUrlTemplate: str(u.EntityURLTemplate),
			ExecutionUrlTemplate: str(u.ExecutionURLTemplate), RevisionUrlTemplate: str(u.RevisionURLTemplate)}
	}
	return out
}

func declarationFromWire(w ActionTypeDeclaration) pipeline.ActionTypeDeclaration {
	d := pipeline.ActionTypeDeclaration{
		ID:          plan.ActionTypeID{Category: w.Id.Category, Owner: w.Id.Owner, Provider: w.Id.Provider, Version: w.Id.Version},
		Description: deref(w.Description),
		Executor:    pipeline.ActionTypeExecutor{Type: w.Executor.Type, PolicyStatementsTemplate: deref(w.Executor.PolicyStatementsTemplate)},
		MinIn:       int(w.InputArtifactDetails.MinimumCount), MaxIn: int(w.InputArtifactDetails.MaximumCount),
		MinOut: int(w.OutputArtifactDetails.MinimumCount), MaxOut: int(w.OutputArtifactDetails.MaximumCount),
	}
	if w.Executor.JobTimeout != nil {
		d.Executor.JobTimeout = int(*w.Executor.JobTimeout)
	}
	if c := w.Executor.Configuration.LambdaExecutorConfiguration; c != nil {
		d.Executor.LambdaFunctionARN = c.LambdaFunctionArn
	}
	if c := w.Executor.Configuration.JobWorkerExecutorConfiguration; c != nil {
		d.Executor.PollingAccounts, d.Executor.PollingServicePrincipals = c.PollingAccounts, c.PollingServicePrincipals
	}
	if w.Permissions != nil {
		d.AllowedAccounts = w.Permissions.AllowedAccounts
	}
	for _, p := range w.Properties {
		d.Properties = append(d.Properties, pipeline.ActionTypeProperty{Name: p.Name, Optional: p.Optional, Key: p.Key, NoEcho: p.NoEcho,
			Queryable: p.Queryable != nil && *p.Queryable, Description: deref(p.Description)})
	}
	if u := w.Urls; u != nil {
		d.URLs = pipeline.ActionTypeURLs{ConfigurationURL: deref(u.ConfigurationUrl), EntityURLTemplate: deref(u.EntityUrlTemplate),
			ExecutionURLTemplate: deref(u.ExecutionUrlTemplate), RevisionURLTemplate: deref(u.RevisionUrlTemplate)}
	}
	return d
}
