package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"stepline"
	"stepline/pipeline/plan"
	"stepline/store"
)

// Job task vocabulary in the store's outbox.
const (
	taskKind     = "pipeline.job"
	jobScheduled = "scheduled"
	jobRunning   = "running"
	jobWaiting   = "waiting"
	// Custom action jobs: queued for PollForJobs, dispatched to a worker, then
	// acknowledged by it.
	jobQueued       = "queued"
	jobDispatched   = "dispatched"
	jobAcknowledged = "acknowledged"
)

// jobInput is a job task's Input: enough to find the action run again.
type jobInput struct {
	PipelineARN       string `json:"pipelineArn"`
	ExecutionID       string `json:"executionId"`
	ActionExecutionID string `json:"actionExecutionId"`
	Stage             string `json:"stage"`
	Action            string `json:"action"`
	// Condition is set for a rule job: the condition type; Action is then the rule's
	// name and ActionExecutionID the rule execution id.
	Condition string `json:"condition,omitempty"`
}

// maxKeptExecutions bounds the finished executions a runtime keeps; older ones move
// to the archive (retention.go). Every change rewrites the whole runtime, so this
// bounds the size of each write too (a few KB per execution).
const maxKeptExecutions = 100

// createRuntime writes a new pipeline's empty runtime.
func (s *Service) createRuntime(ctx context.Context, doc pipelineDoc) error {
	rt := plan.Runtime{Seed: s.cfg.NewID()}
	snap, _ := json.Marshal(rt)
	now := s.cfg.Clock.Now()
	err := s.store.HistoryAppend(ctx, store.HistoryAppendParams{
		Create: true,
		Execution: store.Execution{
			ARN: doc.RuntimeARN, StateMachineARN: doc.arn(),
			Name: doc.Name, Status: "RUNNING", StartTime: now, Snapshot: snap,
		},
		ExpectNextEventID: 1,
		Events:            []store.HistoryEvent{{ID: 1, Timestamp: now, Type: "PipelineCreated"}},
	})
	if err != nil {
		return fmt.Errorf("create pipeline runtime: %w", err)
	}
	return nil
}

// Snapshot is a pipeline as of one read: its current declaration and its executions.
type Snapshot struct {
	Pipeline plan.Pipeline
	Meta     Metadata
	Runtime  plan.Runtime
}

// State returns a pipeline's declaration and runtime, for GetPipelineState and the
// execution listings.
func (s *Service) State(ctx context.Context, name string) (Snapshot, error) {
	doc, rec, p, err := s.load(ctx, name, 0)
	if err != nil {
		return Snapshot{}, err
	}
	ex, err := s.store.ExecutionGet(ctx, doc.RuntimeARN)
	if err != nil {
		return Snapshot{}, fmt.Errorf("load pipeline runtime: %w", err)
	}
	var rt plan.Runtime
	if err := json.Unmarshal(ex.Snapshot, &rt); err != nil {
		return Snapshot{}, fmt.Errorf("decode pipeline runtime: %w", err)
	}
	return Snapshot{Pipeline: p, Meta: Metadata{PipelineARN: rec.Key, Created: doc.Created, Updated: doc.Updated}, Runtime: rt}, nil
}

// apply runs one event through the planner and commits the result as one store write:
// the event, the new runtime, jobs for the actions it starts, and the removal of jobs
// whose action ended. It retries on a conflicting write.
func (s *Service) apply(ctx context.Context, arn string, ev plan.Event) error {
	_, err := s.applyRT(ctx, arn, ev)
	return err
}

func (s *Service) applyRT(ctx context.Context, arn string, ev plan.Event) (plan.Runtime, error) {
	for attempt := 0; ; attempt++ {
		doc, _, err := s.loadDoc(ctx, arn)
		if errors.Is(err, store.ErrNotFound) {
			return plan.Runtime{}, stepline.Errorf("PipelineNotFoundException", "Pipeline '%s' does not exist", arn)
		}
		if err != nil {
			return plan.Runtime{}, err
		}
		p, err := s.declaration(ctx, doc, doc.Version)
		if err != nil {
			return plan.Runtime{}, fmt.Errorf("load pipeline version: %w", err)
		}
		rt, tasks, err := s.commit(ctx, doc, p, ev)
		if errors.Is(err, store.ErrConflict) && attempt < 100 {
			continue
		}
		if err != nil {
			return rt, err
		}
		s.dispatch(tasks, &prepared{doc: doc, p: p, rt: rt})
		return rt, nil
	}
}

