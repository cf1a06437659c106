package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"stepline"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/store"
)

// WorkerJob is a custom action's job as PollForJobs and GetJobDetails hand it to a job
// worker (https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-custom-action.html).
type WorkerJob struct {
	ID                string
	Nonce             string
	Account           string
	Job               action.Job
	ContinuationToken string
}

// WorkerLeaseDefault is how long a polled job stays with its worker before it times
// out: 24 hours, CodePipeline's timeout for custom actions
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
const WorkerLeaseDefault = 24 * time.Hour

// MaxPollBatch is PollForJobs' largest maxBatchSize.
const MaxPollBatch = 100

func jobNotFound(id string) *stepline.Error {
	return stepline.Errorf("JobNotFoundException", "Job with id %s not found", id)
}

// PollForJobs hands up to max queued jobs of a custom action type to a worker.
func (s *Service) PollForJobs(ctx context.Context, t plan.ActionTypeID, max int) ([]WorkerJob, error) {
	if t.Owner != "Custom" {
		return nil, stepline.Errorf("ActionTypeNotFoundException", "ActionType (Category: '%s', Provider: '%s', Owner: '%s', Version: '%s') is not a custom action type", t.Category, t.Provider, t.Owner, t.Version)
	}
	id := s.identity(ctx)
	custom, err := s.customLookup(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := custom(t); !ok {
		return nil, stepline.Errorf("ActionTypeNotFoundException", "ActionType (Category: '%s', Provider: '%s', Owner: 'Custom', Version: '%s') does not exist", t.Category, t.Provider, t.Version)
	}
	if max <= 0 {
		max = 1
	}
	tasks, err := s.store.TaskClaim(ctx, store.TaskClaimParams{
		Now: s.cfg.Clock.Now(), Owner: "worker", LeaseFor: WorkerLeaseDefault, Limit: min(max, MaxPollBatch),
		Kind: taskKind, Resource: actionTypeKey(id, t), State: jobQueued, NewState: jobDispatched,
	})
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	out := make([]WorkerJob, 0, len(tasks))
	for _, tk := range tasks {
		wj, err := s.workerJob(ctx, tk)
		if errors.Is(err, errJobGone) {
			continue
		}
		if err != nil {
			return out, err
		}
		out = append(out, wj)
	}
	return out, nil
}

// GetJobDetails returns a custom action's job by id.
func (s *Service) GetJobDetails(ctx context.Context, jobID string) (WorkerJob, error) {
	if err := s.customJob(ctx, jobID); err != nil {
		return WorkerJob{}, err
	}
	return s.jobDetails(ctx, jobID)
}

// jobDetails returns a custom or third-party job by id.
func (s *Service) jobDetails(ctx context.Context, jobID string) (WorkerJob, error) {
	tk, err := s.jobTask(ctx, jobID)
	if err != nil {
		return WorkerJob{}, err
	}
	wj, err := s.workerJob(ctx, tk)
	if errors.Is(err, errJobGone) {
		return wj, jobNotFound(jobID)
	}
	return wj, err
}

// AcknowledgeJob confirms a worker took a job; the nonce must be the one the poll gave
// it, so a second worker that polled the same job after a lapsed lease is refused.
func (s *Service) AcknowledgeJob(ctx context.Context, jobID, nonce string) (string, error) {
	if err := s.customJob(ctx, jobID); err != nil {
		return "", err
	}
	return s.acknowledgeJob(ctx, jobID, nonce)
}

func (s *Service) acknowledgeJob(ctx context.Context, jobID, nonce string) (string, error) {
	tk, err := s.jobTask(ctx, jobID)
	if err != nil {
		return "", err
	}
	if tk.State == jobAcknowledged && strconv.FormatInt(tk.Version-1, 10) == nonce {
		return "InProgress", nil
	}
	if tk.State != jobDispatched || strconv.FormatInt(tk.Version, 10) != nonce {
		return "", stepline.Errorf("InvalidNonceException", "The nonce %s is not valid for job %s", nonce, jobID)
	}
	tk.State = jobAcknowledged
	if _, err := s.store.TaskUpdate(ctx, tk); err != nil {
		return "", stepline.Errorf("InvalidNonceException", "The nonce %s is not valid for job %s", nonce, jobID)
	}
	return "InProgress", nil
}

// PutJobSuccessResult ends a job successfully, or, with a continuation token, queues
// the action's next job carrying the token.
func (s *Service) PutJobSuccessResult(ctx context.Context, jobID string, res plan.ActionResult) error {
	if err := s.customJob(ctx, jobID); err != nil {
		return err
	}
	return s.putJobSuccess(ctx, jobID, res)
}

func (s *Service) putJobSuccess(ctx context.Context, jobID string, res plan.ActionResult) error {
	tk, in, err := s.workerTask(ctx, jobID)
	if err != nil {
		return err
	}
	if res.ContinuationToken != "" {
		if err := s.apply(ctx, in.PipelineARN, plan.Event{Kind: plan.EventActionUpdated, ExecutionID: in.ExecutionID,
			ActionExecutionID: in.ActionExecutionID, Result: res}); err != nil {
			return err
		}
		tk.State, tk.Owner, tk.LeaseUntil = jobQueued, "", time.Time{}
		if _, err := s.store.TaskUpdate(ctx, tk); err != nil {
			return fmt.Errorf("queue continuation: %w", err)
		}
		return nil
	}
	job, err := s.jobDetails(ctx, jobID)
	if err != nil {
		return err
	}
	// A worker writes the declared outputs where the job told it to.
	res.OutputArtifacts = job.Job.OutputArtifacts
	return s.apply(ctx, in.PipelineARN, plan.Event{Kind: plan.EventActionCompleted, ExecutionID: in.ExecutionID,
		ActionExecutionID: in.ActionExecutionID, Status: plan.StatusSucceeded, Result: res})
}

// PutJobFailureResult fails a job; failureType is the FailureDetails type.
func (s *Service) PutJobFailureResult(ctx context.Context, jobID, failureType, message, externalID string) error {
	if err := s.customJob(ctx, jobID); err != nil {
		return err
	}
	return s.putJobFailure(ctx, jobID, failureType, message, externalID)
}

func (s *Service) putJobFailure(ctx context.Context, jobID, failureType, message, externalID string) error {
	_, in, err := s.workerTask(ctx, jobID)
	if err != nil {
		return err
	}
	return s.apply(ctx, in.PipelineARN, plan.Event{Kind: plan.EventActionCompleted, ExecutionID: in.ExecutionID,
		ActionExecutionID: in.ActionExecutionID, Status: plan.StatusFailed,
		Result: plan.ActionResult{ErrorCode: failureType, ErrorMessage: message, ExternalExecutionID: externalID}})
}

// workerTask returns a job a worker may report on: polled, not queued again.
func (s *Service) workerTask(ctx context.Context, jobID string) (store.Task, jobInput, error) {
	tk, err := s.jobTask(ctx, jobID)
	if err != nil {
		return tk, jobInput{}, err
	}
	if tk.State != jobDispatched && tk.State != jobAcknowledged {
		return tk, jobInput{}, stepline.Errorf("InvalidJobStateException", "Job %s is not in progress", jobID)
	}
	var in jobInput
	if err := json.Unmarshal(tk.Input, &in); err != nil {
		return tk, in, fmt.Errorf("decode job: %w", err)
	}
	return tk, in, nil
}

func (s *Service) jobTask(ctx context.Context, jobID string) (store.Task, error) {
	tk, err := s.store.TaskGetByToken(ctx, jobID)
	if errors.Is(err, store.ErrNotFound) || err == nil && tk.Kind != taskKind {
		return tk, jobNotFound(jobID)
	}
	if err != nil {
		return tk, fmt.Errorf("load job: %w", err)
	}
	return tk, nil
}

// workerJob builds what a worker sees of a job.
func (s *Service) workerJob(ctx context.Context, tk store.Task) (WorkerJob, error) {
	var in jobInput
	if err := json.Unmarshal(tk.Input, &in); err != nil {
		return WorkerJob{}, fmt.Errorf("decode job: %w", err)
	}
	doc, _, err := s.loadDoc(ctx, in.PipelineARN)
	if errors.Is(err, store.ErrNotFound) {
		return WorkerJob{}, errJobGone
	}
	if err != nil {
		return WorkerJob{}, err
	}
	snap, err := s.State(withIdentity(ctx, doc), doc.Name)
	if err != nil {
		return WorkerJob{}, err
	}
	e := snap.Runtime.Find(in.ExecutionID)
	if e == nil {
		return WorkerJob{}, errJobGone
	}
	run := e.Run(in.ActionExecutionID)
	if run == nil || run.Status != plan.StatusInProgress {
		return WorkerJob{}, errJobGone
	}
	job, _, ok := buildJob(snap.Pipeline, doc, e, in)
	if !ok {
		return WorkerJob{}, errJobGone
	}
	return WorkerJob{ID: tk.Token, Nonce: strconv.FormatInt(tk.Version, 10), Account: doc.Account, Job: job,
		ContinuationToken: run.Result.ContinuationToken}, nil
}
