package web

import (
	"regexp"

	"stepline"
	"stepline/pipeline/plan"
)

// placeSaveError puts the service's objection to a draft beside the control it
// concerns: a stage's problem in that stage, an action's in its form, next to the
// field, and anything else beside Save. The patterns are the messages of
// pipeline/plan's validation, which copy CodePipeline's.
func placeSaveError(st *editState, se *stepline.Error, errs *editErrors) {
	msg := se.Message
	for _, r := range saveErrorRules {
		m := r.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		if r.stage != nil {
			if i := r.stage(st, m); i >= 0 {
				st.Editing = i
				errs.Stage[i] = msg
				return
			}
			continue
		}
		if r.stages {
			errs.Stages = msg
			return
		}
		if s, k := r.action(st, m); s >= 0 {
			st.Editing = s
			st.Action = newActionDraft(st, s, k, 0)
			field := r.field
			if field == "" { // a configuration key
				field = configField(st.Draft.Stages[s].Actions[k].ActionTypeID, m[2])
			}
			errs.Action[field] = msg
			return
		}
	}
	errs.Page = msg
}

// saveErrorRule finds where one kind of validation message belongs.
type saveErrorRule struct {
	re     *regexp.Regexp
	stages bool                                  // about the stages as a whole
	stage  func(*editState, []string) int        // about one stage
	action func(*editState, []string) (int, int) // about one action; field says which
	field  string                                // the action form's field; "" for the key in m[2]
}

var saveErrorRules = []saveErrorRule{
	{re: regexp.MustCompile(`^Stage name '(.+)' is used more than once$`), stage: lastStageNamed},
	{re: regexp.MustCompile(`^Stage '(.+)' must contain at least one action$`), stage: lastStageNamed},
	{re: regexp.MustCompile(`^Blocker '.*' in stage '(.+)' is not supported$`), stage: lastStageNamed},
	{re: regexp.MustCompile(`^The following stage cannot have .*: '(.+)'$`), stage: lastStageNamed},
	{re: regexp.MustCompile(`^Pipeline should start with a stage that only contains source actions$`),
		stage: func(st *editState, _ []string) int { return 0 }},
	{re: regexp.MustCompile(`^Source actions can only be included in the first stage`), stage: sourceOutsideFirst},
	{re: regexp.MustCompile(`^Pipeline should contain at least 1 action whose category is not Source`), stage: emptyStage},
	{re: regexp.MustCompile(`^Pipeline (has only|has too many stages|should contain at least 1 action)`), stages: true},
	{re: regexp.MustCompile(`^Action name '(.+)' is used more than once in stage '.+'$`), action: lastActionNamed, field: "name"},
	{re: regexp.MustCompile(`^ActionType \(.*\) in action '(.+)' is not available in region$`), action: lastActionNamed, field: "provider"},
	{re: regexp.MustCompile(`^The following action cannot contain a commands field: (.+)\. `), action: lastActionNamed, field: "form"},
	{re: regexp.MustCompile(`^Action (\S+) declares \d+ input artifacts`), action: lastActionNamed, field: "inputs"},
	{re: regexp.MustCompile(`^Action (\S+) declares \d+ output artifacts`), action: lastActionNamed, field: "outputs"},
	{re: regexp.MustCompile(`^Action configuration for action '(.+)' is missing required configuration '(.+)'$`), action: lastActionNamed},
	{re: regexp.MustCompile(`^Action configuration for action '(.+)' contains an invalid value '.*' for configuration '([^']+)'`), action: lastActionNamed},
	{re: regexp.MustCompile(`^Input Artifact Bundle \S+ in action (\S+) is not declared`), action: lastActionNamed, field: "inputs"},
	{re: regexp.MustCompile(`^Output Artifact Bundle name must be unique within the pipeline\. (\S+) has been used`), action: lastActionMaking, field: "outputs"},
	{re: regexp.MustCompile(`^Namespace '.*' in action '(.+)' is`), action: lastActionNamed, field: "form"},
	{re: regexp.MustCompile(`^The following region is missing in 'pipeline\.artifactStores': (\S+)\.$`), action: lastActionIn, field: "region"},
}

// configField is the action form's field of a configuration key.
func configField(t plan.ActionTypeID, key string) string {
	if isStepFunctions(t) {
		switch key {
		case sfnKeyStateMachine:
			return "sm"
		case sfnKeyPrefix:
			return "prefix"
		case sfnKeyInputType:
			return "inputtype"
		case sfnKeyInput:
			return "input"
		}
	}
	return "config"
}

func lastStageNamed(st *editState, m []string) int {
	for i := len(st.Draft.Stages) - 1; i >= 0; i-- {
		if st.Draft.Stages[i].Name == m[1] {
			return i
		}
	}
	return -1
}

// emptyStage is the first stage after the sources with no actions: filling it is
// the likeliest fix for a pipeline with nothing but sources.
func emptyStage(st *editState, _ []string) int {
	for i := 1; i < len(st.Draft.Stages); i++ {
		if len(st.Draft.Stages[i].Actions) == 0 {
			return i
		}
	}
	return -1
}

func sourceOutsideFirst(st *editState, _ []string) int {
	for i := 1; i < len(st.Draft.Stages); i++ {
		for _, a := range st.Draft.Stages[i].Actions {
			if a.ActionTypeID.Category == plan.CategorySource {
				return i
			}
		}
	}
	return -1
}

// lastAction finds the last action that matches; the one the user added last is
// the likeliest to be wrong.
func lastAction(st *editState, match func(plan.Action) bool) (int, int) {
	for s := len(st.Draft.Stages) - 1; s >= 0; s-- {
		acts := st.Draft.Stages[s].Actions
		for k := len(acts) - 1; k >= 0; k-- {
			if match(acts[k]) {
				return s, k
			}
		}
	}
	return -1, -1
}

func lastActionNamed(st *editState, m []string) (int, int) {
	return lastAction(st, func(a plan.Action) bool { return a.Name == m[1] })
}

func lastActionMaking(st *editState, m []string) (int, int) {
	return lastAction(st, func(a plan.Action) bool {
		for _, o := range a.OutputArtifacts {
			if o.Name == m[1] {
				return true
			}
		}
		return false
	})
}

func lastActionIn(st *editState, m []string) (int, int) {
	return lastAction(st, func(a plan.Action) bool { return a.Region == m[1] })
}
