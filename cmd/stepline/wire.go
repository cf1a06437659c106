package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"stepline"
	"stepline/api/codecommitapi"
	"stepline/api/githttp"
	"stepline/api/pipelineapi"
	"stepline/api/s3api"
	"stepline/api/server"
	"stepline/api/sfnapi"
	"stepline/objects"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/approval"
	"stepline/pipeline/action/codecommit"
	"stepline/pipeline/action/s3deploy"
	"stepline/pipeline/action/s3source"
	"stepline/pipeline/action/stepfunctions"
	"stepline/pipeline/plan"
	"stepline/repos"
	"stepline/sfn"
	"stepline/store"
	"stepline/web"
)

// services is everything `serve` runs over one store, and the handler for the port.
type services struct {
	sfn      *sfn.Service
	pipeline *pipeline.Service
	objects  *objects.Service
	// collectOrphans is set when this process is the only one writing blobs (SQLite
	// mode), so blobs left by a crash can be removed at start without racing a writer.
	collectOrphans bool
	// orphans collects orphaned blobs beside other nodes (PostgreSQL mode), sparing
	// those younger than the grace period: another node may be writing them.
	orphans *objects.OrphanCollector
	// checkShared, set with PostgreSQL, tells whether the blob dir is the one the
	// other nodes use.
	checkShared func(context.Context) error
	logger      *slog.Logger
	handler     http.Handler
}

// buildServices wires the services and their APIs. Object blobs and git repositories
// are files under the blob dir (the data dir unless --blob-dir names a directory
// shared by every node) whatever the database is.
func buildServices(st store.Store, cfg Config, nodeID string, logger *slog.Logger) (*services, error) {
	id := stepline.Identity{Account: cfg.Account, Region: cfg.Region, Partition: "aws"}
	sv := &services{logger: logger}

	blobDir := filepath.Join(cfg.blobRoot(), "blobs")
	if err := os.MkdirAll(blobDir, 0o755); err != nil {
		return nil, fmt.Errorf("create blob dir: %w", err)
	}
	blobs, err := objects.OpenFSBlobs(blobDir)
	if err != nil {
		return nil, fmt.Errorf("open blobs: %w", err)
	}
	objs := objects.New(objects.Config{Store: st, Blobs: blobs, Logger: logger, Region: cfg.Region})
	sv.objects, sv.collectOrphans = objs, !cfg.IsPostgres()
	// Distributed Maps read items from and write results to the same S3.
	sv.sfn = sfn.New(st, sfn.Config{Identity: id, NodeID: nodeID, Logger: logger, Objects: sfn.ObjectsService{S: objs},
		MaxOpenExecutions: cfg.MaxOpenExecutions})
	if cfg.IsPostgres() {
		sv.orphans = &objects.OrphanCollector{Service: objs, Grace: cfg.OrphanGrace}
		sv.checkShared = func(ctx context.Context) error { return objects.CheckSharedDir(ctx, st, cfg.blobRoot()) }
	}

	repoDir := filepath.Join(cfg.blobRoot(), "repos")
	if err := os.MkdirAll(repoDir, 0o755); err != nil {
		return nil, fmt.Errorf("create repository dir: %w", err)
	}
	rs, err := repos.New(repos.Config{Store: st, Dir: repoDir, Logger: logger, Identity: id})
	if err != nil {
		return nil, fmt.Errorf("open repositories: %w", err)
	}
	var gitCreds *githttp.Credentials
	if cfg.GitCredentials != "" {
		if gitCreds, err = githttp.LoadCredentials(cfg.GitCredentials); err != nil {
			return nil, err
		}
	}

	// Action providers that exist so far; an action of another type fails when it runs.
	// Artifacts are zips in the pipeline's artifact bucket, served by our own S3 API.
	arts := action.Objects{S: objs, CreateBuckets: true}
	sv.pipeline = pipeline.New(st, pipeline.Config{Identity: id, NodeID: nodeID, Logger: logger,
		Providers: map[plan.ActionTypeID]action.Provider{
			{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:            s3source.Provider{Objects: arts},
			{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"}:    codecommit.Provider{Repos: rs, Artifacts: arts},
			{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}:      approval.Provider{},
			{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}: &stepfunctions.Provider{Machines: stepfunctions.Local{SFN: sv.sfn}, Artifacts: arts},
			{Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1"}:            s3deploy.Provider{Artifacts: arts, Bucket: s3deploy.ObjectStore{S: objs}},
		}})
	// Source change detection: a new object or a push starts the pipelines watching it.
	objs.OnObjectCreated(func(_ context.Context, ev objects.ObjectEvent) { sv.pipeline.ObjectCreated(ev.Bucket, ev.Key) })
	rs.OnReferenceUpdated(func(_ context.Context, ev repos.RefEvent) {
		sv.pipeline.ReferenceUpdated(ev.RepositoryName, ev.Ref, ev.NewCommit)
	})

	sv.handler = server.New(server.Config{
		StepFunctions: sfnapi.New(sv.sfn, sfnapi.Config{DefaultIdentity: id, Logger: logger}),
		CodePipeline:  pipelineapi.New(sv.pipeline, pipelineapi.Config{DefaultIdentity: id, Logger: logger}),
		Webhooks:      pipelineapi.WebhookHandler(sv.pipeline, logger),
		CodeCommit:    codecommitapi.WithBaseURL(codecommitapi.New(rs, codecommitapi.Options{Identity: id, Logger: logger})),
		Git:           githttp.NewWithConfig(rs, githttp.Config{Credentials: gitCreds, Logger: logger}),
		GitMatch:      githttp.Matches,
		S3:            s3api.New(objs, s3api.Config{DefaultIdentity: id, Logger: logger}),
		Console: web.New(web.Deps{SFN: sv.sfn, Pipelines: sv.pipeline, Objects: objs, Repos: rs, Logger: logger,
			Region: cfg.Region, RoleARN: "arn:aws:iam::" + cfg.Account + ":role/service-role/StepFunctions-Role"}),
		Logger: logger,
	})
	return sv, nil
}

// start runs the services' background loops.
func (sv *services) start(ctx context.Context) error {
	if sv.checkShared != nil {
		// A warning, not a refusal: a node restarted on a new, empty blob dir
		// (as tests do against a database they reuse) is indistinguishable from a
		// misconfigured one, and refusing would stop both.
		if err := sv.checkShared(ctx); err != nil {
			sv.logger.Warn("serve: objects and repositories written through other nodes will be missing here", "err", err)
		}
	}
	if sv.collectOrphans {
		// Nothing is uploading yet: any unnamed blob is left over from a killed upload.
		if _, err := sv.objects.CollectOrphans(ctx, time.Now()); err != nil {
			return fmt.Errorf("collect orphaned blobs: %w", err)
		}
	}
	if sv.orphans != nil {
		if err := sv.orphans.Start(ctx); err != nil {
			return fmt.Errorf("start orphan collection: %w", err)
		}
	}
	if err := sv.sfn.Start(ctx); err != nil {
		return fmt.Errorf("start step functions: %w", err)
	}
	if err := sv.pipeline.Start(ctx); err != nil {
		return fmt.Errorf("start pipelines: %w", err)
	}
	return nil
}

// stop stops the loops, pipelines first since their actions call Step Functions.
func (sv *services) stop() {
	sv.pipeline.Stop()
	sv.sfn.Stop()
	if sv.orphans != nil {
		sv.orphans.Stop()
	}
}
