package web

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"stepline/pipeline/plan"
	"stepline/sfn"
)

// editView is the editor page's data.
type editView struct {
	Name      string
	Version   int // the version the draft started from
	Next      int // the version Save makes
	DraftJSON string
	Region    string
	Editing   int
	AddStage  bool
	Confirm   bool
	Busy      bool // a small form is open: the other buttons wait for it
	Stages    []editStageView
	Errors    *editErrors
	Focus     string // the id of the control to focus
}

// editStageView is one stage as the editor draws it.
type editStageView struct {
	Index   int
	Name    string
	Editing bool
	Error   string
	Groups  []editGroupView
	Form    *actionFormView // the action form, when open in this stage
}

// editGroupView is one action group: the actions sharing a runOrder.
type editGroupView struct {
	Order   int
	Number  int // 1-based position, as the console counts groups
	Actions []editActionView
}

// editActionView is one action's card.
type editActionView struct {
	Index        int
	Name         string
	ProviderName string
	Category     string
	Inputs       string
	Outputs      string
}

// actionFormView is the action form.
type actionFormView struct {
	*actionDraft
	New           bool
	Providers     []providerGroup
	StepFunctions bool
	Available     []artifactOption
	StateMachines []string // ARNs to choose from
	Required      []string // the chosen provider's required configuration keys
	Errors        map[string]string
	Focus         string
}

type providerGroup struct {
	Category string
	Options  []providerOption
}

type providerOption struct {
	Value, Label string
	Selected     bool
}

type artifactOption struct {
	Name     string
	Selected bool
}

// moreProviderNames are the console names of providers the pipeline page does not
// name, for the provider select.
var moreProviderNames = map[string]string{
	"CodeStarSourceConnection":     "CodeStar connection (Bitbucket, GitHub, GitLab)",
	"ECRBuildAndPublish":           "ECR build and publish",
	"Commands":                     "Commands",
	"DeviceFarm":                   "AWS Device Farm",
	"CloudFormationStackSet":       "AWS CloudFormation StackSets",
	"CloudFormationStackInstances": "AWS CloudFormation Stack Instances",
	"CodeDeployToECS":              "Amazon ECS (Blue/Green)",
	"EC2":                          "Amazon EC2",
	"EKS":                          "Amazon EKS",
	"ElasticBeanstalk":             "AWS Elastic Beanstalk",
	"AppConfig":                    "AWS AppConfig",
	"OpsWorks":                     "AWS OpsWorks Stacks",
	"ServiceCatalog":               "AWS Service Catalog",
	"CodePipeline":                 "AWS CodePipeline",
	"InspectorScan":                "Amazon Inspector",
}

// editorProviderName names a provider in the editor; a type that is not AWS's says
// whose it is and its version, since several versions may exist.
func editorProviderName(t plan.ActionTypeID) string {
	if t.Owner != "AWS" && t.Owner != "" {
		return t.Provider + " (" + t.Owner + ", version " + t.Version + ")"
	}
	if n := providerName(t); n != t.Provider {
		return n
	}
	if n, ok := moreProviderNames[t.Provider]; ok {
		return n
	}
	return t.Provider
}

// categoryOrder is the order of the provider select's groups, as in the AWS console.
var categoryOrder = []string{plan.CategorySource, plan.CategoryBuild, plan.CategoryTest, plan.CategoryDeploy,
	plan.CategoryApproval, plan.CategoryInvoke, plan.CategoryCompute}

// providerGroups lists the providers validation accepts, grouped by category, with
// the action's own type added when it is not one of them (a custom action type).
func providerGroups(chosen string, own plan.ActionTypeID, custom map[plan.ActionTypeID]plan.ProviderSpec) []providerGroup {
	entries := plan.Providers()
	ids := make([]plan.ActionTypeID, 0, len(entries)+len(custom)+1)
	for _, e := range entries {
		ids = append(ids, e.ID)
	}
	for id := range custom {
		ids = append(ids, id)
	}
	if own.Provider != "" && !slices.Contains(ids, own) {
		ids = append(ids, own)
	}
	rank := func(c string) int {
		if i := slices.Index(categoryOrder, c); i >= 0 {
			return i
		}
		return len(categoryOrder)
	}
	slices.SortStableFunc(ids, func(a, b plan.ActionTypeID) int {
		return cmp.Or(cmp.Compare(rank(a.Category), rank(b.Category)), cmp.Compare(a.Category, b.Category),
			cmp.Compare(editorProviderName(a), editorProviderName(b)), cmp.Compare(a.Version, b.Version))
	})
	var out []providerGroup
	for _, id := range ids {
		if len(out) == 0 || out[len(out)-1].Category != id.Category {
			out = append(out, providerGroup{Category: id.Category})
		}
		v := actionTypeValue(id)
		g := &out[len(out)-1]
		g.Options = append(g.Options, providerOption{Value: v, Label: editorProviderName(id), Selected: v == chosen})
	}
	return out
}

