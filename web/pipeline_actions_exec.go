package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"stepline/pipeline/plan"
)

// runRow is one action execution in an execution's detail view.
type runRow struct {
	Stage    string
	Action   string
	Attempt  int
	Status   string
	Started  time.Time
	Updated  time.Time
	Summary  string
	External string
	Link     string // our execution page for a Step Functions execution ARN
	Error    string
}

// pipelineExecView is one pipeline execution in detail.
type pipelineExecView struct {
	Pipeline  string
	Row       historyRow
	Detail    string // the trigger's detail
	Summary   string
	Version   int
	Stop      string // the stop reason, with how it stopped
	Variables []configEntry
	Runs      []runRow
}

// pipelineExecutionPage shows one execution: what started it, its source revisions,
// variables, and every action execution in order, retries included.
func (c *Console) pipelineExecutionPage(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	e, snap, err := svc.Execution(r.Context(), name, r.PathValue("id"))
	if err != nil {
		return err
	}
	v := pipelineExecView{Pipeline: name, Row: historyOf(snap, e, time.Now()), Detail: e.Trigger.Detail,
		Summary: e.StatusSummary, Version: e.PipelineVersion}
	if e.StopReason != "" || e.Status == plan.StatusStopped || e.Status == plan.StatusStopping {
		how := "Stop and wait"
		if e.StopAbandon {
			how = "Stop and abandon"
		}
		v.Stop = how
		if e.StopReason != "" {
			v.Stop += ": " + e.StopReason
		}
	}
	for _, k := range slices.Sorted(maps.Keys(e.Variables)) {
		v.Variables = append(v.Variables, configEntry{k, e.Variables[k]})
	}
	for _, a := range e.Actions {
		row := runRow{Stage: a.Stage, Action: a.Action, Attempt: a.Attempt, Status: a.Status, Started: a.StartTime,
			Updated: a.Updated, Summary: a.Result.Summary, External: a.Result.ExternalExecutionID}
		if strings.HasPrefix(row.External, "arn:") && strings.Contains(row.External, ":states:") && strings.Contains(row.External, ":execution:") {
			row.Link = executionURL(row.External)
		}
		if a.Result.ErrorCode != "" || a.Result.ErrorMessage != "" {
			row.Error = strings.TrimSpace(a.Result.ErrorCode + ": " + a.Result.ErrorMessage)
		}
		v.Runs = append(v.Runs, row)
	}
	return c.render(w, 0, "pipeline_execution", view{
		Title: "Execution " + e.ID, Nav: "pipelines",
		Crumbs: []crumb{{Text: "Pipelines", Href: Prefix + "/pipelines"}, {Text: name, Href: pipelineURL(name)}, {Text: e.ID}},
		Body:   v,
	})
}

// pipelineExecutionURL is the detail view of a pipeline execution.
func pipelineExecutionURL(name, id string) string {
	return pipelineURL(name) + "/executions/" + url.PathEscape(id)
}
