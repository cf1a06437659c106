package plan

import (
	"strings"

	"stepline"
)

// validateConditions checks the stage conditions of a V2 pipeline (V1 pipelines have
// none: validateV2Features). Each gate holds one condition whose result the gate
// allows: beforeEntry FAIL or SKIP, onSuccess ROLLBACK or FAIL, onFailure conditions
// ROLLBACK or FAIL; onFailure's own result is ROLLBACK, RETRY or FAIL, and only RETRY
// takes a retryConfiguration
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html).
// An omitted condition result means FAIL.
func validateConditions(p *Pipeline) *stepline.Error {
	for _, s := range p.Stages {
		if g := s.BeforeEntry; g != nil {
			if err := validateGate(s.Name, "entry", g.Conditions, ResultFail, ResultSkip); err != nil {
				return err
			}
		}
		if g := s.OnSuccess; g != nil {
			if err := validateGate(s.Name, "success", g.Conditions, ResultRollback, ResultFail); err != nil {
				return err
			}
		}
		g := s.OnFailure
		if g == nil {
			continue
		}
		switch g.Result {
		case "", ResultRollback, ResultRetry, ResultFail:
		default:
			return errorf(CodeInvalidStageDeclaration,
				"The failure condition of stage '%s' has an invalid result '%s'. Valid results are ROLLBACK, RETRY and FAIL", s.Name, g.Result)
		}
		if g.RetryConfiguration != nil && g.Result != ResultRetry {
			return errorf(CodeInvalidStageDeclaration, "Stage '%s' can only have a retry configuration with failure result RETRY", s.Name)
		}
		if g.Result == "" && len(g.Conditions) == 0 {
			return errorf(CodeInvalidStageDeclaration, "Stage '%s' has a failure condition with neither a result nor conditions", s.Name)
		}
		if len(g.Conditions) > 0 {
			if err := validateGate(s.Name, "failure", g.Conditions, ResultRollback, ResultFail); err != nil {
				return err
			}
		}
	}
	return nil
}

func validateGate(stage, kind string, conds []Condition, allowed ...string) *stepline.Error {
	if len(conds) != 1 {
		return errorf(CodeInvalidStageDeclaration, "Stage '%s' must have exactly one %s condition, not %d", stage, kind, len(conds))
	}
	c := conds[0]
	result := c.Result
	if result == "" {
		result = ResultFail
	}
	ok := false
	for _, a := range allowed {
		ok = ok || a == result
	}
	if !ok {
		return errorf(CodeInvalidStageDeclaration, "The %s condition of stage '%s' has an invalid result '%s'. Valid results are %s",
			kind, stage, c.Result, strings.Join(allowed, " and "))
	}
	if len(c.Rules) == 0 || len(c.Rules) > 5 {
		return errorf(CodeInvalidStageDeclaration, "The %s condition of stage '%s' must have 1 to 5 rules, not %d", kind, stage, len(c.Rules))
	}
	names := map[string]bool{}
	for i := range c.Rules {
		r := &c.Rules[i]
		if names[r.Name] {
			return errorf(CodeInvalidStageDeclaration, "Rule name '%s' is used more than once in the %s condition of stage '%s'", r.Name, kind, stage)
		}
		names[r.Name] = true
		spec, err := validateRule(r)
		if err != nil {
			return err
		}
		if result == ResultSkip && !spec.Skippable {
			return errorf(CodeInvalidStageDeclaration,
				"The entry condition of stage '%s' has result SKIP, which only LambdaInvoke and VariableCheck rules support; rule '%s' is %s",
				stage, r.Name, r.RuleTypeID.Provider)
		}
	}
	return nil
}

func validateRule(r *Rule) (RuleSpec, *stepline.Error) {
	id := r.RuleTypeID
	spec, ok := LookupRule(id)
	if !ok {
		return spec, errorf(CodeInvalidStageDeclaration,
			"RuleType (Category: '%s', Provider: '%s', Owner: '%s', Version: '%s') in rule '%s' is not available in region",
			id.Category, id.Provider, id.Owner, id.Version, r.Name)
	}
	if len(r.Commands) > 0 && id.Provider != "Commands" {
		return spec, errorf(CodeInvalidStageDeclaration,
			"The following rule cannot contain a commands field: %s. To use the commands field, use a Commands rule.", r.Name)
	}
	if id.Provider == "Commands" && len(r.Commands) == 0 {
		return spec, errorf(CodeInvalidStageDeclaration, "Rule '%s' of type Commands must contain commands", r.Name)
	}
	if n := len(r.InputArtifacts); n < spec.MinIn || n > spec.MaxIn {
		return spec, errorf(CodeInvalidStageDeclaration, "Rule %s declares %d input artifacts, outside the allowed count (%d to %d)", r.Name, n, spec.MinIn, spec.MaxIn)
	}
	for _, prop := range spec.Properties {
		if _, ok := r.Configuration[prop.Name]; prop.Required && !ok {
			return spec, errorf(CodeInvalidStageDeclaration, "Rule configuration for rule '%s' is missing required configuration '%s'", r.Name, prop.Name)
		}
	}
	switch id.Provider {
	case "VariableCheck":
		op := r.Configuration["Operator"]
		if !validOperator(op) {
			return spec, errorf(CodeInvalidStageDeclaration,
				"Rule configuration for rule '%s' contains an invalid value '%s' for configuration 'Operator'. Valid values are EQ, NE, CONTAINS and MATCHES", r.Name, op)
		}
	case "DeploymentWindow":
		if _, err := ParseCron(r.Configuration["Cron"]); err != nil {
			return spec, errorf(CodeInvalidStageDeclaration,
				"Rule configuration for rule '%s' contains an invalid value '%s' for configuration 'Cron': %s", r.Name, r.Configuration["Cron"], err.Error())
		}
	}
	return spec, nil
}

func validOperator(op string) bool {
	for _, o := range variableOperators {
		if o == op {
			return true
		}
	}
	return false
}
