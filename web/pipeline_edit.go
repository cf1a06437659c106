package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"stepline"
	"stepline/pipeline/plan"
)

// The pipeline editor follows the AWS console's "Edit" flow, word for word as AWS's
// tutorial "Use an AWS Step Functions invoke action in a pipeline" uses it
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/tutorials-step-functions.html):
// Edit stage, Delete, + Add stage, Stage name, Add stage, + Add action group, the
// action form, Done, Save and Save again on the warning.
//
// The page is one form that carries the draft declaration in a hidden field; every
// button posts it with the change it asks for, and the server answers with the page
// drawn from the changed draft. Nothing is stored until the second Save, which calls
// UpdatePipeline, so an abandoned edit leaves nothing behind and the page works
// without JavaScript.

// editState is the editor's state between requests: the draft and which of its small
// forms is open.
type editState struct {
	Draft    plan.Pipeline
	Region   string       // the pipeline's region, the default of an action's Region
	Editing  int          // the stage in edit mode; -1 for none
	AddStage bool         // the "+ Add stage" form is open
	Action   *actionDraft // the action form, when open
	Confirm  bool         // the warning before saving is shown
	focus    string       // the control to focus after this request; empty: the usual one
	// custom are the account's custom action types, which the provider select offers
	// beside AWS's own; read per request, never carried in the form.
	custom map[plan.ActionTypeID]plan.ProviderSpec
}

// spec is what validation knows about an action type: AWS's own or a custom one.
func (st *editState) spec(t plan.ActionTypeID) (plan.ProviderSpec, bool) {
	if s, ok := plan.LookupProvider(t); ok {
		return s, true
	}
	s, ok := st.custom[t]
	return s, ok
}

// customTypes reads the account's custom action types for the editor.
func (c *Console) customTypes(r *http.Request) (map[plan.ActionTypeID]plan.ProviderSpec, error) {
	types, err := c.deps.Pipelines.CustomActionTypes(r.Context())
	if err != nil {
		return nil, err
	}
	out := map[plan.ActionTypeID]plan.ProviderSpec{}
	for _, t := range types {
		if t.Deleted {
			continue
		}
		spec := plan.ProviderSpec{MinIn: t.MinIn, MaxIn: t.MaxIn, MinOut: t.MinOut, MaxOut: t.MaxOut}
		for _, p := range t.ConfigurationProperties {
			if p.Required {
				spec.Required = append(spec.Required, p.Name)
			}
		}
		out[t.ID] = spec
	}
	return out, nil
}

// editErrors are problems to show, each beside the control it concerns.
type editErrors struct {
	Page     string            // beside Save
	Stages   string            // beside "+ Add stage": the number of stages, sources
	AddStage string            // beside the Stage name field
	Stage    map[int]string    // in a stage, beside its buttons
	Action   map[string]string // in the action form, by field
}

func newEditErrors() *editErrors {
	return &editErrors{Stage: map[int]string{}, Action: map[string]string{}}
}

func (e *editErrors) any() bool {
	return e.Page != "" || e.Stages != "" || e.AddStage != "" || len(e.Stage) > 0 || len(e.Action) > 0
}

// errBadForm answers a form the editor did not write: a missing or damaged draft, an
// unknown button or an index out of range.
var errBadForm = &httpError{Status: http.StatusBadRequest,
	Message: "The edit form could not be read. Open the pipeline and choose Edit again."}

// pipelineEditURL is the editor of a pipeline.
func pipelineEditURL(name string) string { return pipelineURL(name) + "/edit" }

// pipelineEdit opens the editor on the pipeline's current version.
func (c *Console) pipelineEdit(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	p, meta, err := svc.GetPipeline(r.Context(), r.PathValue("name"), 0)
	if err != nil {
		return err
	}
	st := &editState{Draft: p, Region: arnRegion(meta.PipelineARN), Editing: -1}
	if st.custom, err = c.customTypes(r); err != nil {
		return err
	}
	return c.renderEdit(w, r, 0, st, newEditErrors())
}

