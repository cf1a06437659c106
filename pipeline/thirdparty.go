package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"stepline"
	"stepline/pipeline/plan"
	"stepline/store"
)

// ThirdPartyJobRef is one job PollForThirdPartyJobs hands out: the job id and the
// client id the worker must send back as clientToken with every later call for it.
type ThirdPartyJobRef struct {
	ID       string
	ClientID string
}

// thirdPartyPrefix marks the outbox resource of ThirdParty jobs, so they never share a
// queue with a custom action type of the same category, provider and version.
const thirdPartyPrefix = "ThirdParty/"

// workerResource is the outbox resource a job worker's poll claims by: Custom jobs by
// their action type's key, ThirdParty jobs by the same key under thirdPartyPrefix.
func workerResource(id stepline.Identity, t plan.ActionTypeID) string {
	if t.Owner == OwnerThirdParty {
		return thirdPartyPrefix + actionTypeKey(id, t)
	}
	return actionTypeKey(id, t)
}

// isWorkerOwner reports whether actions of this owner wait for a job worker's poll
// instead of running in process.
func isWorkerOwner(owner string) bool { return owner == OwnerCustom || owner == OwnerThirdParty }

// PollForThirdPartyJobs hands up to max queued jobs of a ThirdParty action type to a
// partner's worker. All jobs of one poll share a fresh client id: the pair's
// clientToken portion, which the worker sends back on every later call for those jobs
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PollForThirdPartyJobs.html).
func (s *Service) PollForThirdPartyJobs(ctx context.Context, t plan.ActionTypeID, max int) ([]ThirdPartyJobRef, error) {
	if t.Owner != OwnerThirdParty {
		return nil, stepline.Errorf("ActionTypeNotFoundException", "ActionType (Category: '%s', Provider: '%s', Owner: '%s', Version: '%s') is not a third-party action type",
			t.Category, t.Provider, t.Owner, t.Version)
	}
	decl, err := s.GetActionType(ctx, t)
	if err != nil {
		return nil, err
	}
	if max <= 0 {
		max = 1
	}
	// A job not answered within the executor's jobTimeout (24 hours by default, the
	// timeout of custom actions) fails its action.
	lease := WorkerLeaseDefault
	if decl.Executor.JobTimeout > 0 {
		lease = time.Duration(decl.Executor.JobTimeout) * time.Second
	}
	clientID := s.cfg.NewID()
	tasks, err := s.store.TaskClaim(ctx, store.TaskClaimParams{
		Now: s.cfg.Clock.Now(), Owner: "worker", LeaseFor: lease, Limit: min(max, MaxPollBatch),
		Kind: taskKind, Resource: workerResource(s.identity(ctx), t), State: jobQueued, NewState: jobDispatched,
		WorkerName: clientID,
	})
	if err != nil {
		return nil, fmt.Errorf("claim jobs: %w", err)
	}
	out := make([]ThirdPartyJobRef, 0, len(tasks))
	for _, tk := range tasks {
		if _, err := s.workerJob(ctx, tk); errors.Is(err, errJobGone) {
			continue
		} else if err != nil {
			return out, err
		}
		out = append(out, ThirdPartyJobRef{ID: tk.Token, ClientID: clientID})
	}
	return out, nil
}

// thirdPartyTask returns a polled ThirdParty job if clientToken is the client id its
// poll gave. A job of another kind is not found; a job not handed out (queued again
// after a continuation token) or handed to another poll refuses the token.
func (s *Service) thirdPartyTask(ctx context.Context, jobID, clientToken string) (store.Task, error) {
	tk, err := s.jobTask(ctx, jobID)
	if err != nil {
		return tk, err
	}
	if !strings.HasPrefix(tk.Resource, thirdPartyPrefix) {
		return tk, jobNotFound(jobID)
	}
	if tk.WorkerName == "" || tk.WorkerName != clientToken || tk.State != jobDispatched && tk.State != jobAcknowledged {
		return tk, stepline.Errorf("InvalidClientTokenException", "The client token %s is not valid for job %s", clientToken, jobID)
	}
	return tk, nil
}

// GetThirdPartyJobDetails returns a polled ThirdParty job with its nonce.
func (s *Service) GetThirdPartyJobDetails(ctx context.Context, jobID, clientToken string) (WorkerJob, error) {
	tk, err := s.thirdPartyTask(ctx, jobID, clientToken)
	if err != nil {
		return WorkerJob{}, err
	}
	wj, err := s.workerJob(ctx, tk)
	if errors.Is(err, errJobGone) {
		return wj, stepline.Errorf("InvalidJobException", "Job %s is no longer in progress", jobID)
	}
	return wj, err
}

// AcknowledgeThirdPartyJob is AcknowledgeJob for a ThirdParty job, checking the
// client token first.
func (s *Service) AcknowledgeThirdPartyJob(ctx context.Context, jobID, nonce, clientToken string) (string, error) {
	if _, err := s.thirdPartyTask(ctx, jobID, clientToken); err != nil {
		return "", err
	}
	return s.acknowledgeJob(ctx, jobID, nonce)
}

// PutThirdPartyJobSuccessResult ends a ThirdParty job successfully or, with a
// continuation token, queues the action's next job carrying the token. revision, when
// set, is the source revision the job delivered (currentRevision), recorded on its
// output artifacts.
func (s *Service) PutThirdPartyJobSuccessResult(ctx context.Context, jobID, clientToken, revision string, res plan.ActionResult) error {
	if _, err := s.thirdPartyTask(ctx, jobID, clientToken); err != nil {
		return err
	}
	if res.ContinuationToken != "" || revision == "" {
		return s.putJobSuccess(ctx, jobID, res)
	}
	_, in, err := s.workerTask(ctx, jobID)
	if err != nil {
		return err
	}
	job, err := s.jobDetails(ctx, jobID)
	if err != nil {
		return err
	}
	for _, o := range job.Job.OutputArtifacts {
		o.Revision = revision
		res.OutputArtifacts = append(res.OutputArtifacts, o)
	}
	return s.apply(ctx, in.PipelineARN, plan.Event{Kind: plan.EventActionCompleted, ExecutionID: in.ExecutionID,
		ActionExecutionID: in.ActionExecutionID, Status: plan.StatusSucceeded, Result: res})
}

// PutThirdPartyJobFailureResult fails a ThirdParty job.
func (s *Service) PutThirdPartyJobFailureResult(ctx context.Context, jobID, clientToken, failureType, message, externalID string) error {
	if _, err := s.thirdPartyTask(ctx, jobID, clientToken); err != nil {
		return err
	}
	return s.putJobFailure(ctx, jobID, failureType, message, externalID)
}

// customJob refuses the custom job calls (GetJobDetails, AcknowledgeJob,
// PutJob*Result) for ThirdParty jobs, which are reached only with their client token.
func (s *Service) customJob(ctx context.Context, jobID string) error {
	tk, err := s.jobTask(ctx, jobID)
	if err != nil {
		return err
	}
	if strings.HasPrefix(tk.Resource, thirdPartyPrefix) {
		return jobNotFound(jobID)
	}
	return nil
}
