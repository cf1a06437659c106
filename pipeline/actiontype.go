package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"stepline"
	"stepline/pipeline/plan"
	"stepline/store"
)

const kindActionType = "pipelineactiontype"

// CustomActionType is an action type created with CreateCustomActionType: its actions
// are run by job workers that poll for them (PollForJobs).
type CustomActionType struct {
	ID                      plan.ActionTypeID
	Settings                map[string]string
	ConfigurationProperties []ConfigurationProperty
	MinIn, MaxIn            int
	MinOut, MaxOut          int
	Deleted                 bool
}

// ConfigurationProperty is one configuration key of a custom action type.
type ConfigurationProperty struct {
	Name        string
	Required    bool
	Key         bool
	Secret      bool
	Queryable   bool
	Description string
	Type        string
}

// MaxCustomActionTypes is CodePipeline's quota of custom action types per region.
const MaxCustomActionTypes = 50

func actionTypeKey(id stepline.Identity, t plan.ActionTypeID) string {
	return id.Account + "/" + id.Region + "/" + t.Category + "/" + t.Provider + "/" + t.Version
}

// CreateCustomActionType registers a custom action type. A version once used, even
// deleted, cannot be created again, as on AWS.
func (s *Service) CreateCustomActionType(ctx context.Context, t CustomActionType) (CustomActionType, error) {
	t.ID.Owner = "Custom"
	if t.MaxIn < t.MinIn {
		return t, stepline.Errorf(plan.CodeValidation, "Maximum Number of Artifacts (%d) has to be greater than or equal to minimum (%d).", t.MaxIn, t.MinIn)
	}
	if t.MaxOut < t.MinOut {
		return t, stepline.Errorf(plan.CodeValidation, "Maximum Number of Artifacts (%d) has to be greater than or equal to minimum (%d).", t.MaxOut, t.MinOut)
	}
	id := s.identity(ctx)
	existing, err := s.customTypes(ctx, id)
	if err != nil {
		return t, err
	}
	if len(existing) >= MaxCustomActionTypes {
		return t, stepline.Errorf("LimitExceededException", "The limit of %d custom action types was reached", MaxCustomActionTypes)
	}
	data, _ := json.Marshal(t)
	_, err = s.store.RecordPut(ctx, store.Record{Kind: kindActionType, Key: actionTypeKey(id, t.ID), Parent: id.Account + "/" + id.Region, Sort: t.ID.Category + "/" + t.ID.Provider + "/" + t.ID.Version, Data: data})
	if errors.Is(err, store.ErrExists) {
		return t, stepline.Errorf("ActionTypeAlreadyExistsException", "Action type (Category: '%s', Provider: '%s', Owner: 'Custom', Version: '%s') already exists", t.ID.Category, t.ID.Provider, t.ID.Version)
	}
	if err != nil {
		return t, fmt.Errorf("create action type: %w", err)
	}
	return t, nil
}

// DeleteCustomActionType marks a custom action type deleted; pipelines can no longer
// use it and its version cannot be created again.
func (s *Service) DeleteCustomActionType(ctx context.Context, t plan.ActionTypeID) error {
	t.Owner = "Custom"
	rec, err := s.store.RecordGet(ctx, kindActionType, actionTypeKey(s.identity(ctx), t))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load action type: %w", err)
	}
	var ct CustomActionType
	if err := json.Unmarshal(rec.Data, &ct); err != nil {
		return fmt.Errorf("decode action type: %w", err)
	}
	ct.Deleted = true
	rec.Data, _ = json.Marshal(ct)
	if _, err := s.store.RecordPut(ctx, rec); err != nil {
		return stepline.Errorf("ConcurrentModificationException", "The action type was modified concurrently")
	}
	return nil
}

// CustomActionTypes lists the caller's live custom action types.
func (s *Service) CustomActionTypes(ctx context.Context) ([]CustomActionType, error) {
	return s.customTypes(ctx, s.identity(ctx))
}

func (s *Service) customTypes(ctx context.Context, id stepline.Identity) ([]CustomActionType, error) {
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindActionType, Parent: id.Account + "/" + id.Region})
	if err != nil {
		return nil, fmt.Errorf("list action types: %w", err)
	}
	var out []CustomActionType
	for _, rec := range recs {
		var ct CustomActionType
		if json.Unmarshal(rec.Data, &ct) == nil && !ct.Deleted {
			out = append(out, ct)
		}
	}
	return out, nil
}

// customLookup returns the validation view of the caller's custom and ThirdParty
// action types.
func (s *Service) customLookup(ctx context.Context) (plan.CustomTypes, error) {
	types, err := s.customTypes(ctx, s.identity(ctx))
	if err != nil {
		return nil, err
	}
	third, err := s.thirdPartyTypes(ctx, s.identity(ctx))
	if err != nil {
		return nil, err
	}
	return func(id plan.ActionTypeID) (plan.ProviderSpec, bool) {
		for _, d := range third {
			if d.ID == id {
				return d.spec(), true
			}
		}
		for _, t := range types {
			if t.ID == id {
				spec := plan.ProviderSpec{MinIn: t.MinIn, MaxIn: t.MaxIn, MinOut: t.MinOut, MaxOut: t.MaxOut}
				for _, p := range t.ConfigurationProperties {
					if p.Required {
						spec.Required = append(spec.Required, p.Name)
					}
				}
				return spec, true
			}
		}
		return plan.ProviderSpec{}, false
	}, nil
}
