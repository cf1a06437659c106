package plan

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// CategoryRule is the only category of a rule type.
const CategoryRule = "Rule"

// RuleProperty is one configuration property of a rule type, as ListRuleTypes lists it.
type RuleProperty struct {
	Name        string
	Required    bool
	Key         bool
	Description string
}

// RuleSpec is what validation and ListRuleTypes know about one AWS rule provider.
type RuleSpec struct {
	MinIn, MaxIn int
	Properties   []RuleProperty
	// Skippable providers may back an entry condition with result SKIP.
	Skippable bool
}

// ruleTypes lists the AWS rule providers, with the configuration properties of each
// one's rule reference page
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference.html).
// The input artifact bounds are ours: the pages name none.
func ruleTypes() map[string]RuleSpec {
	return map[string]RuleSpec{
		"CloudWatchAlarm": {0, 0, []RuleProperty{
			{"AlarmName", true, true, "The name of the CloudWatch alarm."},
			{"AlarmStates", false, false, "The alarm states the rule monitors: ALARM, OK, INSUFFICIENT_DATA."},
			{"WaitTime", false, false, "Minutes to wait for a state change before the rule result is applied."},
		}, false},
		"Commands": {0, 10, nil, false},
		"DeploymentWindow": {0, 0, []RuleProperty{
			{"Cron", true, true, "The cron expression that defines the days and times deployment is allowed."},
			{"TimeZone", false, false, "The time zone of the deployment window (UTC when omitted)."},
		}, false},
		"LambdaInvoke": {0, 1, []RuleProperty{
			{"FunctionName", true, true, "The name of the Lambda function."},
			{"UserParameters", false, false, "A string handed to the function."},
		}, true},
		"VariableCheck": {0, 1, []RuleProperty{
			{"Variable", true, true, "The pipeline variable to check, such as #{SourceVariables.RepositoryName}."},
			{"Value", true, false, "The value the variable is checked against."},
			{"Operator", true, false, "EQ, NE, CONTAINS or MATCHES."},
		}, true},
	}
}

// LookupRule returns the spec of an AWS rule type: category Rule, owner AWS, version 1
// (owner and version may be omitted).
func LookupRule(id RuleTypeID) (RuleSpec, bool) {
	if id.Category != CategoryRule || (id.Owner != "" && id.Owner != "AWS") || (id.Version != "" && id.Version != "1") {
		return RuleSpec{}, false
	}
	s, ok := ruleTypes()[id.Provider]
	return s, ok
}

// RuleEntry is one rule type and its spec.
type RuleEntry struct {
	ID   RuleTypeID
	Spec RuleSpec
}

// RuleTypes lists the AWS rule types by provider, for ListRuleTypes.
func RuleTypes() []RuleEntry {
	m := ruleTypes()
	out := make([]RuleEntry, 0, len(m))
	for p, s := range m {
		out = append(out, RuleEntry{ID: RuleTypeID{Category: CategoryRule, Owner: "AWS", Provider: p, Version: "1"}, Spec: s})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID.Provider < out[j].ID.Provider })
	return out
}

// VariableCheck operators
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-VariableCheck.html).
var variableOperators = []string{"EQ", "NE", "CONTAINS", "MATCHES"}

// CheckVariable evaluates a VariableCheck rule on the resolved variable. MATCHES is a
// whole-string match, as Java's String.matches is, with Go's regular expressions
// (RE2): most of the Java syntax AWS documents, but no backreferences or lookaround.
func CheckVariable(variable, operator, value string) (bool, error) {
	switch operator {
	case "EQ":
		return variable == value, nil
	case "NE":
		return variable != value, nil
	case "CONTAINS":
		return strings.Contains(variable, value), nil
	case "MATCHES":
		re, err := regexp.Compile("^(?:" + value + ")$")
		if err != nil {
			return false, fmt.Errorf("the value '%s' is not a valid regular expression", value)
		}
		return re.MatchString(variable), nil
	}
	return false, fmt.Errorf("the operator '%s' is not one of %s", operator, strings.Join(variableOperators, ", "))
}
