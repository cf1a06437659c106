package pipelineapi

import (
	"context"

	"stepline/pipeline"
	"stepline/pipeline/plan"
)

// listActionTypes lists the action types a declaration may use: the caller's custom
// ones, the ThirdParty ones, then the AWS-owned ones.
func (h *handlers) listActionTypes(ctx context.Context, in *ListActionTypesInput) (*ListActionTypesOutput, error) {
	out := &ListActionTypesOutput{ActionTypes: []ActionType{}}
	owner := ""
	if in.ActionOwnerFilter != nil {
		owner = *in.ActionOwnerFilter
	}
	if owner == "" || owner == "Custom" {
		custom, err := h.s.CustomActionTypes(ctx)
		if err != nil {
			return nil, err
		}
		for _, t := range custom {
			out.ActionTypes = append(out.ActionTypes, customWire(t))
		}
	}
	if owner == "" || owner == "ThirdParty" {
		third, err := h.s.ThirdPartyActionTypes(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range third {
			out.ActionTypes = append(out.ActionTypes, thirdPartyWire(d))
		}
	}
	if owner != "" && owner != "AWS" {
		return out, nil
	}
	all := plan.Providers()
	items, next, err := page(h.key, all, in.NextToken, nil, len(all))
	if err != nil {
		return nil, err
	}
	for _, e := range items {
		t := ActionType{
			Id:                    ActionTypeId{Category: e.ID.Category, Owner: e.ID.Owner, Provider: e.ID.Provider, Version: e.ID.Version},
			InputArtifactDetails:  ArtifactDetails{MinimumCount: int32(e.Spec.MinIn), MaximumCount: int32(e.Spec.MaxIn)},
			OutputArtifactDetails: ArtifactDetails{MinimumCount: int32(e.Spec.MinOut), MaximumCount: int32(e.Spec.MaxOut)},
		}
		for _, key := range e.Spec.Required {
			t.ActionConfigurationProperties = append(t.ActionConfigurationProperties, ActionConfigurationProperty{Name: key, Required: true, Key: true})
		}
		out.ActionTypes = append(out.ActionTypes, t)
	}
	out.NextToken = next
	return out, nil
}

// thirdPartyWire is a ThirdParty declaration in ListActionTypes' older shape.
func thirdPartyWire(d pipeline.ActionTypeDeclaration) ActionType {
	t := ActionType{
		Id:                    ActionTypeId{Category: d.ID.Category, Owner: d.ID.Owner, Provider: d.ID.Provider, Version: d.ID.Version},
		InputArtifactDetails:  ArtifactDetails{MinimumCount: int32(d.MinIn), MaximumCount: int32(d.MaxIn)},
		OutputArtifactDetails: ArtifactDetails{MinimumCount: int32(d.MinOut), MaximumCount: int32(d.MaxOut)},
	}
	if u := d.URLs; u != (pipeline.ActionTypeURLs{}) {
		t.Settings = &ActionTypeSettings{ThirdPartyConfigurationUrl: str(u.ConfigurationURL), EntityUrlTemplate: str(u.EntityURLTemplate),
			ExecutionUrlTemplate: str(u.ExecutionURLTemplate), RevisionUrlTemplate: str(u.RevisionURLTemplate)}
	}
	for _, p := range d.Properties {
		q := p.Queryable
		t.ActionConfigurationProperties = append(t.ActionConfigurationProperties, ActionConfigurationProperty{
			Name: p.Name, Required: !p.Optional, Key: p.Key, Secret: p.NoEcho, Queryable: &q, Description: str(p.Description)})
	}
	return t
}
