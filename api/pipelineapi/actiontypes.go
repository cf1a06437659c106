package pipelineapi

import (
	"context"

	"stepline/pipeline/plan"
)

// listActionTypes lists the action types a declaration may use: the caller's custom
// ones, then the AWS-owned ones. There are no third-party types.
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
