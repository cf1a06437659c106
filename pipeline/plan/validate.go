package plan

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"stepline"
)

// Stage and action limits from the CodePipeline quotas page
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
const (
	MinStages             = 2
	MaxStages             = 50
	MaxActionsPerStage    = 50
	MaxActionsPerPipeline = 500
)

// Validate checks a declaration with CodePipeline's structural rules and returns the
// problem AWS would report, or nil. Like the service it reports one problem at a time,
// checking the pipeline as a whole first, then stages in order, then each stage's
// actions, then how artifacts flow between them. Model constraints (lengths, patterns,
// enums) are the API layer's ValidationException and are assumed checked.
func Validate(p *Pipeline) *stepline.Error { return ValidateWith(p, nil) }

// CustomTypes looks up an action type that is not AWS-owned (a custom action type
// created with CreateCustomActionType); nil knows none.
type CustomTypes func(ActionTypeID) (ProviderSpec, bool)

// ValidateWith is Validate knowing the account's custom action types.
func ValidateWith(p *Pipeline, custom CustomTypes) *stepline.Error {
	for _, check := range []func(*Pipeline) *stepline.Error{
		validateArtifactStores,
		validateV2Features,
		validateStageCount,
		validateVariables,
		validateStages,
		validateConditions,
		validateSourcePlacement,
		func(p *Pipeline) *stepline.Error { return validateActions(p, custom) },
		validateArtifactFlow,
		validateNamespaces,
		validateReferences,
		validateTriggers,
	} {
		if err := check(p); err != nil {
			return err
		}
	}
	return nil
}

// validateArtifactStores enforces artifactStore XOR artifactStores, and that a
// single-region store is not used with actions in other regions.
func validateArtifactStores(p *Pipeline) *stepline.Error {
	switch {
	case p.ArtifactStore != nil && len(p.ArtifactStores) > 0:
		return errorf(CodeInvalidStructure, "Pipeline cannot contain both 'pipeline.artifactStore' and 'pipeline.artifactStores'")
	case p.ArtifactStore == nil && len(p.ArtifactStores) == 0:
		return errorf(CodeInvalidStructure, "Pipeline must contain either 'pipeline.artifactStore' or 'pipeline.artifactStores'")
	}
	if p.ArtifactStore != nil {
		return nil
	}
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			if a.Region == "" {
				continue
			}
			if _, ok := p.ArtifactStores[a.Region]; !ok {
				return errorf(CodeInvalidStructure, "The following region is missing in 'pipeline.artifactStores': %s.", a.Region)
			}
		}
	}
	return nil
}

// validateV2Features rejects V2-only pipeline features on V1 pipelines (reference S17).
func validateV2Features(p *Pipeline) *stepline.Error {
	if p.Type() == PipelineTypeV2 {
		return nil
	}
	if len(p.Variables) > 0 {
		return errorf(CodeInvalidStructure, "Pipeline variable can only be used with V2 pipelines")
	}
	if len(p.Triggers) > 0 {
		return errorf(CodeInvalidStructure, "Triggers on tag can only be used with V2 pipelines")
	}
	if m := p.Mode(); m == ModeQueued || m == ModeParallel {
		return errorf(CodeInvalidStructure, "QUEUED or PARALLEL mode can only be used with V2 pipelines")
	}
	for _, s := range p.Stages {
		if s.BeforeEntry != nil || s.OnSuccess != nil || s.OnFailure != nil {
			return errorf(CodeInvalidStageDeclaration, "Stage level conditions can only be used with V2 pipelines.")
		}
	}
	return nil
}

// validateStageCount enforces 2..50 stages (reference S1, S2).
func validateStageCount(p *Pipeline) *stepline.Error {
	if len(p.Stages) < MinStages {
		return errorf(CodeInvalidStructure, "Pipeline has only %d stage(s). There should be a minimum of 2 stages in a pipeline", len(p.Stages))
	}
	if len(p.Stages) > MaxStages {
		return errorf(CodeInvalidStructure, "Pipeline has too many stages. There can only be up to 50 stages in a pipeline")
	}
	return nil
}

// validateVariables enforces unique pipeline variable names (reference S20).
func validateVariables(p *Pipeline) *stepline.Error {
	seen := map[string]bool{}
	for _, v := range p.Variables {
		if seen[v.Name] {
			return errorf(CodeInvalidStructure, "Variable names must be unique. The following variable name is already in use: %s", v.Name)
		}
		seen[v.Name] = true
	}
	return nil
}

