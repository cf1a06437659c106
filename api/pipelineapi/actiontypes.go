package pipelineapi

import (
	"context"

	"stepline/pipeline/plan"
)

// listActionTypes lists the AWS-owned action types a declaration may use. There are
// no custom or third-party types yet, so other owner filters list nothing.
func (h *handlers) listActionTypes(_ context.Context, in *ListActionTypesInput) (*ListActionTypesOutput, error) {
	out := &ListActionTypesOutput{ActionTypes: []ActionType{}}
	if in.ActionOwnerFilter != nil && *in.ActionOwnerFilter != "AWS" {
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
