package web

import (
	"encoding/json"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"stepline/pipeline/plan"
)

// actionDraft is the action form: the action being added or changed and what the user
// typed into the form so far.
type actionDraft struct {
	Stage    int // index of its stage
	Index    int // index of the action in the stage; -1 for a new one
	Order    int // its runOrder: its action group
	Name     string
	Provider string // an actionTypeValue
	Region   string
	Inputs   []string
	Outputs  string // output artifact names, separated by commas
	// The Step Functions provider's settings.
	StateMachineARN string
	Prefix          string
	InputType       string // Literal or FilePath
	Input           string
	// Config is any other provider's configuration, one Key=Value a line.
	Config string
}

// Configuration keys of the Step Functions invoke action
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html).
const (
	sfnKeyStateMachine = "StateMachineArn"
	sfnKeyPrefix       = "ExecutionNamePrefix"
	sfnKeyInputType    = "InputType"
	sfnKeyInput        = "Input"
)

// actionTypeValue is an action type as the provider select carries it.
func actionTypeValue(t plan.ActionTypeID) string {
	return t.Category + "|" + t.Owner + "|" + t.Provider + "|" + t.Version
}

// parseActionType reads an actionTypeValue.
func parseActionType(s string) (plan.ActionTypeID, bool) {
	p := strings.Split(s, "|")
	if len(p) != 4 || p[0] == "" || p[2] == "" {
		return plan.ActionTypeID{}, false
	}
	return plan.ActionTypeID{Category: p[0], Owner: p[1], Provider: p[2], Version: p[3]}, true
}

func isStepFunctions(t plan.ActionTypeID) bool {
	return t.Owner == "AWS" && t.Provider == "StepFunctions" && t.Category == plan.CategoryInvoke
}

// newActionDraft opens the action form on a stage's action, or on a new action in
// the action group order when index is -1.
func newActionDraft(st *editState, stage, index, order int) *actionDraft {
	if index < 0 {
		return &actionDraft{Stage: stage, Index: -1, Order: order, Region: st.Region, InputType: "Literal"}
	}
	a := st.Draft.Stages[stage].Actions[index]
	d := &actionDraft{Stage: stage, Index: index, Order: a.Order(), Name: a.Name,
		Provider: actionTypeValue(a.ActionTypeID), Region: a.Region}
	if d.Region == "" {
		d.Region = st.Region
	}
	for _, in := range a.InputArtifacts {
		d.Inputs = append(d.Inputs, in.Name)
	}
	var outs []string
	for _, o := range a.OutputArtifacts {
		outs = append(outs, o.Name)
	}
	d.Outputs = strings.Join(outs, ", ")
	if isStepFunctions(a.ActionTypeID) {
		d.StateMachineARN, d.Prefix = a.Configuration[sfnKeyStateMachine], a.Configuration[sfnKeyPrefix]
		d.InputType, d.Input = a.Configuration[sfnKeyInputType], a.Configuration[sfnKeyInput]
		if d.InputType == "" {
			d.InputType = "Literal"
		}
	} else {
		d.Config = configText(a.Configuration)
	}
	return d
}

// configText writes a configuration one Key=Value a line, keys sorted.
func configText(m map[string]string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(m)) {
		b.WriteString(k + "=" + m[k] + "\n")
	}
	return b.String()
}

// readActionDraft reads the open action form from a posted page.
func readActionDraft(st *editState, get func(string) string, inputs []string) (*actionDraft, error) {
	num := func(k string) (int, error) { return strconv.Atoi(get(k)) }
	s, err1 := num("a_stage")
	i, err2 := num("a_index")
	o, err3 := num("a_order")
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, err
	}
	if s < 0 || s >= len(st.Draft.Stages) || i < -1 || i >= len(st.Draft.Stages[s].Actions) || o < 1 || o > 999 {
		return nil, errors.New("no such action")
	}
	return &actionDraft{Stage: s, Index: i, Order: o,
		Name: strings.TrimSpace(get("a_name")), Provider: get("a_provider"), Region: strings.TrimSpace(get("a_region")),
		Inputs: inputs, Outputs: get("a_outputs"),
		StateMachineARN: get("a_sm"), Prefix: strings.TrimSpace(get("a_prefix")),
		InputType: get("a_inputtype"), Input: get("a_input"), Config: get("a_config"),
	}, nil
}

var artifactPattern = regexp.MustCompile(`^[a-zA-Z0-9_\-]{1,100}$`)

// applyActionDraft checks the action form and, when it is right, writes the action
// into the draft. It reports whether it did; otherwise errs says what to fix, by
// field. Save runs CodePipeline's whole validation; these checks catch what can be
// told from the form alone, where the user is looking.
func applyActionDraft(st *editState, errs *editErrors) bool {
	d := st.Action
	stage := &st.Draft.Stages[d.Stage]
	var base plan.Action
	if d.Index >= 0 {
		base = stage.Actions[d.Index]
	}
	e := errs.Action
	switch {
	case d.Name == "":
		e["name"] = "Enter an action name."
	case !namePattern.MatchString(d.Name):
		e["name"] = "An action name has 1 to 100 letters, digits and the characters . @ - _ only."
	default:
		for k, a := range stage.Actions {
			if k != d.Index && a.Name == d.Name {
				e["name"] = "The stage already has an action called " + d.Name + "."
			}
		}
	}
	typ, ok := parseActionType(d.Provider)
	spec, known := st.spec(typ)
	if !ok || (!known && typ != base.ActionTypeID) {
		e["provider"] = "Choose an action provider."
	}
	if d.Region != "" && !regionPattern.MatchString(d.Region) {
		e["region"] = "Enter a region such as us-east-1."
	}
	inputs := checkInputs(st, d, spec, known, e)
	outputs := checkOutputs(st, d, spec, known, e)
	config := map[string]string{}
	if isStepFunctions(typ) {
		checkStepFunctions(d, inputs, config, e)
	} else if ok {
		checkConfig(d.Config, spec.Required, config, e)
	}
	if len(e) > 0 {
		return false
	}
	a := base
	a.Name, a.ActionTypeID, a.RunOrder, a.Configuration = d.Name, typ, d.Order, config
	a.InputArtifacts = inputs
	a.OutputArtifacts = outputs
	// An action in the pipeline's own region leaves Region out, as a declaration
	// written by hand usually does; one the user moved elsewhere says where.
	a.Region = d.Region
	if d.Region == st.Region && base.Region == "" {
		a.Region = ""
	}
	if d.Index >= 0 {
		stage.Actions[d.Index] = a
	} else {
		stage.Actions = append(stage.Actions, a)
	}
	return true
}