// validateStages checks stage names, blockers and stage conditions (S6, S18, S19).
func validateStages(p *Pipeline) *stepline.Error {
	seen := map[string]bool{}
	for _, s := range p.Stages {
		if seen[s.Name] {
			return errorf(CodeInvalidStageDeclaration, "Stage name '%s' is used more than once", s.Name)
		}
		seen[s.Name] = true
		for _, b := range s.Blockers {
			// Blockers are "reserved for future use": AWS accepts none.
			return errorf(CodeInvalidBlockerDeclaration, "Blocker '%s' in stage '%s' is not supported", b.Name, s.Name)
		}
		if f := s.OnFailure; f != nil {
			if f.Result != "" && len(f.Conditions) > 0 {
				return errorf(CodeInvalidStageDeclaration,
					"The following stage cannot have a failure exit gate configured with both top level result and conditions: '%s'", s.Name)
			}
			if p.Mode() == ModeParallel && hasRollback(f) {
				return errorf(CodeInvalidStageDeclaration, "Failure conditions with rollback result type cannot be added to a PARALLEL pipeline.")
			}
		}
	}
	return nil
}

func hasRollback(f *FailureGate) bool {
	if f.Result == "ROLLBACK" {
		return true
	}
	for _, c := range f.Conditions {
		if c.Result == "ROLLBACK" {
			return true
		}
	}
	return false
}

// validateSourcePlacement enforces that the first stage holds only source actions,
// that no other stage holds one, and that something besides sources runs (S3-S5).
func validateSourcePlacement(p *Pipeline) *stepline.Error {
	for _, a := range p.Stages[0].Actions {
		if a.ActionTypeID.Category != CategorySource {
			return errorf(CodeInvalidStructure, "Pipeline should start with a stage that only contains source actions")
		}
	}
	nonSource := false
	for _, s := range p.Stages[1:] {
		for _, a := range s.Actions {
			if a.ActionTypeID.Category == CategorySource {
				return errorf(CodeInvalidStructure, "Source actions can only be included in the first stage of the pipeline")
			}
			nonSource = true
		}
	}
	if !nonSource {
		return errorf(CodeInvalidStructure, "Pipeline should contain at least 1 action whose category is not Source")
	}
	return nil
}

// validateActions checks each action against its provider: availability, V2-only
// providers, artifact counts and required configuration (S7, S10, S11, S12, S17).
func validateActions(p *Pipeline, custom CustomTypes) *stepline.Error {
	total := 0
	for _, s := range p.Stages {
		if len(s.Actions) == 0 {
			return errorf(CodeInvalidStageDeclaration, "Stage '%s' must contain at least one action", s.Name)
		}
		if len(s.Actions) > MaxActionsPerStage {
			return errorf(CodeInvalidStageDeclaration, "Stage '%s' has too many actions. There can only be up to %d actions in a stage", s.Name, MaxActionsPerStage)
		}
		names := map[string]bool{}
		for i := range s.Actions {
			a := &s.Actions[i]
			total++
			if names[a.Name] {
				return errorf(CodeInvalidActionDeclaration, "Action name '%s' is used more than once in stage '%s'", a.Name, s.Name)
			}
			names[a.Name] = true
			if err := validateAction(p, a, custom); err != nil {
				return err
			}
		}
	}
	if total > MaxActionsPerPipeline {
		return errorf(CodeInvalidStructure, "Pipeline has too many actions. There can only be up to %d actions in a pipeline", MaxActionsPerPipeline)
	}
	return nil
}

func validateAction(p *Pipeline, a *Action, custom CustomTypes) *stepline.Error {
	id := a.ActionTypeID
	spec, ok := LookupProvider(id)
	if !ok && custom != nil && id.Owner != "AWS" {
		spec, ok = custom(id)
	}
	if !ok {
		return errorf(CodeInvalidActionDeclaration,
			"ActionType (Category: '%s', Provider: '%s', Owner: '%s', Version: '%s') in action '%s' is not available in region",
			id.Category, id.Provider, id.Owner, id.Version, a.Name)
	}
	if spec.V2Only && p.Type() != PipelineTypeV2 {
		return errorf(CodeInvalidActionDeclaration, "%s Action can only be used with V2 pipelines.", id.Provider)
	}
	if len(a.Commands) > 0 && id.Provider != "Commands" {
		return errorf(CodeInvalidActionDeclaration,
			"The following action cannot contain a commands field: %s. To use the commands field, use a compute action.", a.Name)
	}
	if err := artifactCount(a.Name, "input", len(a.InputArtifacts), spec.MinIn, spec.MaxIn); err != nil {
		return err
	}
	if err := artifactCount(a.Name, "output", len(a.OutputArtifacts), spec.MinOut, spec.MaxOut); err != nil {
		return err
	}
	for _, key := range spec.Required {
		if _, ok := a.Configuration[key]; !ok {
			return missingConfig(a.Name, key)
		}
	}
	if id.Provider == "StepFunctions" {
		return validateStepFunctionsConfig(a)
	}
	if id.Category == CategoryDeploy && id.Provider == "S3" {
		return validateS3DeployConfig(a)
	}
	return nil
}

