package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/store"
)

// errJobGone means the job's action run already ended: nothing to do.
var errJobGone = errors.New("pipeline job already ended")

// dispatch runs jobs this node just wrote, at once: the job loop is only the safety net
// for jobs whose node died.
func (s *Service) dispatch(tasks []store.Task, pre *prepared) {
	ctx := s.background()
	if ctx == nil {
		return // not started: the job loop picks them up after Start
	}
	for _, tk := range tasks {
		// The claim is a write of its own: make it off the caller's path, so an API
		// call that starts actions answers as soon as its own write is committed.
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			tk.Version = 1
			tk.State = jobRunning
			tk.Owner = s.cfg.NodeID
			tk.LeaseUntil = s.cfg.Clock.Now().Add(s.cfg.JobLease)
			claimed, err := s.store.TaskUpdate(ctx, tk)
			if err != nil {
				return // someone else took it, or it already ended
			}
			s.runJobSync(ctx, claimed, pre)
		}()
	}
}

// prepared is the state a job was written with, so the node that wrote it can start it
// without reading it back.
type prepared struct {
	doc pipelineDoc
	p   plan.Pipeline
	rt  plan.Runtime
}

// jobLoop claims jobs that are scheduled but unowned, or whose owner's lease lapsed.
func (s *Service) jobLoop(ctx context.Context) {
	for ctx.Err() == nil {
		now := s.cfg.Clock.Now()
		for _, state := range []string{jobScheduled, jobRunning} {
			tasks, err := s.store.TaskClaim(ctx, store.TaskClaimParams{
				Now: now, Owner: s.cfg.NodeID, LeaseFor: s.cfg.JobLease, Limit: 32,
				Kind: taskKind, State: state, NewState: jobRunning,
			})
			if err != nil && ctx.Err() == nil {
				s.cfg.Logger.Warn("claim pipeline jobs", "err", err)
			}
			for _, tk := range tasks {
				s.runJob(ctx, tk, nil)
			}
		}
		s.expireWaiting(ctx, now)
		select {
		case <-ctx.Done():
			return
		case <-s.cfg.Clock.After(s.cfg.JobPoll):
		}
	}
}

// ownerDeadline marks a parked job's lease: it holds the job until its timeout.
const ownerDeadline = "deadline"

// expireWaiting fails parked jobs whose timeout passed: an unanswered approval fails
// the action, as CodePipeline does after the approval's timeout.
// Jobs handed to a job worker time out the same way when their worker lease lapses.
func (s *Service) expireWaiting(ctx context.Context, now time.Time) {
	var tasks []store.Task
	for _, state := range []string{jobWaiting, jobDispatched, jobAcknowledged} {
		claimed, err := s.store.TaskClaim(ctx, store.TaskClaimParams{
			Now: now, Owner: s.cfg.NodeID, LeaseFor: s.cfg.JobLease, Limit: 32,
			Kind: taskKind, State: state, NewState: jobRunning,
		})
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("claim timed-out pipeline jobs", "err", err)
		}
		tasks = append(tasks, claimed...)
	}
	for _, tk := range tasks {
		var in jobInput
		if err := json.Unmarshal(tk.Input, &in); err != nil {
			continue
		}
		if in.Condition != "" {
			s.runJob(ctx, tk, nil) // a rule waits, not times out: evaluate it again (rule.go)
			continue
		}
		err := s.apply(ctx, in.PipelineARN, plan.Event{
			Kind: plan.EventActionCompleted, ExecutionID: in.ExecutionID, ActionExecutionID: in.ActionExecutionID,
			Status: plan.StatusFailed, Result: plan.ActionResult{ErrorCode: "JobFailed", ErrorMessage: "The action timed out"},
		})
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("time out pipeline job", "action", in.ActionExecutionID, "err", err)
		}
	}
}

// runJob runs one claimed job in the background, renewing its lease while it runs.
func (s *Service) runJob(ctx context.Context, tk store.Task, pre *prepared) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.runJobSync(ctx, tk, pre)
	}()
}

