package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"stepline"
	"stepline/pipeline/plan"
)

// start applies a start event and returns the new execution's id.
func (s *Service) start(ctx context.Context, arn string, trigger plan.ExecTrigger, vars map[string]string) (string, error) {
	id := s.cfg.NewID()
	return id, s.apply(ctx, arn, plan.Event{Kind: plan.EventStart, ExecutionID: id, Trigger: trigger, Variables: vars})
}

// StartPipelineExecution starts an execution with the latest revision of every source
// ("Release change"). A clientRequestToken makes it idempotent: the same token gives
// the same execution id.
func (s *Service) StartPipelineExecution(ctx context.Context, name string, vars map[string]string, clientToken string, revs []plan.SourceRevision) (string, error) {
	_, rec, p, err := s.load(ctx, name, 0)
	if err != nil {
		return "", err
	}
	if err := checkSourceRevisions(p, revs); err != nil {
		return "", err
	}
	for k := range vars {
		found := false
		for _, v := range p.Variables {
			found = found || v.Name == k
		}
		if !found {
			return "", stepline.Errorf(plan.CodeValidation, "Pipeline variable '%s' is not declared in the pipeline", k)
		}
	}
	id := s.cfg.NewID()
	if clientToken != "" {
		sum := sha256.Sum256([]byte(rec.Key + "\x00" + clientToken))
		h := hex.EncodeToString(sum[:16])
		id = h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
	}
	ident := s.identity(ctx)
	err = s.apply(ctx, rec.Key, plan.Event{
		Kind: plan.EventStart, ExecutionID: id, Variables: vars, SourceRevisions: revs,
		Trigger: plan.ExecTrigger{Type: "StartPipelineExecution", Detail: "arn:" + ident.Partition + ":iam::" + ident.Account + ":root"},
	})
	return id, err
}

// checkSourceRevisions accepts overrides only for source actions of the pipeline, of a
// type their provider understands; S3_OBJECT_KEY needs AllowOverrideForS3ObjectKey
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_SourceRevisionOverride.html).
func checkSourceRevisions(p plan.Pipeline, revs []plan.SourceRevision) error {
	for _, r := range revs {
		var a *plan.Action
		for k := range p.Stages[0].Actions {
			if p.Stages[0].Actions[k].Name == r.ActionName {
				a = &p.Stages[0].Actions[k]
			}
		}
		if a == nil {
			return stepline.Errorf(plan.CodeValidation, "Source action '%s' does not exist in the pipeline", r.ActionName)
		}
		ok := false
		switch a.ActionTypeID.Provider {
		case "S3":
			ok = r.RevisionType == "S3_OBJECT_VERSION_ID" ||
				r.RevisionType == "S3_OBJECT_KEY" && a.Configuration["AllowOverrideForS3ObjectKey"] == "true"
		case "CodeCommit", "CodeStarSourceConnection":
			ok = r.RevisionType == "COMMIT_ID"
		case "ECR":
			ok = r.RevisionType == "IMAGE_DIGEST"
		}
		if !ok {
			return stepline.Errorf(plan.CodeValidation, "Revision type %s is not supported for source action '%s'", r.RevisionType, r.ActionName)
		}
	}
	return nil
}

// StopPipelineExecution stops an execution: abandon false waits for running actions.
func (s *Service) StopPipelineExecution(ctx context.Context, name, executionID string, abandon bool, reason string) error {
	return s.event(ctx, name, plan.Event{Kind: plan.EventStop, ExecutionID: executionID, Abandon: abandon, Reason: reason})
}

// RetryStageExecution retries a failed or stopped stage of an execution.
func (s *Service) RetryStageExecution(ctx context.Context, name, stage, executionID, mode string) error {
	return s.event(ctx, name, plan.Event{Kind: plan.EventRetry, ExecutionID: executionID, Stage: stage, RetryMode: mode})
}

// SetStageTransition enables or disables a stage's inbound transition. Outbound
// transitions are the next stage's inbound ones; the last stage has none.
func (s *Service) SetStageTransition(ctx context.Context, name, stage, transitionType string, enabled bool, reason string) error {
	_, _, p, err := s.load(ctx, name, 0)
	if err != nil {
		return err
	}
	i := p.StageIndex(stage)
	if i < 0 {
		return stepline.Errorf(plan.CodeStageNotFound, "Stage '%s' not found in pipeline '%s'", stage, name)
	}
	if transitionType == "Outbound" {
		if i+1 >= len(p.Stages) {
			return stepline.Errorf(plan.CodeValidation, "Stage '%s' has no outbound transition", stage)
		}
		stage = p.Stages[i+1].Name
	}
	id := s.identity(ctx)
	return s.event(ctx, name, plan.Event{Kind: plan.EventTransition, Stage: stage, Enabled: enabled, Reason: reason,
		By: "arn:" + id.Partition + ":iam::" + id.Account + ":root"})
}

