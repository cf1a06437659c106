package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"stepline"
	"stepline/asl/validate"
	"stepline/sfn"
	"stepline/sfn/samples"
)

// Page sizes of the console's lists: small enough that a page renders in a few
// milliseconds whatever the account holds.
const (
	listPageSize      = 50
	executionPageSize = 25
)

// stateMachineList shows a page of state machines.
func (c *Console) stateMachineList(w http.ResponseWriter, r *http.Request) error {
	next := r.URL.Query().Get("next")
	sms, token, err := c.deps.SFN.StateMachineList(r.Context(), sfn.Page{Max: listPageSize, NextToken: next})
	if err != nil {
		return err
	}
	return c.render(w, 0, "statemachines", view{
		Title: "State machines", Nav: "statemachines",
		Crumbs: []crumb{{Text: "Step Functions"}, {Text: "State machines"}},
		Body: struct {
			Machines []sfn.StateMachine
			Next     string
			Paged    bool   // not on the first page
			Query    string // kept in the pager's links
		}{sms, token, next != "", ""},
	})
}

// createForm is the create page's form, with what the user typed and what was wrong
// with it.
type createForm struct {
	Templates  []samples.Template
	Template   string // the template the definition came from, if any
	Name       string
	Type       string
	RoleARN    string
	Definition string
	// Errors by field ("name", "type", "role", "definition", "form").
	Errors      map[string]string
	Diagnostics []validate.Diagnostic // the definition's problems, one per line
	// Preview is the definition drawn, when the user asked to check it first.
	Preview *graphView
}

// stateMachineNew shows the create form, filled from a template when one is named.
func (c *Console) stateMachineNew(w http.ResponseWriter, r *http.Request) error {
	all, err := samples.All()
	if err != nil {
		return err
	}
	f := createForm{Templates: all, Type: sfn.TypeStandard, RoleARN: c.deps.RoleARN, Errors: map[string]string{}}
	if name := r.URL.Query().Get("template"); name != "" {
		for _, t := range all {
			if t.Name == name {
				f.Template, f.Name, f.Definition = t.Name, t.Name, t.Definition
			}
		}
		if f.Template == "" {
			f.Errors["form"] = "There is no template called " + name + "."
		}
	}
	return c.renderCreate(w, 0, f)
}

func (c *Console) renderCreate(w http.ResponseWriter, status int, f createForm) error {
	return c.render(w, status, "statemachine_new", view{
		Title: "Create state machine", Nav: "statemachines",
		Crumbs: []crumb{{Text: "Step Functions"}, {Text: "State machines", Href: Prefix + "/statemachines"}, {Text: "Create"}},
		Body:   f,
	})
}

// stateMachineCreate creates a state machine from the form, or shows the form again
// with the service's objections beside the fields they concern. The form's "Check
// and preview" button asks for the definition's diagnostics and drawing instead.
func (c *Console) stateMachineCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return &httpError{Status: http.StatusBadRequest, Message: "The form could not be read."}
	}
	all, err := samples.All()
	if err != nil {
		return err
	}
	f := createForm{
		Templates: all, Template: r.PostForm.Get("template"), Name: strings.TrimSpace(r.PostForm.Get("name")),
		Type: r.PostForm.Get("type"), RoleARN: strings.TrimSpace(r.PostForm.Get("role")),
		Definition: r.PostForm.Get("definition"), Errors: map[string]string{},
	}
	if r.PostForm.Get("action") == "preview" {
		if f.Diagnostics = definitionErrors(f.Definition, f.Type); len(f.Diagnostics) > 0 {
			f.Errors["definition"] = "The definition is not valid."
		}
		g := newGraphView(f.Definition, nil)
		f.Preview = &g
		return c.renderCreate(w, 0, f)
	}
	res, err := c.deps.SFN.StateMachineCreate(r.Context(), sfn.StateMachineCreateParams{
		Name: f.Name, Definition: f.Definition, RoleARN: f.RoleARN, Type: f.Type,
	})
	var se *stepline.Error
	if errors.As(err, &se) {
		field := fieldOf(se)
		f.Errors[field] = se.Message
		if field == "definition" {
			f.Diagnostics = definitionErrors(f.Definition, f.Type)
		}
		return c.renderCreate(w, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, stateMachineURL(res.ARN), http.StatusSeeOther)
	return nil
}

// fieldOf says which form field a service error is about.
func fieldOf(e *stepline.Error) string {
	switch {
	case e.Code == "InvalidDefinition":
		return "definition"
	case e.Code == "InvalidName" || e.Code == "StateMachineAlreadyExists":
		return "name"
	case e.Code == "InvalidArn":
		return "role"
	case strings.Contains(e.Message, "'type'"):
		return "type"
	}
	return "form"
}