// renderEdit draws the editor from its state.
func (c *Console) renderEdit(w http.ResponseWriter, r *http.Request, status int, st *editState, errs *editErrors) error {
	draft, err := json.Marshal(st.Draft)
	if err != nil {
		return fmt.Errorf("encode draft: %w", err)
	}
	v := editView{
		Name: st.Draft.Name, Version: st.Draft.Version, Next: st.Draft.Version + 1, DraftJSON: string(draft), Region: st.Region,
		Editing: st.Editing, AddStage: st.AddStage, Confirm: st.Confirm,
		Busy:   st.AddStage || st.Action != nil || st.Confirm,
		Errors: errs,
	}
	for i, s := range st.Draft.Stages {
		sv := editStageView{Index: i, Name: s.Name, Editing: i == st.Editing, Error: errs.Stage[i]}
		for n, order := range s.Groups() {
			g := editGroupView{Order: order, Number: n + 1}
			for k, a := range s.Actions {
				if a.Order() == order {
					g.Actions = append(g.Actions, editActionView{Index: k, Name: a.Name,
						ProviderName: editorProviderName(a.ActionTypeID), Category: a.ActionTypeID.Category,
						Inputs: artifactNames(a.InputArtifacts), Outputs: outputNames(a.OutputArtifacts)})
				}
			}
			sv.Groups = append(sv.Groups, g)
		}
		if st.Action != nil && st.Action.Stage == i {
			f, err := c.actionForm(r, st, errs)
			if err != nil {
				return err
			}
			f.Focus = editFocus(st, errs)
			sv.Form = f
		}
		v.Stages = append(v.Stages, sv)
	}
	v.Focus = editFocus(st, errs)
	return c.render(w, status, "pipeline_edit", view{
		Title: "Editing: " + st.Draft.Name, Nav: "pipelines",
		Crumbs: []crumb{{Text: "Pipelines", Href: Prefix + "/pipelines"},
			{Text: st.Draft.Name, Href: pipelineURL(st.Draft.Name)}, {Text: "Edit"}},
		Body: v,
	})
}

// actionForm fills the action form's choices: providers, artifacts and, for Step
// Functions, the state machines.
func (c *Console) actionForm(r *http.Request, st *editState, errs *editErrors) (*actionFormView, error) {
	d := st.Action
	var own plan.ActionTypeID
	if d.Index >= 0 {
		own = st.Draft.Stages[d.Stage].Actions[d.Index].ActionTypeID
	}
	f := &actionFormView{actionDraft: d, New: d.Index < 0, Providers: providerGroups(d.Provider, own, st.custom), Errors: errs.Action}
	for _, name := range availableArtifacts(st, d) {
		f.Available = append(f.Available, artifactOption{Name: name, Selected: slices.Contains(d.Inputs, name)})
	}
	typ, _ := parseActionType(d.Provider)
	if spec, ok := st.spec(typ); ok {
		f.Required = spec.Required
	}
	if f.StepFunctions = isStepFunctions(typ); f.StepFunctions {
		sms, _, err := c.deps.SFN.StateMachineList(r.Context(), sfn.Page{Max: 100})
		if err != nil {
			return nil, err
		}
		for _, sm := range sms {
			f.StateMachines = append(f.StateMachines, sm.ARN)
		}
		if d.StateMachineARN != "" && !slices.Contains(f.StateMachines, d.StateMachineARN) {
			f.StateMachines = append(f.StateMachines, d.StateMachineARN)
		}
	}
	return f, nil
}

// editFocus is the control the page focuses when it loads: the first field with a
// problem, else the field the user is about to fill.
func editFocus(st *editState, errs *editErrors) string {
	for _, k := range []string{"name", "provider", "region", "inputs", "sm", "prefix", "inputtype", "input", "config", "outputs"} {
		if errs.Action[k] != "" {
			return "a_" + k
		}
	}
	switch {
	case st.focus != "":
		return st.focus
	case st.Action != nil:
		return "a_name"
	case st.AddStage:
		return "stage_name"
	case st.Confirm:
		return "save-confirm"
	}
	return ""
}

func artifactNames(as []plan.ArtifactName) string {
	var s string
	for i, a := range as {
		if i > 0 {
			s += ", "
		}
		s += a.Name
	}
	return s
}

func outputNames(as []plan.OutputArtifact) string {
	var s string
	for i, a := range as {
		if i > 0 {
			s += ", "
		}
		s += a.Name
	}
	return s
}