// pipelineEditPost applies one button of the editor to the draft and draws the page
// again, or saves the draft.
func (c *Console) pipelineEditPost(w http.ResponseWriter, r *http.Request) error {
	if _, err := c.pipelineService(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return errBadForm
	}
	st, err := readEditState(r.PostForm)
	if err != nil || st.Draft.Name != r.PathValue("name") {
		return errBadForm
	}
	if st.custom, err = c.customTypes(r); err != nil {
		return err
	}
	errs := newEditErrors()
	op := r.PostForm.Get("op")
	if op == "save-confirm" {
		st.Confirm = false
		saved, err := c.saveDraft(r, st, errs)
		if err != nil {
			return err
		}
		if saved {
			http.Redirect(w, r, pipelineURL(st.Draft.Name), http.StatusSeeOther)
			return nil
		}
		return c.renderEdit(w, r, http.StatusUnprocessableEntity, st, errs)
	}
	if err := applyEditOp(st, op, r.PostForm, errs); err != nil {
		return err
	}
	status := 0
	if errs.any() {
		status = http.StatusUnprocessableEntity
	}
	return c.renderEdit(w, r, status, st, errs)
}

// saveDraft stores the draft as the pipeline's next version. A draft the service
// refuses stays on the page with the refusal beside the control it concerns.
func (c *Console) saveDraft(r *http.Request, st *editState, errs *editErrors) (bool, error) {
	svc := c.deps.Pipelines
	cur, _, err := svc.GetPipeline(r.Context(), st.Draft.Name, 0)
	if err != nil {
		return false, err
	}
	if cur.Version != st.Draft.Version {
		errs.Page = "The pipeline was changed elsewhere while you edited it (it is now at version " +
			strconv.Itoa(cur.Version) + "). Cancel and choose Edit again to start from the new version."
		return false, nil
	}
	_, err = svc.UpdatePipeline(r.Context(), st.Draft)
	var se *stepline.Error
	if errors.As(err, &se) && serviceStatus(se) != http.StatusNotFound {
		placeSaveError(st, se, errs)
		return false, nil
	}
	return err == nil, err
}

