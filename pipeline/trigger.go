package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"stepline/pipeline/plan"
	"stepline/store"
)

// S3SourceChanged starts every pipeline whose S3 source action watches bucket/key, and
// returns the started execution ids. On AWS a change is noticed by polling
// (PollForSourceChanges, the default) or by an EventBridge rule; here the object store
// reports each new object, which stands for both, and the trigger type says which one
// the action asked for
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html).
func (s *Service) S3SourceChanged(ctx context.Context, bucket, key string) ([]string, error) {
	return s.startWatching(ctx, func(a plan.Action) bool {
		return a.ActionTypeID.Provider == "S3" && a.Configuration["S3Bucket"] == bucket && a.Configuration["S3ObjectKey"] == key
	})
}

// startWatching starts once every pipeline with a source action that watches matches.
func (s *Service) startWatching(ctx context.Context, watches func(plan.Action) bool) ([]string, error) {
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindPipeline, AnyParent: true})
	if err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	var started []string
	for _, rec := range recs {
		var doc pipelineDoc
		if err := json.Unmarshal(rec.Data, &doc); err != nil {
			continue
		}
		p, err := s.declaration(ctx, doc, doc.Version)
		if err != nil || len(p.Stages) == 0 {
			continue
		}
		for _, a := range p.Stages[0].Actions {
			if a.ActionTypeID.Category != plan.CategorySource || a.ActionTypeID.Owner != "AWS" || !watches(a) {
				continue
			}
			trigger := plan.ExecTrigger{Type: "PollForSourceChanges", Detail: a.Name}
			if a.Configuration["PollForSourceChanges"] == "false" {
				trigger = plan.ExecTrigger{Type: "CloudWatchEvent", Detail: "arn:" + doc.Partition + ":events:" + doc.Region + ":" + doc.Account + ":rule/" + doc.Name}
			}
			execID, err := s.start(withIdentity(ctx, doc), rec.Key, trigger, nil)
			if err != nil {
				return started, err
			}
			started = append(started, execID)
			break // one execution per pipeline, whichever source changed
		}
	}
	return started, nil
}

// BranchChanged starts every pipeline whose CodeCommit source action follows the
// branch of the repository, as the EventBridge rule (or polling) does on AWS after a
// push, and returns the started execution ids.
func (s *Service) BranchChanged(ctx context.Context, repository, branch string) ([]string, error) {
	return s.startWatching(ctx, func(a plan.Action) bool {
		return a.ActionTypeID.Provider == "CodeCommit" && a.Configuration["RepositoryName"] == repository && a.Configuration["BranchName"] == branch
	})
}

// ReferenceUpdated is BranchChanged for the repositories' reference hook: ref is a
// full reference name; only branches that still exist start pipelines. It runs in the
// background, as the hook must not block a push.
func (s *Service) ReferenceUpdated(repository, ref, newCommit string) {
	branch, ok := strings.CutPrefix(ref, "refs/heads/")
	ctx := s.background()
	if !ok || newCommit == "" || ctx == nil {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if _, err := s.BranchChanged(ctx, repository, branch); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("start pipelines for push", "repository", repository, "branch", branch, "err", err)
		}
	}()
}

// ObjectCreated is S3SourceChanged for the object store's creation hook, which must
// not block the writer: it runs in the background and logs failures.
func (s *Service) ObjectCreated(bucket, key string) {
	ctx := s.background()
	if ctx == nil {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if _, err := s.S3SourceChanged(ctx, bucket, key); err != nil && ctx.Err() == nil {
			s.cfg.Logger.Warn("start pipelines for source change", "bucket", bucket, "key", key, "err", err)
		}
	}()
}
