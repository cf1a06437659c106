package web

import (
	"net/http"
	"strings"
	"time"

	"stepline/pipeline"
	"stepline/pipeline/plan"
)

// A stage's conditions as the pipeline page shows them: each gate's latest evaluation
// in the stage's latest execution and the latest run of each of its rules, as
// GetPipelineState reports them, with "Override" while the rules of an entry or
// success condition run (OverrideStageCondition).

// conditionView is one gate of a stage: its entry, success or failure condition.
type conditionView struct {
	Type    string // plan.ConditionBeforeEntry, ConditionOnSuccess or ConditionOnFailure
	Label   string // as AWS's console words it
	Result  string // the declared result, engaged when the condition fails
	Status  string // the latest evaluation's status; empty when not evaluated
	Summary string
	Updated time.Time
	Rules   []ruleView
	// Execution is the execution whose evaluation "Override" ends; empty when the
	// condition cannot be overridden now.
	Execution string
}

// ruleView is one rule of a condition and its latest run.
type ruleView struct {
	Name     string
	Provider string
	Status   string // empty when it has not run
	Summary  string
	Error    string
}

// conditionGates are the gates in the order the page lists them, with AWS's words.
var conditionGates = []struct{ Type, Label string }{
	{plan.ConditionBeforeEntry, "Entry conditions"},
	{plan.ConditionOnSuccess, "Success conditions"},
	{plan.ConditionOnFailure, "Failure conditions"},
}

// conditionViews reads a stage's conditions from e, the latest execution to enter it
// (nil when none did).
func conditionViews(st plan.Stage, e *plan.Execution) []conditionView {
	var out []conditionView
	for _, g := range conditionGates {
		conds := st.ConditionsOf(g.Type)
		if len(conds) == 0 {
			continue
		}
		cv := conditionView{Type: g.Type, Label: g.Label, Result: conds[0].Result}
		if cv.Result == "" {
			cv.Result = plan.ResultFail // an omitted result means FAIL
		}
		var run *plan.ConditionRun
		if e != nil {
			run = e.LastCondition(st.Name, g.Type)
		}
		if run != nil {
			cv.Status, cv.Summary, cv.Updated = run.Status, run.Summary, run.Updated
			if run.Status == plan.StatusInProgress && e.Active() && g.Type != plan.ConditionOnFailure && cv.Result != plan.ResultSkip {
				cv.Execution = e.ID
			}
		}
		for _, rule := range conds[0].Rules {
			rv := ruleView{Name: rule.Name, Provider: rule.RuleTypeID.Provider}
			if run != nil {
				if rr := e.LatestRule(st.Name, g.Type, rule.Name); rr != nil {
					rv.Status, rv.Summary = rr.Status, rr.Result.Summary
					if rr.Result.ErrorCode != "" || rr.Result.ErrorMessage != "" {
						rv.Error = strings.TrimSpace(rr.Result.ErrorCode + ": " + rr.Result.ErrorMessage)
					}
				}
			}
			cv.Rules = append(cv.Rules, rv)
		}
		out = append(out, cv)
	}
	return out
}

// addStageControls adds to the stages what the rollback and condition controls need.
func addStageControls(snap pipeline.Snapshot, stages []stageView) {
	for i := range stages {
		if i >= len(snap.Pipeline.Stages) {
			return
		}
		sv := &stages[i]
		sv.Rollback = rollbackTargets(snap, i, sv.ExecutionID)
		sv.Conditions = conditionViews(snap.Pipeline.Stages[i], snap.Runtime.Find(sv.ExecutionID))
	}
}

// pipelineOverride is a condition's "Override": OverrideStageCondition for the
// execution whose entry or success condition is being evaluated.
func (c *Console) pipelineOverride(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	f := formState{Kind: "override", Stage: r.PostFormValue("stage"), Action: r.PostFormValue("type")}
	if f.Action != plan.ConditionBeforeEntry && f.Action != plan.ConditionOnSuccess {
		err = invalid("Only an entry or success condition can be overridden.")
	} else {
		err = svc.OverrideStageCondition(r.Context(), r.PathValue("name"), f.Stage, r.PostFormValue("execution"), f.Action)
	}
	if err != nil {
		return c.actionFailed(w, r, f, err)
	}
	actionDone(w, r, "override")
	return nil
}