// arnRegion is the region of an ARN, empty when it has none.
func arnRegion(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[3]
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z0-9]+)+-[0-9]+$`)

// readEditState reads the draft and the open forms from a posted editor page.
func readEditState(f map[string][]string) (*editState, error) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	st := &editState{Editing: -1, AddStage: get("addstage") == "1"}
	if err := json.Unmarshal([]byte(get("draft")), &st.Draft); err != nil || st.Draft.Name == "" {
		return nil, errors.New("the draft is not a pipeline declaration")
	}
	if st.Region = get("region"); !regionPattern.MatchString(st.Region) {
		st.Region = ""
	}
	if s := get("editing"); s != "" {
		i, err := strconv.Atoi(s)
		if err != nil || i < -1 || i >= len(st.Draft.Stages) {
			return nil, errors.New("no such stage")
		}
		st.Editing = i
	}
	if get("a_open") == "1" {
		a, err := readActionDraft(st, get, f["a_inputs"])
		if err != nil {
			return nil, err
		}
		st.Action = a
	}
	return st, nil
}

// opTarget splits a button value such as "edit-action:1:0" into its name and
// indexes.
func opTarget(op string) (string, []int, error) {
	parts := strings.Split(op, ":")
	if len(parts) > 3 {
		return "", nil, errBadForm
	}
	idx := make([]int, 0, len(parts)-1)
	for _, p := range parts[1:] {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 1_000_000 {
			return "", nil, errBadForm
		}
		idx = append(idx, n)
	}
	return parts[0], idx, nil
}

// editOps are the editor's buttons and the number of indexes each one's value
// carries after its name ("edit-action:1:0").
var editOps = map[string]int{"": 0, "enter": 0, "edit-stage": 1, "delete-stage": 1, "stage-done": 1, "add-group": 1,
	"add-action": 2, "edit-action": 2, "delete-action": 2, "add-stage-open": 0, "add-stage": 0,
	"add-stage-cancel": 0, "action-done": 0, "action-cancel": 0, "provider": 0, "save": 0, "save-cancel": 0}

// applyEditOp changes the editor's state as one button asks. Problems with what the
// user typed go to errs; a form the editor did not write is an error.
func applyEditOp(st *editState, op string, form map[string][]string, errs *editErrors) error {
	name, idx, err := opTarget(op)
	if err != nil {
		return err
	}
	n, known := editOps[name]
	if !known || len(idx) != n || (n > 0 && idx[0] >= len(st.Draft.Stages)) {
		return errBadForm
	}
	if name == "enter" { // Enter in a field means the open form's main button.
		switch {
		case st.Action != nil:
			name = "action-done"
		case st.AddStage:
			name = "add-stage"
		default:
			name = ""
		}
	}
	i := 0
	if n > 0 {
		i = idx[0]
	}
	switch name {
	case "":
	case "edit-stage":
		st.Editing, st.AddStage, st.Action, st.Confirm = i, false, nil, false
		st.focus = stageControl(i, "add-group")
	case "stage-done":
		st.Editing, st.focus = -1, stageControl(i, "edit")
	case "delete-stage":
		st.Draft.Stages = slices.Delete(st.Draft.Stages, i, i+1)
		st.Editing, st.Action, st.focus = -1, nil, "add-stage-open"
	case "add-stage-open":
		st.AddStage, st.Editing, st.Action, st.Confirm = true, -1, nil, false
	case "add-stage-cancel":
		st.AddStage, st.focus = false, "add-stage-open"
	case "add-stage":
		addStage(st, first(form["stage_name"]), errs)
	case "save":
		st.Confirm, st.AddStage, st.Action = true, false, nil
	case "save-cancel":
		st.Confirm, st.focus = false, "save"
	default:
		return applyActionOp(st, name, idx, errs)
	}
	return nil
}

// applyActionOp applies a button about actions: the action form's, and a stage's
// buttons that open it or delete an action. idx is already checked to name a stage.
func applyActionOp(st *editState, name string, idx []int, errs *editErrors) error {
	if len(idx) == 2 && idx[1] >= len(st.Draft.Stages[idx[0]].Actions) && name != "add-action" {
		return errBadForm
	}
	switch name {
	case "provider":
		// Draw the page again: the action form shows the chosen provider's fields.
		st.focus = "a_provider"
	case "add-group":
		st.Editing, st.Confirm = idx[0], false
		st.Action = newActionDraft(st, idx[0], -1, maxOrder(st.Draft.Stages[idx[0]])+1)
	case "add-action":
		st.Editing, st.Confirm = idx[0], false
		st.Action = newActionDraft(st, idx[0], -1, min(max(idx[1], 1), 999))
	case "edit-action":
		st.Editing, st.Confirm = idx[0], false
		st.Action = newActionDraft(st, idx[0], idx[1], 0)
	case "delete-action":
		s := &st.Draft.Stages[idx[0]]
		s.Actions = slices.Delete(s.Actions, idx[1], idx[1]+1)
		st.Editing, st.Action, st.focus = idx[0], nil, stageControl(idx[0], "add-group")
	case "action-done":
		if st.Action == nil {
			return errBadForm
		}
		if applyActionDraft(st, errs) {
			st.focus = stageControl(st.Action.Stage, "add-group")
			st.Action = nil
		}
	case "action-cancel":
		if st.Action != nil {
			st.focus = stageControl(st.Action.Stage, "add-group")
		}
		st.Action = nil
	}
	return nil
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// namePattern is CodePipeline's pattern for stage and action names.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9.@\-_]{1,100}$`)

// addStage appends a stage with the name from the "Stage name" field and opens it for
// editing, as the AWS console does, so its first action group can be added.
func addStage(st *editState, name string, errs *editErrors) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		errs.AddStage = "Enter a stage name."
	case !namePattern.MatchString(name):
		errs.AddStage = "A stage name has 1 to 100 letters, digits and the characters . @ - _ only."
	case st.Draft.StageIndex(name) >= 0:
		errs.AddStage = "The pipeline already has a stage called " + name + "."
	case len(st.Draft.Stages) >= plan.MaxStages:
		errs.AddStage = "A pipeline has at most 50 stages."
	}
	if errs.AddStage != "" {
		st.AddStage = true
		return
	}
	st.Draft.Stages = append(st.Draft.Stages, plan.Stage{Name: name, Actions: []plan.Action{}})
	st.AddStage, st.Editing, st.Action = false, len(st.Draft.Stages)-1, nil
	st.focus = stageControl(st.Editing, "add-group")
}

// stageControl is the id of one of a stage's buttons. The page focuses the button
// the user is likely to want next, which also scrolls a long pipeline back to
// where they were working.
func stageControl(stage int, name string) string {
	return "stage-" + strconv.Itoa(stage) + "-" + name
}

// maxOrder is the highest runOrder of a stage's actions, 0 when it has none.
func maxOrder(s plan.Stage) int {
	m := 0
	for i := range s.Actions {
		m = max(m, s.Actions[i].Order())
	}
	return m
}
