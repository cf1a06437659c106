package web

import (
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"stepline/pipeline"
	"stepline/pipeline/plan"
)

// pipelineHistorySize is how many executions a page of the pipeline's history lists.
const pipelineHistorySize = 50

// historyCursorRE is the shape of pipeline.ExecutionCursor: the start time in
// microseconds, 19 digits, and the execution id.
var historyCursorRE = regexp.MustCompile(`^[0-9]{19}/[A-Za-z0-9-]{1,64}$`)

// pipelineView is the pipeline page's data.
type pipelineView struct {
	Pipeline  plan.Pipeline // secrets masked
	Meta      pipeline.Metadata
	Stages    []stageView
	History   []historyRow
	Paged     bool   // the history shows a later page, not the newest executions
	Older     string // the cursor of the next page of older executions; "" at the end
	PageQuery string // the query that shows this page again
	Confirm   bool   // ask before releasing a change
	Started   string // the execution "Release change" just started
	Notice    string // what an action of the page just did
	Done      string // which control did it, for the notice's data-done
	Form      formState
	JSON      string // the declaration, indented, secrets masked
	State     string // the fingerprint the page's script compares with /poll's
	// Unplaced is a control's error that has no control on the page to sit beside
	// (a stage that no longer exists): it is shown at the top instead.
	Unplaced string
}

// stageView is one stage as drawn: the latest execution to enter it and the latest
// run of each of its actions in that execution, as GetPipelineState reports them.
type stageView struct {
	Name        string
	Status      string // the stage's status in ExecutionID; empty when none entered it
	ExecutionID string
	Inbound     string // an execution waiting in front of the stage
	Disabled    string // the reason the inbound transition is disabled; empty when enabled
	DisabledSet bool
	Actions     []actionView
	// Stoppable is the execution inside the stage that "Stop execution" stops; empty
	// when none runs there.
	Stoppable string
	// Retryable is the failed or stopped execution "Retry" would run the stage again for.
	Retryable string
	// Rollback are the executions "Start rollback" offers, newest first; none when
	// the stage cannot be rolled back.
	Rollback []rollbackTarget
	// Conditions are the stage's entry, success and failure conditions.
	Conditions []conditionView
}

// actionView is one action of a stage.
type actionView struct {
	Anchor       string // the id of its details on the page
	Name         string
	Category     string
	ProviderName string // the provider's display name
	Link         string // where its provider name leads
	Status       string // empty when it has not run in the stage's latest execution
	ExecutionID  string // the pipeline execution the status is from
	ActionID     string // actionExecutionId
	External     string // externalExecutionId
	Summary      string
	Error        string
	LastChange   time.Time
	Config       []configEntry
	// Token is the approval token of a Manual approval waiting for "Review"; empty
	// otherwise.
	Token string
}

// configEntry is one configuration property, for the action's details.
type configEntry struct{ Key, Value string }

// historyRow is one execution in the history table.
type historyRow struct {
	ID        string
	Status    string
	Trigger   string
	Rollback  string // the target of a rollback execution; empty for a standard one
	Started   time.Time
	Ended     time.Time // zero while it runs
	Duration  string
	Revisions []revisionView
}

// revisionView is the source revision one source action fetched for an execution.
type revisionView struct {
	Action   string
	Revision string // a commit id or object version id; may be empty
	Summary  string
}

// Short is the revision as people read it: a commit id's first 7 characters, other
// ids whole up to 12.
func (r revisionView) Short() string {
	if len(r.Revision) == 40 {
		return r.Revision[:7]
	}
	if len(r.Revision) > 12 {
		return r.Revision[:12] + "…"
	}
	return r.Revision
}

// providerNames are the display names of the providers the console knows.
var providerNames = map[string]string{
	"StepFunctions":  "AWS Step Functions",
	"S3":             "Amazon S3",
	"CodeCommit":     "AWS CodeCommit",
	"Manual":         "Manual approval",
	"CodeBuild":      "AWS CodeBuild",
	"Lambda":         "AWS Lambda",
	"CloudFormation": "AWS CloudFormation",
	"ECR":            "Amazon ECR",
	"ECS":            "Amazon ECS",
	"CodeDeploy":     "AWS CodeDeploy",
}

// providerName is how the console names an action's provider.
func providerName(t plan.ActionTypeID) string {
	if t.Owner == "AWS" || t.Owner == "" {
		if n, ok := providerNames[t.Provider]; ok {
			return n
		}
	}
	return t.Provider
}

