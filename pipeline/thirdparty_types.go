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

const kindThirdPartyType = "pipelinethirdpartytype"

// Action type owners.
const (
	OwnerAWS        = "AWS"
	OwnerCustom     = "Custom"
	OwnerThirdParty = "ThirdParty"
)

// ActionTypeDeclaration is an action type in CodePipeline's action type integration
// model, the shape of GetActionType and UpdateActionType
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionTypeDeclaration.html).
type ActionTypeDeclaration struct {
	ID              plan.ActionTypeID
	Description     string
	Executor        ActionTypeExecutor
	MinIn, MaxIn    int
	MinOut, MaxOut  int
	AllowedAccounts []string
	Properties      []ActionTypeProperty
	URLs            ActionTypeURLs
}

// ActionTypeExecutor says who runs an action type's jobs: a job worker polling for
// them, or a Lambda function. Here every third-party job waits for
// PollForThirdPartyJobs, whatever the executor says.
type ActionTypeExecutor struct {
	Type                     string // JobWorker or Lambda
	PollingAccounts          []string
	PollingServicePrincipals []string
	LambdaFunctionARN        string
	PolicyStatementsTemplate string
	JobTimeout               int // seconds, 0: the default
}

// ActionTypeProperty is one configuration property of an action type declaration.
type ActionTypeProperty struct {
	Name        string
	Optional    bool
	Key         bool
	NoEcho      bool
	Queryable   bool
	Description string
}

// ActionTypeURLs are the links the console shows for an action type.
type ActionTypeURLs struct {
	ConfigurationURL     string
	EntityURLTemplate    string
	ExecutionURLTemplate string
	RevisionURLTemplate  string
}

// spec is the validation view of a declaration.
func (d ActionTypeDeclaration) spec() plan.ProviderSpec {
	s := plan.ProviderSpec{MinIn: d.MinIn, MaxIn: d.MaxIn, MinOut: d.MinOut, MaxOut: d.MaxOut}
	for _, p := range d.Properties {
		if !p.Optional {
			s.Required = append(s.Required, p.Name)
		}
	}
	return s
}

// builtinThirdParty lists the ThirdParty action types every account can declare: the
// GitHub (version 1) source action, the one third-party provider AWS still documents
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/appendix-github-oauth.html).
// Its jobs are not run in process: a job worker fetches the repository and answers
// through the third-party job API.
func builtinThirdParty() []ActionTypeDeclaration {
	return []ActionTypeDeclaration{{
		ID:          plan.ActionTypeID{Category: plan.CategorySource, Owner: OwnerThirdParty, Provider: "GitHub", Version: "1"},
		Description: "GitHub (version 1) source action, run by a third-party job worker",
		Executor:    ActionTypeExecutor{Type: "JobWorker"},
		MinOut:      1, MaxOut: 1,
		Properties: []ActionTypeProperty{
			{Name: "Owner", Key: true},
			{Name: "Repo", Key: true},
			{Name: "Branch", Key: true},
			{Name: "OAuthToken", NoEcho: true},
			{Name: "PollForSourceChanges", Optional: true},
		},
		URLs: ActionTypeURLs{
			EntityURLTemplate:    "https://github.com/{Config:Owner}/{Config:Repo}/tree/{Config:Branch}",
			ExecutionURLTemplate: "https://github.com/{Config:Owner}/{Config:Repo}/commit/{ExternalExecutionId}",
			RevisionURLTemplate:  "https://github.com/{Config:Owner}/{Config:Repo}/commit/{RevisionId}",
		},
	}}
}

func thirdPartyTypeKey(id stepline.Identity, t plan.ActionTypeID) string {
	return id.Account + "/" + id.Region + "/" + OwnerThirdParty + "/" + t.Category + "/" + t.Provider + "/" + t.Version
}

// thirdPartyTypes returns the caller's ThirdParty action types: the built-in ones, as
// updated by UpdateActionType in this account and region.
func (s *Service) thirdPartyTypes(ctx context.Context, id stepline.Identity) ([]ActionTypeDeclaration, error) {
	out := builtinThirdParty()
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindThirdPartyType, Parent: id.Account + "/" + id.Region})
	if err != nil {
		return nil, fmt.Errorf("list third-party action types: %w", err)
	}
	for _, rec := range recs {
		var d ActionTypeDeclaration
		if json.Unmarshal(rec.Data, &d) != nil {
			continue
		}
		for i := range out {
			if out[i].ID == d.ID {
				out[i] = d
			}
		}
	}
	return out, nil
}

func actionTypeNotFound(t plan.ActionTypeID) *stepline.Error {
	return stepline.Errorf("ActionTypeNotFoundException", "ActionType (Category: '%s', Provider: '%s', Owner: '%s', Version: '%s') does not exist",
		t.Category, t.Provider, t.Owner, t.Version)
}