// PutApprovalResult answers a Manual approval and returns when it was approved.
func (s *Service) PutApprovalResult(ctx context.Context, name, stage, actionName, status, summary, token string) error {
	_, _, p, err := s.load(ctx, name, 0)
	if err != nil {
		return err
	}
	i := p.StageIndex(stage)
	if i < 0 {
		return stepline.Errorf(plan.CodeStageNotFound, "Stage '%s' not found in pipeline '%s'", stage, name)
	}
	found := false
	for _, a := range p.Stages[i].Actions {
		found = found || a.Name == actionName
	}
	if !found {
		return stepline.Errorf(plan.CodeActionNotFound, "Action '%s' not found in stage '%s'", actionName, stage)
	}
	id := s.identity(ctx)
	return s.event(ctx, name, plan.Event{Kind: plan.EventApproval, Stage: stage, Action: actionName, Status: status,
		Reason: summary, Token: token, By: "arn:" + id.Partition + ":iam::" + id.Account + ":root"})
}

func (s *Service) event(ctx context.Context, name string, ev plan.Event) error {
	_, rec, _, err := s.load(ctx, name, 0)
	if err != nil {
		return err
	}
	return s.apply(ctx, rec.Key, ev)
}

// Execution returns one execution of a pipeline, kept or archived, with the
// pipeline's declaration, its secrets masked.
func (s *Service) Execution(ctx context.Context, name, id string) (*plan.Execution, Snapshot, error) {
	snap, err := s.maskedState(ctx, name)
	if err != nil {
		return nil, snap, err
	}
	e, err := s.findExecution(ctx, snap, name, id)
	return e, snap, err
}

// Executions returns a pipeline's executions, newest first, with the declaration's
// secrets masked.
func (s *Service) Executions(ctx context.Context, name string) ([]*plan.Execution, Snapshot, error) {
	snap, err := s.State(ctx, name)
	if err != nil {
		return nil, snap, err
	}
	secret, err := s.secretKeys(ctx)
	if err != nil {
		return nil, snap, err
	}
	snap.Pipeline = maskSecrets(snap.Pipeline, secret)
	// Executions are kept oldest first.
	out := make([]*plan.Execution, 0, len(snap.Runtime.Executions))
	for i := len(snap.Runtime.Executions) - 1; i >= 0; i-- {
		out = append(out, snap.Runtime.Executions[i])
	}
	return out, snap, nil
}

// PutActionRevision tells the pipeline that a source action has a new revision and
// starts an execution with it (trigger PutActionRevision); a revision the action
// already delivered last is not new and starts nothing
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutActionRevision.html).
func (s *Service) PutActionRevision(ctx context.Context, name, stage, actionName, revisionID string) (bool, string, error) {
	_, rec, p, err := s.load(ctx, name, 0)
	if err != nil {
		return false, "", err
	}
	i := p.StageIndex(stage)
	if i < 0 {
		return false, "", stepline.Errorf(plan.CodeStageNotFound, "Stage '%s' not found in pipeline '%s'", stage, name)
	}
	a := findAction(p, stage, actionName)
	if a == nil {
		return false, "", stepline.Errorf(plan.CodeActionNotFound, "Action '%s' not found in stage '%s'", actionName, stage)
	}
	snap, err := s.State(ctx, name)
	if err != nil {
		return false, "", err
	}
	for k := len(snap.Runtime.Executions) - 1; k >= 0; k-- {
		run := snap.Runtime.Executions[k].Latest(stage, actionName)
		if run == nil || run.Status != plan.StatusSucceeded {
			continue
		}
		for _, o := range run.Result.OutputArtifacts {
			if o.Revision == revisionID {
				return false, "", nil
			}
		}
		break
	}
	var revs []plan.SourceRevision
	if i == 0 {
		switch a.ActionTypeID.Provider {
		case "S3":
			revs = []plan.SourceRevision{{ActionName: actionName, RevisionType: "S3_OBJECT_VERSION_ID", RevisionValue: revisionID}}
		case "CodeCommit", "CodeStarSourceConnection":
			revs = []plan.SourceRevision{{ActionName: actionName, RevisionType: "COMMIT_ID", RevisionValue: revisionID}}
		}
	}
	id := s.cfg.NewID()
	err = s.apply(ctx, rec.Key, plan.Event{Kind: plan.EventStart, ExecutionID: id, SourceRevisions: revs,
		Trigger: plan.ExecTrigger{Type: "PutActionRevision", Detail: actionName}})
	return true, id, err
}