func (s *Service) commit(ctx context.Context, doc pipelineDoc, p plan.Pipeline, ev plan.Event) (plan.Runtime, []store.Task, error) {
	ex, err := s.store.ExecutionGet(ctx, doc.RuntimeARN)
	if err != nil {
		return plan.Runtime{}, nil, fmt.Errorf("load pipeline runtime: %w", err)
	}
	var old plan.Runtime
	if err := json.Unmarshal(ex.Snapshot, &old); err != nil {
		return old, nil, fmt.Errorf("decode pipeline runtime: %w", err)
	}
	now := s.cfg.Clock.Now()
	if ev.Time.IsZero() {
		ev.Time = now
	}
	rt, cmds, err := plan.Next(&p, old, ev)
	if err != nil {
		return old, nil, err
	}
	cutoff := now.Add(-s.cfg.Retention)
	rt, archived, expired := splitRuntime(rt, cutoff)
	if err := s.retire(ctx, doc.RuntimeARN, archived, expired, cutoff); err != nil {
		return old, nil, err
	}
	params := store.HistoryAppendParams{ExpectNextEventID: ex.NextEventID}
	evData, _ := json.Marshal(ev)
	params.Events = []store.HistoryEvent{{ID: ex.NextEventID, PreviousEventID: ex.NextEventID - 1, Timestamp: now, Type: ev.Kind, Details: evData}}
	for _, c := range cmds {
		if c.Kind == plan.CommandRunRule {
			params.TasksAdd = append(params.TasksAdd, ruleTask(doc, c, now))
			continue
		}
		if c.Kind != plan.CommandRunAction {
			continue
		}
		in, _ := json.Marshal(jobInput{PipelineARN: doc.arn(),
			ExecutionID: c.ExecutionID, ActionExecutionID: c.ActionExecutionID, Stage: c.Stage, Action: c.Action})
		tk := store.Task{
			ExecutionARN: doc.RuntimeARN, ID: c.ActionExecutionID, Kind: taskKind, State: jobScheduled, Input: in, CreatedAt: now,
		}
		if a := findAction(p, c.Stage, c.Action); a != nil && isWorkerOwner(a.ActionTypeID.Owner) {
			// Custom and ThirdParty actions wait for a job worker's poll
			// (PollForJobs, PollForThirdPartyJobs); the job id is the action
			// execution id.
			tk.State = jobQueued
			tk.Resource = workerResource(doc.identity(), a.ActionTypeID)
			tk.Token = c.ActionExecutionID
		}
		params.TasksAdd = append(params.TasksAdd, tk)
	}
	params.TasksDelete = endedRuns(old, rt)
	snap, err := json.Marshal(rt)
	if err != nil {
		return rt, nil, fmt.Errorf("encode pipeline runtime: %w", err)
	}
	ex.Snapshot = snap
	params.Execution = ex
	if err := s.store.HistoryAppend(ctx, params); err != nil {
		return rt, nil, err
	}
	var run []store.Task
	for _, tk := range params.TasksAdd {
		if tk.State == jobScheduled {
			run = append(run, tk)
		}
	}
	return rt, run, nil
}

func findAction(p plan.Pipeline, stage, action string) *plan.Action {
	i := p.StageIndex(stage)
	if i < 0 {
		return nil
	}
	for k := range p.Stages[i].Actions {
		if p.Stages[i].Actions[k].Name == action {
			return &p.Stages[i].Actions[k]
		}
	}
	return nil
}

// endedRuns lists the action runs that were running before and are not now: their
// jobs leave the outbox in the same write.
func endedRuns(old, now plan.Runtime) []string {
	var ids []string
	for _, e := range old.Executions {
		for _, a := range e.Actions {
			if a.Status != plan.StatusInProgress {
				continue
			}
			ne := now.Find(e.ID)
			if ne == nil {
				ids = append(ids, a.ID)
				continue
			}
			if r := ne.Run(a.ID); r == nil || r.Status != plan.StatusInProgress {
				ids = append(ids, a.ID)
			}
		}
		ids = append(ids, endedRules(e, now.Find(e.ID))...)
	}
	return ids
}