// GetActionType returns the declaration of an AWS-owned or ThirdParty action type
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetActionType.html).
// AWS-owned types are described from the validation table: their required
// configuration keys, artifact bounds, and a job worker executor.
func (s *Service) GetActionType(ctx context.Context, t plan.ActionTypeID) (ActionTypeDeclaration, error) {
	switch t.Owner {
	case OwnerAWS:
		spec, ok := plan.LookupProvider(t)
		if !ok {
			return ActionTypeDeclaration{}, actionTypeNotFound(t)
		}
		d := ActionTypeDeclaration{ID: t, Executor: ActionTypeExecutor{Type: "JobWorker"},
			MinIn: spec.MinIn, MaxIn: spec.MaxIn, MinOut: spec.MinOut, MaxOut: spec.MaxOut}
		for _, key := range spec.Required {
			d.Properties = append(d.Properties, ActionTypeProperty{Name: key, Key: true})
		}
		return d, nil
	case OwnerThirdParty:
		types, err := s.thirdPartyTypes(ctx, s.identity(ctx))
		if err != nil {
			return ActionTypeDeclaration{}, err
		}
		for _, d := range types {
			if d.ID == t {
				return d, nil
			}
		}
	}
	return ActionTypeDeclaration{}, actionTypeNotFound(t)
}

// UpdateActionType replaces the declaration of a ThirdParty action type in the
// caller's account and region
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_UpdateActionType.html).
// AWS-owned types cannot be changed (RequestFailedException); a type that does not
// exist is ActionTypeNotFoundException, since registering a new third-party type is
// not an API call on AWS either.
func (s *Service) UpdateActionType(ctx context.Context, d ActionTypeDeclaration) error {
	if d.ID.Owner == OwnerAWS {
		if _, ok := plan.LookupProvider(d.ID); !ok {
			return actionTypeNotFound(d.ID)
		}
		return stepline.Errorf("RequestFailedException", "ActionType (Category: '%s', Provider: '%s', Owner: 'AWS', Version: '%s') is owned by AWS and cannot be updated",
			d.ID.Category, d.ID.Provider, d.ID.Version)
	}
	if _, err := s.GetActionType(ctx, d.ID); err != nil {
		return err
	}
	if err := checkDeclaration(d); err != nil {
		return err
	}
	id := s.identity(ctx)
	key := thirdPartyTypeKey(id, d.ID)
	data, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("encode action type: %w", err)
	}
	for {
		rec, err := s.store.RecordGet(ctx, kindThirdPartyType, key)
		if errors.Is(err, store.ErrNotFound) {
			rec = store.Record{Kind: kindThirdPartyType, Key: key, Parent: id.Account + "/" + id.Region,
				Sort: d.ID.Category + "/" + d.ID.Provider + "/" + d.ID.Version}
		} else if err != nil {
			return fmt.Errorf("load action type: %w", err)
		}
		rec.Data = data
		_, err = s.store.RecordPut(ctx, rec)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrExists) {
			continue
		}
		if err != nil {
			return fmt.Errorf("update action type: %w", err)
		}
		return nil
	}
}

// checkDeclaration applies the rules the model cannot express: artifact bounds in
// order (with CreateCustomActionType's message), and at most one queryable property,
// which must be required and not secret, as for custom action types
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionTypeProperty.html).
func checkDeclaration(d ActionTypeDeclaration) error {
	for _, b := range [][2]int{{d.MinIn, d.MaxIn}, {d.MinOut, d.MaxOut}} {
		if b[1] < b[0] {
			return stepline.Errorf(plan.CodeValidation, "Maximum Number of Artifacts (%d) has to be greater than or equal to minimum (%d).", b[1], b[0])
		}
	}
	queryable := 0
	names := map[string]bool{}
	for _, p := range d.Properties {
		if names[p.Name] {
			return stepline.Errorf(plan.CodeValidation, "Property name '%s' is used more than once", p.Name)
		}
		names[p.Name] = true
		if !p.Queryable {
			continue
		}
		queryable++
		if p.Optional || p.NoEcho {
			return stepline.Errorf(plan.CodeValidation, "Queryable property '%s' must be required and must not be secret", p.Name)
		}
	}
	if queryable > 1 {
		return stepline.Errorf(plan.CodeValidation, "An action type can have at most one queryable property")
	}
	if d.Executor.Type == "Lambda" && d.Executor.LambdaFunctionARN == "" {
		return stepline.Errorf(plan.CodeValidation, "A Lambda executor needs lambdaExecutorConfiguration.lambdaFunctionArn")
	}
	return nil
}

// ThirdPartyActionTypes lists the caller's ThirdParty action types, for
// ListActionTypes.
func (s *Service) ThirdPartyActionTypes(ctx context.Context) ([]ActionTypeDeclaration, error) {
	return s.thirdPartyTypes(ctx, s.identity(ctx))
}