// cannedACLs are the values the S3 deploy action's CannedACL takes
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html).
var cannedACLs = []string{"private", "public-read", "public-read-write", "authenticated-read",
	"aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"}

// validateS3DeployConfig follows the S3 deploy action reference: Extract is true or
// false, ObjectKey is required when Extract is false, and CannedACL is one of S3's
// canned ACLs.
func validateS3DeployConfig(a *Action) *stepline.Error {
	switch strings.ToLower(a.Configuration["Extract"]) {
	case "true":
	case "false":
		if _, ok := a.Configuration["ObjectKey"]; !ok {
			return missingConfig(a.Name, "ObjectKey")
		}
	default:
		return errorf(CodeInvalidActionDeclaration,
			"Action configuration for action '%s' contains an invalid value '%s' for configuration 'Extract'. Valid values are true and false",
			a.Name, a.Configuration["Extract"])
	}
	if acl, ok := a.Configuration["CannedACL"]; ok && !slices.Contains(cannedACLs, acl) {
		return errorf(CodeInvalidActionDeclaration,
			"Action configuration for action '%s' contains an invalid value '%s' for configuration 'CannedACL'. Valid values are %s",
			a.Name, acl, strings.Join(cannedACLs, ", "))
	}
	return nil
}

// artifactCount is reference S10; the message is the one AWS gives for the minimum,
// mirrored for the maximum.
func artifactCount(action, kind string, n, lo, hi int) *stepline.Error {
	if n < lo {
		return errorf(CodeInvalidActionDeclaration, "Action %s declares %d %s artifacts which is less than the minimum count (%d)", action, n, kind, lo)
	}
	if n > hi {
		return errorf(CodeInvalidActionDeclaration, "Action %s declares %d %s artifacts which is greater than the maximum count (%d)", action, n, kind, hi)
	}
	return nil
}

func missingConfig(action, key string) *stepline.Error {
	return errorf(CodeInvalidActionDeclaration, "Action configuration for action '%s' is missing required configuration '%s'", action, key)
}

// validateStepFunctionsConfig follows the Step Functions invoke action reference
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html):
// InputType is Literal (default) or FilePath, and FilePath needs Input and an input
// artifact to read it from.
func validateStepFunctionsConfig(a *Action) *stepline.Error {
	switch t := a.Configuration["InputType"]; t {
	case "", "Literal":
	case "FilePath":
		if _, ok := a.Configuration["Input"]; !ok {
			return missingConfig(a.Name, "Input")
		}
		if len(a.InputArtifacts) == 0 {
			return errorf(CodeInvalidActionDeclaration, "Action %s declares 0 input artifacts which is less than the minimum count (1)", a.Name)
		}
	default:
		return errorf(CodeInvalidActionDeclaration,
			"Action configuration for action '%s' contains an invalid value '%s' for configuration 'InputType'. Valid values are Literal and FilePath", a.Name, t)
	}
	return nil
}

// validateArtifactFlow enforces unique output artifact names (S8) and that every input
// artifact is produced by an action that runs earlier: an earlier stage, or the same
// stage with a lower runOrder (S9).
func validateArtifactFlow(p *Pipeline) *stepline.Error {
	produced := map[string]bool{}
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			for _, o := range a.OutputArtifacts {
				if produced[o.Name] {
					return errorf(CodeInvalidStructure,
						"Output Artifact Bundle name must be unique within the pipeline. %s has been used more than once.", o.Name)
				}
				produced[o.Name] = true
			}
		}
	}
	available := map[string]bool{}
	for _, s := range p.Stages {
		for _, order := range s.Groups() {
			for _, a := range s.Actions {
				if a.Order() != order {
					continue
				}
				for _, in := range a.InputArtifacts {
					if !available[in.Name] {
						return errorf(CodeInvalidStructure,
							"Input Artifact Bundle %s in action %s is not declared as an output artifact in any of the preceding actions", in.Name, a.Name)
					}
				}
			}
			for _, a := range s.Actions {
				if a.Order() == order {
					for _, o := range a.OutputArtifacts {
						available[o.Name] = true
					}
				}
			}
		}
	}
	return nil
}

