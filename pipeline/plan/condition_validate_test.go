package plan_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/pipeline/plan"
)

// conditionPipeline is the V2 pipeline of the entry-condition scenario, with its
// Deploy stage's conditions replaced by the test.
func conditionPipeline(t *testing.T, mutate func(deploy *plan.Stage)) *plan.Pipeline {
	t.Helper()
	raw, err := os.ReadFile("testdata/scenarios/11_entry_condition_fail/pipeline.json")
	require.NoError(t, err)
	var p plan.Pipeline
	require.NoError(t, json.Unmarshal(raw, &p))
	mutate(&p.Stages[1])
	return &p
}

func varCheck(name string) plan.Rule {
	return plan.Rule{Name: name, RuleTypeID: plan.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "VariableCheck", Version: "1"},
		Configuration: map[string]string{"Variable": "#{variables.env}", "Operator": "EQ", "Value": "prod"}}
}

func TestValidateConditions(t *testing.T) {
	t.Parallel()
	gate := func(result string, rules ...plan.Rule) *plan.ConditionGate {
		return &plan.ConditionGate{Conditions: []plan.Condition{{Result: result, Rules: rules}}}
	}
	cases := []struct {
		name    string
		mutate  func(s *plan.Stage)
		message string
	}{
		{"Valid", func(s *plan.Stage) {}, ""},
		{"OmittedResultIsFail", func(s *plan.Stage) { s.BeforeEntry = gate("", varCheck("R")) }, ""},
		{"TwoConditions", func(s *plan.Stage) {
			s.BeforeEntry.Conditions = append(s.BeforeEntry.Conditions, s.BeforeEntry.Conditions[0])
		}, "Stage 'Deploy' must have exactly one entry condition, not 2"},
		{"NoRules", func(s *plan.Stage) { s.OnSuccess = gate("FAIL") }, "The success condition of stage 'Deploy' must have 1 to 5 rules, not 0"},
		{"SixRules", func(s *plan.Stage) {
			s.OnSuccess = gate("FAIL", varCheck("A"), varCheck("B"), varCheck("C"), varCheck("D"), varCheck("E"), varCheck("F"))
		}, "The success condition of stage 'Deploy' must have 1 to 5 rules, not 6"},
		{"FailureSkip", func(s *plan.Stage) { s.OnFailure = &plan.FailureGate{Result: "SKIP"} },
			"The failure condition of stage 'Deploy' has an invalid result 'SKIP'. Valid results are ROLLBACK, RETRY and FAIL"},
		{"FailureConditionRetry", func(s *plan.Stage) {
			s.OnFailure = &plan.FailureGate{Conditions: []plan.Condition{{Result: "RETRY", Rules: []plan.Rule{varCheck("R")}}}}
		}, "The failure condition of stage 'Deploy' has an invalid result 'RETRY'. Valid results are ROLLBACK and FAIL"},
		{"EmptyFailure", func(s *plan.Stage) { s.OnFailure = &plan.FailureGate{} },
			"Stage 'Deploy' has a failure condition with neither a result nor conditions"},
		{"CommandsOnVariableCheck", func(s *plan.Stage) {
			r := varCheck("R")
			r.Commands = []string{"echo"}
			s.BeforeEntry = gate("FAIL", r)
		}, "The following rule cannot contain a commands field: R. To use the commands field, use a Commands rule."},
		{"CommandsRuleWithoutCommands", func(s *plan.Stage) {
			s.BeforeEntry = gate("FAIL", plan.Rule{Name: "C", RuleTypeID: plan.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "Commands", Version: "1"}})
		}, "Rule 'C' of type Commands must contain commands"},
		{"TooManyInputs", func(s *plan.Stage) {
			r := varCheck("R")
			r.InputArtifacts = []plan.ArtifactName{{Name: "Src"}, {Name: "Src"}}
			s.BeforeEntry = gate("FAIL", r)
		}, "Rule R declares 2 input artifacts, outside the allowed count (0 to 1)"},
		{"WrongCategory", func(s *plan.Stage) {
			r := varCheck("R")
			r.RuleTypeID.Category = "Invoke"
			s.BeforeEntry = gate("FAIL", r)
		}, "RuleType (Category: 'Invoke', Provider: 'VariableCheck', Owner: 'AWS', Version: '1') in rule 'R' is not available in region"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := plan.Validate(conditionPipeline(t, c.mutate))
			if c.message == "" {
				require.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			require.Equal(t, plan.CodeInvalidStageDeclaration, err.Code)
			require.Equal(t, c.message, err.Message)
		})
	}
}
