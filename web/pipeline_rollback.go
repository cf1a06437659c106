package web

import (
	"net/http"
	"time"

	"stepline/pipeline"
	"stepline/pipeline/plan"
)

// "Start rollback" on a stage of a V2 pipeline: the user picks an earlier execution
// that succeeded in the stage and the stage runs again with its revisions and
// artifacts (RollbackStage).

// rollbackTarget is one execution a stage can be rolled back to.
type rollbackTarget struct {
	ID      string
	Started time.Time
}

// rollbackTargets are the executions stage i can be rolled back to, newest first: those
// that succeeded in it on the current pipeline version and are not rollbacks
// themselves, other than current (the execution the stage shows now). None for a V1
// pipeline, one in PARALLEL mode, or the source stage, where RollbackStage refuses.
func rollbackTargets(snap pipeline.Snapshot, i int, current string) []rollbackTarget {
	p := &snap.Pipeline
	if i == 0 || p.Type() != plan.PipelineTypeV2 || p.Mode() == plan.ModeParallel {
		return nil
	}
	name := p.Stages[i].Name
	var out []rollbackTarget
	execs := snap.Runtime.Executions // oldest first
	for k := len(execs) - 1; k >= 0; k-- {
		e := execs[k]
		if e.ID == current || e.Type == plan.ExecutionRollback || e.PipelineVersion != p.Version {
			continue
		}
		if run, ok := e.StageRunOf(name, i, p.Version); ok && run.Status == plan.StatusSucceeded {
			out = append(out, rollbackTarget{ID: e.ID, Started: e.StartTime})
		}
	}
	return out
}

// pipelineRollback is the rollback form's Start rollback: RollbackStage to the chosen
// target execution.
func (c *Console) pipelineRollback(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	f := formState{Kind: "rollback", Stage: r.PostFormValue("stage"), Reason: r.PostFormValue("target")}
	if f.Reason == "" {
		err = invalid("Choose the pipeline execution to roll back to.")
	} else {
		_, err = svc.RollbackStage(r.Context(), r.PathValue("name"), f.Stage, f.Reason)
	}
	if err != nil {
		return c.actionFailed(w, r, f, err)
	}
	actionDone(w, r, "rollback")
	return nil
}