// validateNamespaces enforces unique action namespaces that do not collide with
// artifact names or the reserved namespaces (S23).
func validateNamespaces(p *Pipeline) *stepline.Error {
	artifacts := map[string]bool{}
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			for _, o := range a.OutputArtifacts {
				artifacts[o.Name] = true
			}
		}
	}
	seen := map[string]bool{}
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			ns := a.Namespace
			if ns == "" {
				continue
			}
			switch {
			case strings.EqualFold(ns, "codepipeline") || strings.EqualFold(ns, "variables"):
				return errorf(CodeInvalidActionDeclaration, "Namespace '%s' in action '%s' is reserved", ns, a.Name)
			case seen[ns]:
				return errorf(CodeInvalidStructure, "Namespace '%s' is used more than once", ns)
			case artifacts[ns]:
				return errorf(CodeInvalidStructure, "Namespace '%s' in action '%s' is already used as an artifact name", ns, a.Name)
			}
			seen[ns] = true
		}
	}
	return nil
}

// variableRef matches a #{namespace.variable} reference in a configuration value.
var variableRef = regexp.MustCompile(`#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_.]+)\}`)

// validateReferences enforces the rest of S23: a #{namespace.variable} reference in an
// action's configuration names codepipeline, variables (V2), or the namespace of an
// action that runs before it, in an earlier stage or earlier in its own stage
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
func validateReferences(p *Pipeline) *stepline.Error {
	available := map[string]bool{"codepipeline": true}
	if p.Type() == PipelineTypeV2 {
		available["variables"] = true
	}
	declared := map[string]bool{}
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			if a.Namespace != "" {
				declared[a.Namespace] = true
			}
		}
	}
	for _, s := range p.Stages {
		for _, order := range s.Groups() {
			for _, a := range s.Actions {
				if a.Order() != order {
					continue
				}
				for _, k := range sortedConfigKeys(a.Configuration) {
					for _, m := range variableRef.FindAllStringSubmatch(a.Configuration[k], -1) {
						if available[m[1]] {
							continue
						}
						if declared[m[1]] {
							return errorf(CodeInvalidActionDeclaration,
								"Action '%s' refers to the namespace '%s' in configuration '%s', but the action declaring it does not run before it", a.Name, m[1], k)
						}
						return errorf(CodeInvalidActionDeclaration,
							"Action '%s' refers to the namespace '%s' in configuration '%s', which no action in the pipeline declares", a.Name, m[1], k)
					}
				}
			}
			for _, a := range s.Actions {
				if a.Order() == order && a.Namespace != "" {
					available[a.Namespace] = true
				}
			}
		}
	}
	return nil
}

func sortedConfigKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ValidateRegions checks what depends on the region the pipeline lives in (S15, S16):
// a single artifactStore serves only actions in the pipeline's region, artifactStores
// must cover the pipeline's region too, and source actions and actions owned by Custom
// or ThirdParty cannot run in another region
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html).
func ValidateRegions(p *Pipeline, region string) *stepline.Error {
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			if a.Region == "" || a.Region == region {
				continue
			}
			if p.ArtifactStore != nil {
				return errorf(CodeInvalidStructure,
					"Your pipeline contains actions in more than one region. Use 'pipeline.artifactStores' instead of 'pipeline.artifactStore'.")
			}
			id := a.ActionTypeID
			if id.Category == CategorySource || id.Owner == "Custom" || id.Owner == "ThirdParty" {
				return errorf(CodeInvalidActionDeclaration,
					"Action '%s' cannot run in region '%s': source actions and actions owned by Custom or ThirdParty must run in the pipeline's region '%s'",
					a.Name, a.Region, region)
			}
		}
	}
	if len(p.ArtifactStores) > 0 {
		if _, ok := p.ArtifactStores[region]; !ok {
			return errorf(CodeInvalidStructure, "The following region is missing in 'pipeline.artifactStores': %s.", region)
		}
	}
	return nil
}

// validateTriggers enforces S21: a trigger names a CodeStarSourceConnection source
// action, at most one trigger per source action.
func validateTriggers(p *Pipeline) *stepline.Error {
	seen := map[string]bool{}
	for _, t := range p.Triggers {
		name := t.GitConfiguration.SourceActionName
		var found *Action
		for i := range p.Stages[0].Actions {
			if p.Stages[0].Actions[i].Name == name {
				found = &p.Stages[0].Actions[i]
			}
		}
		if found == nil || found.ActionTypeID.Provider != "CodeStarSourceConnection" {
			return errorf(CodeInvalidStructure, "Triggers for connections must reference a CodeStarSourceConnection action.")
		}
		if seen[name] {
			return errorf(CodeInvalidStructure, "%s", fmt.Sprintf("Only one trigger can be configured for source action '%s'", name))
		}
		seen[name] = true
	}
	return nil
}
