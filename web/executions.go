package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"stepline/sfn"
)

// historyPageSize is how many events the execution page shows at once.
const historyPageSize = 250

// executionView is the execution page's data.
type executionView struct {
	Execution sfn.Execution
	Machine   sfn.StateMachine // as the execution runs it
	Graph     graphView
	Events    []sfn.HistoryEvent
	Next      string // token of the next page of events
	Paged     bool
	Query     string // kept in the pager's links
	// LastEventID is the id after which the page's script asks for new events; 0 when
	// the table is not on its last page and so must not grow.
	LastEventID int64
}

// executionPage shows an execution: status, input and output, its graph coloured by
// what happened to each state, and its history.
func (c *Console) executionPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	arn := r.PathValue("arn")
	ex, err := c.deps.SFN.DescribeExecution(ctx, arn)
	if err != nil {
		return err
	}
	esm, err := c.deps.SFN.DescribeStateMachineForExecution(ctx, arn)
	if err != nil {
		return err
	}
	next := r.URL.Query().Get("next")
	events, token, err := c.deps.SFN.GetExecutionHistory(ctx, sfn.HistoryParams{
		ExecutionARN: arn, Page: sfn.Page{Max: historyPageSize, NextToken: next}})
	if err != nil {
		return err
	}
	outcomes, err := c.outcomes(r, arn, events, next == "" && token == "")
	if err != nil {
		return err
	}
	v := executionView{Execution: ex, Machine: esm.StateMachine, Graph: newGraphView(esm.StateMachine.Definition, outcomes),
		Events: events, Next: token, Paged: next != ""}
	if token == "" && len(events) > 0 {
		v.LastEventID = events[len(events)-1].ID
	}
	smName := ex.StateMachineARN
	if sm := esm.StateMachine.Name; sm != "" {
		smName = sm
	}
	return c.render(w, 0, "execution", view{
		Title: ex.Name, Nav: "statemachines",
		Crumbs: []crumb{{Text: "Step Functions"}, {Text: "State machines", Href: Prefix + "/statemachines"},
			{Text: smName, Href: stateMachineURL(ex.StateMachineARN)}, {Text: ex.Name}},
		Body: v,
	})
}

// outcomes reads the whole history to colour the graph; when the page already holds
// all of it, that is reused.
func (c *Console) outcomes(r *http.Request, arn string, page []sfn.HistoryEvent, complete bool) (map[string]string, error) {
	t := newOutcomeTracker()
	if complete {
		for _, ev := range page {
			t.add(ev)
		}
		return t.Outcomes, nil
	}
	token := ""
	for {
		events, next, err := c.deps.SFN.GetExecutionHistory(r.Context(), sfn.HistoryParams{
			ExecutionARN: arn, OmitData: true, Page: sfn.Page{Max: 1000, NextToken: token}})
		if err != nil {
			return nil, err
		}
		for _, ev := range events {
			t.add(ev)
		}
		if next == "" {
			return t.Outcomes, nil
		}
		token = next
	}
}

// pollEvent is one history event as the page's script appends it to the table.
type pollEvent struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Summary   string `json:"summary"`
	Details   string `json:"details"` // indented JSON, or empty
}

// pollStatus is a status in words with its tone.
type pollStatus struct {
	Text    string `json:"text"`
	Tone    string `json:"tone"`
	Icon    string `json:"icon"`
	Outcome string `json:"outcome,omitempty"` // a state's outcome, for marking the edges taken
}

// pollResponse is what the execution page's script reads every second while the
// execution runs.
type pollResponse struct {
	Status   string                `json:"status"` // as the service reports it; RUNNING until it ends
	Label    pollStatus            `json:"label"`
	StopDate string                `json:"stopDate"`
	Duration string                `json:"duration"`
	Output   *string               `json:"output,omitempty"`
	Error    string                `json:"error,omitempty"`
	Cause    string                `json:"cause,omitempty"`
	States   map[string]pollStatus `json:"states"`
	Events   []pollEvent           `json:"events"`
}

// executionPoll answers the execution page's script: the status, each state's
// outcome, and the events after the id it names.
func (c *Console) executionPoll(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	arn := r.PathValue("arn")
	after, _ := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64) // absent or bad: from the start
	ex, err := c.deps.SFN.DescribeExecution(ctx, arn)
	if err != nil {
		return err
	}
	t := newOutcomeTracker()
	resp := pollResponse{Status: ex.Status, StopDate: formatTime(ex.StopDate), Error: ex.Error, Cause: ex.Cause,
		States: map[string]pollStatus{}, Events: []pollEvent{}}
	if ex.Output != nil {
		o := prettyJSON(*ex.Output)
		resp.Output = &o
	}
	st := statusOf(ex.Status)
	resp.Label = pollStatus{Text: st.Text, Tone: st.Tone, Icon: st.Icon}
	end := ex.StopDate
	if end.IsZero() {
		end = time.Now()
	}
	resp.Duration = formatDuration(ex.StartDate, end)
	token := ""
	for {
		events, next, err := c.deps.SFN.GetExecutionHistory(ctx, sfn.HistoryParams{
			ExecutionARN: arn, Page: sfn.Page{Max: 1000, NextToken: token}})
		if err != nil {
			return err
		}
		for _, ev := range events {
			t.add(ev)
			if ev.ID > after && after > 0 {
				resp.Events = append(resp.Events, pollEvent{ID: ev.ID, Type: ev.Type, Timestamp: formatTime(ev.Timestamp),
					Summary: eventSummary(ev), Details: prettyJSON(string(ev.Details))})
			}
		}
		if next == "" {
			break
		}
		token = next
	}
	for name, o := range t.Outcomes {
		s := outcomeStatus(o)
		resp.States[name] = pollStatus{s.Text, s.Tone, s.Icon, o}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// executionStop stops a running execution and shows its page again.
func (c *Console) executionStop(w http.ResponseWriter, r *http.Request) error {
	arn := r.PathValue("arn")
	if _, err := c.deps.SFN.StopExecution(r.Context(), arn, "", "Stopped from the console"); err != nil {
		return err
	}
	http.Redirect(w, r, executionURL(arn), http.StatusSeeOther)
	return nil
}

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":"encode"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