// pipelineURL is the console page of a pipeline.
func pipelineURL(name string) string { return Prefix + "/pipelines/" + url.PathEscape(name) }

// pipelineService is the pipeline service, or a 404 saying it does not run.
func (c *Console) pipelineService() (*pipeline.Service, error) {
	if c.deps.Pipelines == nil {
		return nil, notFound("This server does not run the pipeline service.")
	}
	return c.deps.Pipelines, nil
}

// pipelinePage shows a pipeline: its stages top to bottom with the latest run of each
// action and the controls that act on them, "Release change", and its executions.
func (c *Console) pipelinePage(w http.ResponseWriter, r *http.Request) error {
	done := r.URL.Query().Get("done")
	return c.renderPipeline(w, r, 0, pipelineOpts{Started: r.URL.Query().Get("started"), Notice: notices[done], Done: done})
}

// pipelineReleaseConfirm is the pipeline page asking whether to release a change.
func (c *Console) pipelineReleaseConfirm(w http.ResponseWriter, r *http.Request) error {
	return c.renderPipeline(w, r, 0, pipelineOpts{Confirm: true})
}

// pipelineRelease starts an execution with the latest revision of every source and
// goes back to the pipeline's page.
func (c *Console) pipelineRelease(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	id, err := svc.StartPipelineExecution(r.Context(), name, nil, "", nil)
	if err != nil {
		return err
	}
	http.Redirect(w, r, pipelineURL(name)+"?started="+url.QueryEscape(id), http.StatusSeeOther)
	return nil
}

// pipelineOpts are what a request adds to the pipeline page.
type pipelineOpts struct {
	Confirm bool
	Started string
	Notice  string
	Done    string // the control that left Notice
	Form    formState
}

// renderPipeline writes the pipeline page with status (0: 200).
func (c *Console) renderPipeline(w http.ResponseWriter, r *http.Request, status int, o pipelineOpts) error {
	v, err := c.pipelineData(r, o)
	if err != nil {
		return err
	}
	return c.render(w, status, "pipeline", view{
		Title: v.Pipeline.Name, Nav: "pipelines",
		Crumbs: []crumb{{Text: "Pipelines", Href: Prefix + "/pipelines"}, {Text: v.Pipeline.Name}},
		Body:   v,
	})
}

// pipelineData reads what the pipeline page shows.
func (c *Console) pipelineData(r *http.Request, o pipelineOpts) (pipelineView, error) {
	svc, err := c.pipelineService()
	if err != nil {
		return pipelineView{}, err
	}
	name := r.PathValue("name")
	before := r.URL.Query().Get("before")
	if !historyCursorRE.MatchString(before) {
		before = "" // a cursor the page did not make: the newest executions
	}
	page, err := svc.ListExecutions(r.Context(), name, pipeline.ExecutionPageParams{Before: before, Limit: pipelineHistorySize})
	if err != nil {
		return pipelineView{}, err
	}
	snap := page.Snapshot
	v := pipelineView{Pipeline: snap.Pipeline, Meta: snap.Meta, Confirm: o.Confirm,
		Stages: stageViews(snap), Started: o.Started, Notice: o.Notice, Done: o.Done, Form: o.Form}
	v.JSON = declarationJSON(snap.Pipeline)
	v.State = stateFingerprint(snap)
	addStageControls(snap, v.Stages)
	if v.Form.Error != "" && !formPlaced(v.Form, v.Stages) {
		v.Unplaced = v.Form.Error
	}
	v.Paged, v.Older = before != "", page.Next
	if v.Paged {
		v.PageQuery = "?before=" + url.QueryEscape(before)
	}
	now := time.Now()
	for _, e := range page.Executions {
		v.History = append(v.History, historyOf(snap, e, now))
	}
	return v, nil
}

// formPlaced reports whether the page has the element a control's error is shown in.
func formPlaced(f formState, stages []stageView) bool {
	for i, s := range stages {
		if s.Name != f.Stage {
			continue
		}
		switch f.Kind {
		case "transition":
			return i > 0
		case "stop-inbound":
			return s.Inbound != ""
		case "override":
			for _, cv := range s.Conditions {
				if cv.Type == f.Action {
					return true
				}
			}
			return false
		case "review":
			for _, a := range s.Actions {
				if a.Name == f.Action {
					return true
				}
			}
			return false
		}
		return true
	}
	return false
}