// runJobSync runs one claimed job to its end (or until it parks or ctx ends).
func (s *Service) runJobSync(ctx context.Context, tk store.Task, pre *prepared) {
	var in jobInput
	if err := json.Unmarshal(tk.Input, &in); err != nil {
		s.cfg.Logger.Error("decode pipeline job", "err", err)
		return
	}
	jctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lease := make(chan store.Task, 1)
	lease <- tk
	go s.keepLease(jctx, lease, cancel)
	out, err := s.execute(jctx, in, pre)
	if errors.Is(err, errJobGone) {
		return
	}
	if err != nil {
		if ctx.Err() != nil {
			return // shutting down: the lease lapses and another run resumes it
		}
		out = action.Fail(err.Error())
	}
	cancel()
	if out.Status == action.Waiting {
		// A parked job is leased to nobody until its deadline, so the job loop
		// claims it only once it has timed out.
		tk = <-lease
		tk.State = jobWaiting
		tk.Owner = ownerDeadline
		tk.LeaseUntil = time.Time{}
		if out.Timeout > 0 {
			tk.LeaseUntil = s.cfg.Clock.Now().Add(out.Timeout)
		} else {
			tk.LeaseUntil = s.cfg.Clock.Now().Add(100 * 365 * 24 * time.Hour)
		}
		if _, err := s.store.TaskUpdate(ctx, tk); err != nil && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
			s.cfg.Logger.Warn("park pipeline job", "err", err)
		}
		if out.Result.Summary != "" || out.Result.ExternalURL != "" || out.Result.ExternalExecutionID != "" {
			s.report(ctx, in, out.Result)
		}
		return
	}
	err = s.apply(ctx, in.PipelineARN, plan.Event{
		Kind: plan.EventActionCompleted, ExecutionID: in.ExecutionID, ActionExecutionID: in.ActionExecutionID,
		Status: out.Status, Result: out.Result,
	})
	if err != nil && ctx.Err() == nil {
		s.cfg.Logger.Warn("complete pipeline job", "action", in.ActionExecutionID, "err", err)
	}
}

// keepLease renews the job's lease at a third of its length; if the job was taken
// away (it ended through an abandon, or another node claimed it) the run is cancelled.
func (s *Service) keepLease(ctx context.Context, lease chan store.Task, cancel func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.cfg.Clock.After(s.cfg.JobLease / 3):
		}
		tk := <-lease
		tk.LeaseUntil = s.cfg.Clock.Now().Add(s.cfg.JobLease)
		nt, err := s.store.TaskUpdate(ctx, tk)
		if err != nil {
			lease <- tk
			if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
				cancel()
				return
			}
			continue
		}
		lease <- nt
	}
}

// report records progress of a running action.
func (s *Service) report(ctx context.Context, in jobInput, res plan.ActionResult) {
	err := s.apply(ctx, in.PipelineARN, plan.Event{
		Kind: plan.EventActionUpdated, ExecutionID: in.ExecutionID, ActionExecutionID: in.ActionExecutionID, Result: res,
	})
	if err != nil && ctx.Err() == nil {
		s.cfg.Logger.Warn("report pipeline job", "action", in.ActionExecutionID, "err", err)
	}
}

// execute builds the job from the current runtime and runs its provider.
func (s *Service) execute(ctx context.Context, in jobInput, pre *prepared) (action.Outcome, error) {
	if pre == nil {
		doc, _, err := s.loadDoc(ctx, in.PipelineARN)
		if err != nil {
			return action.Outcome{}, fmt.Errorf("load pipeline: %w", err)
		}
		snap, err := s.State(withIdentity(ctx, doc), doc.Name)
		if err != nil {
			return action.Outcome{}, err
		}
		pre = &prepared{doc: doc, p: snap.Pipeline, rt: snap.Runtime}
	}
	doc := pre.doc
	snap := Snapshot{Pipeline: pre.p, Runtime: pre.rt}
	e := snap.Runtime.Find(in.ExecutionID)
	if e == nil {
		return action.Fail("pipeline execution not found"), nil
	}
	if in.Condition != "" {
		return evaluateRule(snap.Pipeline, e, in, s.cfg.Clock.Now())
	}
	run := e.Run(in.ActionExecutionID)
	if run == nil || run.Status != plan.StatusInProgress {
		return action.Outcome{}, errJobGone
	}
	job, decl, ok := buildJob(snap.Pipeline, doc, e, in)
	if !ok {
		return action.Fail("action not found in the pipeline declaration"), nil
	}
	prov, ok := s.cfg.Providers[decl.ActionTypeID]
	if !ok {
		id := decl.ActionTypeID
		return action.Fail(fmt.Sprintf("Action type (Category: '%s', Owner: '%s', Provider: '%s', Version: '%s') is not supported by this server",
			id.Category, id.Owner, id.Provider, id.Version)), nil
	}
	return prov.Run(ctx, job, func(res plan.ActionResult) { s.report(ctx, in, res) })
}