// definitionErrors lists a definition's errors one by one, the same diagnostics the
// service joined into its message.
func definitionErrors(def, typ string) []validate.Diagnostic {
	var out []validate.Diagnostic
	for _, d := range validate.Definition(def, validate.Options{Type: typ}) {
		if d.Severity == validate.SeverityError {
			out = append(out, d)
		}
	}
	return out
}

// stateMachineView is the state machine page's data.
type stateMachineView struct {
	Machine    sfn.StateMachine
	Graph      graphView
	Executions []sfn.Execution
	Next       string
	Paged      bool
	Query      string   // kept in the pager's links: the status filter
	Status     string   // the status the executions are filtered by; empty for any
	Statuses   []string // the statuses to filter by
	Versions   []sfn.StateMachineVersion
	Aliases    []sfn.Alias
	// StartError is the service's objection to the last start, shown by the form.
	StartError string
	StartName  string
	StartInput string
	// ExpressStarted is the ARN of the Express execution just started, which has no
	// page of its own.
	ExpressStarted string
}

// stateMachinePage shows a state machine: its graph, definition, executions, versions
// and aliases, and the form to start an execution.
func (c *Console) stateMachinePage(w http.ResponseWriter, r *http.Request) error {
	v, err := c.loadStateMachineView(r, r.PathValue("arn"))
	if err != nil {
		return err
	}
	return c.renderStateMachine(w, 0, v)
}

func (c *Console) loadStateMachineView(r *http.Request, arn string) (stateMachineView, error) {
	ctx := r.Context()
	sm, err := c.deps.SFN.StateMachineGet(ctx, arn)
	if err != nil {
		return stateMachineView{}, err
	}
	v := stateMachineView{Machine: sm, Graph: newGraphView(sm.Definition, nil), StartInput: "{}",
		ExpressStarted: r.URL.Query().Get("express")}
	if sm.Type == sfn.TypeStandard {
		next := r.URL.Query().Get("next")
		v.Status = r.URL.Query().Get("status")
		v.Statuses = []string{sfn.ExecRunning, sfn.ExecSucceeded, sfn.ExecFailed, sfn.ExecTimedOut, sfn.ExecAborted}
		if v.Status != "" {
			v.Query = "status=" + url.QueryEscape(v.Status)
		}
		v.Executions, v.Next, err = c.deps.SFN.ListExecutions(ctx, sfn.ListExecutionsParams{
			StateMachineARN: sm.ARN, StatusFilter: v.Status, Page: sfn.Page{Max: executionPageSize, NextToken: next}})
		if err != nil {
			return v, err
		}
		v.Paged = next != ""
	}
	// Versions and aliases are extras: a failure to list them leaves them out rather
	// than the whole page.
	if vs, _, err := c.deps.SFN.VersionList(ctx, sm.ARN, sfn.Page{Max: listPageSize}); err == nil {
		v.Versions = vs
	}
	if as, _, err := c.deps.SFN.AliasList(ctx, sm.ARN, sfn.Page{Max: listPageSize}); err == nil {
		v.Aliases = as
	}
	return v, nil
}

func (c *Console) renderStateMachine(w http.ResponseWriter, status int, v stateMachineView) error {
	return c.render(w, status, "statemachine", view{
		Title: v.Machine.Name, Nav: "statemachines",
		Crumbs: []crumb{{Text: "Step Functions"}, {Text: "State machines", Href: Prefix + "/statemachines"}, {Text: v.Machine.Name}},
		Body:   v,
	})
}

// executionStart starts an execution from the form and opens its page; the service's
// objections (a bad name, input that is not JSON) are shown by the form.
func (c *Console) executionStart(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return &httpError{Status: http.StatusBadRequest, Message: "The form could not be read."}
	}
	arn := r.PathValue("arn")
	name := strings.TrimSpace(r.PostForm.Get("name"))
	input := r.PostForm.Get("input")
	if strings.TrimSpace(input) == "" {
		input = "{}"
	}
	res, err := c.deps.SFN.StartExecution(r.Context(), sfn.StartExecutionParams{StateMachineARN: arn, Name: name, Input: &input})
	var se *stepline.Error
	if errors.As(err, &se) && se.Code != "StateMachineDoesNotExist" {
		v, lerr := c.loadStateMachineView(r, arn)
		if lerr != nil {
			return lerr
		}
		v.StartError, v.StartName, v.StartInput = se.Message, name, input
		return c.renderStateMachine(w, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	if a, err := sfn.ParseARN(res.ExecutionARN); err == nil && a.Type == "express" {
		// An Express execution keeps no history to show: say it started and stay.
		http.Redirect(w, r, stateMachineURL(arn)+"?express="+url.QueryEscape(res.ExecutionARN), http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, executionURL(res.ExecutionARN), http.StatusSeeOther)
	return nil
}
