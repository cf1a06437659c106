package web

import (
	"net/http"
	"time"

	"stepline/pipeline"
)

// pipelineRow is one line of the pipelines list.
type pipelineRow struct {
	pipeline.Summary
	LatestStatus string    // the newest execution's status; empty when none ran
	LatestStart  time.Time // when it started
}

// pipelineList shows a page of pipelines with the status of each one's latest
// execution. The page of a pipeline and the editor come later and slot in beside it.
func (c *Console) pipelineList(w http.ResponseWriter, r *http.Request) error {
	body := struct {
		Enabled bool
		Rows    []pipelineRow
		Next    string // the name to list after, for the next page
		Paged   bool
	}{Enabled: c.deps.Pipelines != nil}
	after := r.URL.Query().Get("after")
	body.Paged = after != ""
	if c.deps.Pipelines != nil {
		sums, more, err := c.deps.Pipelines.ListPipelines(r.Context(), after, listPageSize)
		if err != nil {
			return err
		}
		for _, s := range sums {
			row := pipelineRow{Summary: s}
			// The latest status is a convenience; a pipeline whose state cannot be
			// read still gets its line.
			if snap, err := c.deps.Pipelines.State(r.Context(), s.Name); err == nil {
				if n := len(snap.Runtime.Executions); n > 0 {
					latest := snap.Runtime.Executions[n-1]
					row.LatestStatus, row.LatestStart = latest.Status, latest.StartTime
				}
			}
			body.Rows = append(body.Rows, row)
		}
		if more && len(sums) > 0 {
			body.Next = sums[len(sums)-1].Name
		}
	}
	return c.render(w, 0, "pipelines", view{
		Title: "Pipelines", Nav: "pipelines",
		Crumbs: []crumb{{Text: "Pipelines"}},
		Body:   body,
	})
}