// historyOf is one execution's line in the history.
func historyOf(snap pipeline.Snapshot, e *plan.Execution, now time.Time) historyRow {
	row := historyRow{ID: e.ID, Status: e.Status, Trigger: e.Trigger.Type, Started: e.StartTime}
	if e.Type == plan.ExecutionRollback {
		row.Rollback = e.RollbackTarget
	}
	end := now
	if !e.Active() {
		row.Ended, end = e.LastUpdateTime, e.LastUpdateTime
	}
	row.Duration = formatDuration(e.StartTime, end)
	row.Revisions = sourceRevisions(snap.Pipeline, e)
	return row
}

// sourceRevisions are the revisions the source actions (the first stage's) fetched for
// an execution, as ListPipelineExecutions reports them in sourceRevisions.
func sourceRevisions(p plan.Pipeline, e *plan.Execution) []revisionView {
	if len(p.Stages) == 0 {
		return nil
	}
	var out []revisionView
	for _, a := range p.Stages[0].Actions {
		run := e.Latest(p.Stages[0].Name, a.Name)
		if run == nil || run.Status != plan.StatusSucceeded {
			continue
		}
		rv := revisionView{Action: a.Name, Summary: run.Result.Summary}
		for _, o := range run.Result.OutputArtifacts {
			if o.Revision != "" {
				rv.Revision = o.Revision
				break
			}
		}
		out = append(out, rv)
	}
	return out
}

// stageViews reads, per stage, the latest execution to enter it and the latest run of
// each action there, the way GetPipelineState does.
func stageViews(snap pipeline.Snapshot) []stageView {
	execs := snap.Runtime.Executions // oldest first
	var out []stageView
	for i, st := range snap.Pipeline.Stages {
		sv := stageView{Name: st.Name}
		if i > 0 && !snap.Runtime.TransitionEnabled(st.Name) {
			sv.DisabledSet = true
			if t := snap.Runtime.Transitions[st.Name]; t != nil {
				sv.Disabled = t.Reason
			}
		}
		var latest *plan.Execution
		var run plan.StageRun
		for k := len(execs) - 1; k >= 0; k-- {
			e := execs[k]
			if latest == nil {
				if sr, ok := e.StageRunOf(st.Name, i, snap.Pipeline.Version); ok {
					latest, run = e, sr
				}
			}
			if sv.Inbound == "" && e.Inbound && e.Stage == i && e.Active() {
				sv.Inbound = e.ID
			}
		}
		if latest != nil {
			sv.Status, sv.ExecutionID = run.Status, latest.ID
			if latest.PipelineVersion == snap.Pipeline.Version && latest.Holds(i) {
				sv.Stoppable = latest.ID
			}
			if !latest.Active() && (sv.Status == plan.StatusFailed || sv.Status == plan.StatusStopped) {
				sv.Retryable = latest.ID
			}
		}
		for j, a := range st.Actions {
			av := actionView{
				Anchor: "action-" + strconv.Itoa(i) + "-" + strconv.Itoa(j),
				Name:   a.Name, Category: a.ActionTypeID.Category, ProviderName: providerName(a.ActionTypeID),
			}
			av.Link = "#" + av.Anchor
			for _, k := range slices.Sorted(maps.Keys(a.Configuration)) {
				av.Config = append(av.Config, configEntry{k, a.Configuration[k]})
			}
			if latest != nil {
				if run := latest.Latest(st.Name, a.Name); run != nil {
					av.Status, av.ExecutionID, av.ActionID = run.Status, latest.ID, run.ID
					av.External, av.Summary, av.LastChange = run.Result.ExternalExecutionID, run.Result.Summary, run.Updated
					if run.Token != "" && run.Status == plan.StatusInProgress {
						av.Token = run.Token
					}
					if run.Result.ErrorCode != "" || run.Result.ErrorMessage != "" {
						av.Error = strings.TrimSpace(run.Result.ErrorCode + ": " + run.Result.ErrorMessage)
					}
				}
			}
			// A Step Functions action leads to the execution it started.
			if a.ActionTypeID.Provider == "StepFunctions" && strings.HasPrefix(av.External, "arn:") &&
				strings.Contains(av.External, ":execution:") {
				av.Link = executionURL(av.External)
			}
			sv.Actions = append(sv.Actions, av)
		}
		out = append(out, sv)
	}
	return out
}