// availableArtifacts lists the artifacts an action of the form may take as input:
// those made by earlier stages, or in its own stage by an earlier action group.
func availableArtifacts(st *editState, d *actionDraft) []string {
	var out []string
	for s := 0; s <= d.Stage && s < len(st.Draft.Stages); s++ {
		for k, a := range st.Draft.Stages[s].Actions {
			if s == d.Stage && (k == d.Index || a.Order() >= d.Order) {
				continue
			}
			for _, o := range a.OutputArtifacts {
				out = append(out, o.Name)
			}
		}
	}
	return out
}

func checkInputs(st *editState, d *actionDraft, spec plan.ProviderSpec, known bool, e map[string]string) []plan.ArtifactName {
	avail := availableArtifacts(st, d)
	var out []plan.ArtifactName
	for _, in := range d.Inputs {
		if !slices.Contains(avail, in) {
			e["inputs"] = "No earlier action produces an artifact called " + in + "."
			return nil
		}
		out = append(out, plan.ArtifactName{Name: in})
	}
	if known {
		if msg := countProblem("input", len(out), spec.MinIn, spec.MaxIn); msg != "" {
			e["inputs"] = msg
		}
	}
	return out
}

func checkOutputs(st *editState, d *actionDraft, spec plan.ProviderSpec, known bool, e map[string]string) []plan.OutputArtifact {
	var out []plan.OutputArtifact
	for _, f := range strings.FieldsFunc(d.Outputs, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
		if !artifactPattern.MatchString(f) {
			e["outputs"] = "An artifact name has 1 to 100 letters, digits, - and _ only."
			return nil
		}
		for s, stage := range st.Draft.Stages {
			for k, a := range stage.Actions {
				if s == d.Stage && k == d.Index {
					continue
				}
				for _, o := range a.OutputArtifacts {
					if o.Name == f {
						e["outputs"] = "Action " + a.Name + " already produces an artifact called " + f + "."
						return nil
					}
				}
			}
		}
		out = append(out, plan.OutputArtifact{Name: f})
	}
	if known {
		if msg := countProblem("output", len(out), spec.MinOut, spec.MaxOut); msg != "" {
			e["outputs"] = msg
		}
	}
	return out
}

// countProblem says what is wrong with a number of artifacts, or nothing.
func countProblem(kind string, n, lo, hi int) string {
	switch {
	case n < lo && lo == 1:
		return "This provider needs an " + kind + " artifact."
	case n < lo:
		return "This provider needs at least " + strconv.Itoa(lo) + " " + kind + " artifacts."
	case n > hi && hi == 0:
		return "This provider takes no " + kind + " artifacts."
	case n > hi:
		return "This provider takes at most " + strconv.Itoa(hi) + " " + kind + " artifacts."
	}
	return ""
}

// checkStepFunctions fills the Step Functions action's configuration from its fields.
func checkStepFunctions(d *actionDraft, inputs []plan.ArtifactName, config map[string]string, e map[string]string) {
	if d.StateMachineARN == "" {
		e["sm"] = "Choose a state machine."
	}
	config[sfnKeyStateMachine] = d.StateMachineARN
	if d.Prefix != "" {
		config[sfnKeyPrefix] = d.Prefix
	}
	switch d.InputType {
	case "Literal":
		// The action passes a Literal input to StartExecution as it is, so it must
		// be JSON for the execution to start.
		if strings.TrimSpace(d.Input) != "" && !json.Valid([]byte(d.Input)) {
			e["input"] = "A Literal input is a JSON text, such as {\"IsHelloWorldExample\": true}."
		}
	case "FilePath":
		if strings.TrimSpace(d.Input) == "" {
			e["input"] = "Enter the path of the input file within the input artifact."
		}
		if len(inputs) == 0 && e["inputs"] == "" {
			e["inputs"] = "A File path input is read from an input artifact: choose one."
		}
	default:
		e["inputtype"] = "Choose Literal or File path."
	}
	config[sfnKeyInputType] = d.InputType
	if d.Input != "" {
		config[sfnKeyInput] = d.Input
	}
}

// checkConfig reads a configuration written one Key=Value a line.
func checkConfig(text string, required []string, config map[string]string, e map[string]string) {
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			e["config"] = "Line " + strconv.Itoa(n+1) + " is not Key=Value."
			return
		}
		config[k] = v
	}
	for _, k := range required {
		if _, ok := config[k]; !ok {
			e["config"] = "This provider needs " + k + "."
			return
		}
	}
}
