// Package pipeline is the CodePipeline service: pipeline declarations and their
// versions, executions, and the durable engine that drives the pure planner in
// pipeline/plan through the store.
//
// Each pipeline keeps its executions in one store execution row (the "runtime"): its
// snapshot is the plan.Runtime, its history the events applied to it, and every change
// is one HistoryAppend guarded by the next event id, writing the new snapshot, the
// event, and the action jobs started or finished as outbox tasks. A crash loses
// nothing: unfinished jobs are claimed again when their lease lapses and providers
// are idempotent.
package pipeline

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"stepline"
	"stepline/internal/clock"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/store"
)

// Defaults for Config.
const (
	JobLeaseDefault = 30 * time.Second
	JobPollDefault  = 5 * time.Second
)

// Config configures a Service.
type Config struct {
	Clock    clock.Clock
	NodeID   string
	Identity stepline.Identity
	Logger   *slog.Logger
	// Providers run actions by action type; a type without one fails at run time.
	Providers map[plan.ActionTypeID]action.Provider
	// NewID returns a fresh random id (a UUID); ids are the engine's only randomness.
	NewID func() string
	// JobLease is how long a node holds a running job before another may take it.
	JobLease time.Duration
	// JobPoll is how often the job loop looks for jobs a dead node left.
	JobPoll time.Duration
	// Retention is how long finished executions are kept (RetentionDefault: 12
	// months, as on AWS).
	Retention time.Duration
}

// Service implements CodePipeline over a store.
type Service struct {
	store store.Store
	cfg   Config

	// versions caches pipeline declarations by incarnation and version; see
	// declaration.
	versions sync.Map

	mu     sync.Mutex
	ctx    context.Context    // guarded by mu; jobs run under it
	cancel context.CancelFunc // guarded by mu
	wg     sync.WaitGroup
}

// New returns a Service over st. Call Start to run jobs.
func New(st store.Store, cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Identity = cfg.Identity.Or(stepline.IdentityDefault)
	if cfg.JobLease <= 0 {
		cfg.JobLease = JobLeaseDefault
	}
	if cfg.JobPoll <= 0 {
		cfg.JobPoll = JobPollDefault
	}
	if cfg.Retention <= 0 {
		cfg.Retention = RetentionDefault
	}
	if cfg.NewID == nil {
		cfg.NewID = newUUID
	}
	if cfg.NodeID == "" {
		cfg.NodeID = cfg.NewID()
	}
	return &Service{store: st, cfg: cfg}
}

// Start runs the job loop, which also resumes jobs left by a previous process, until
// Stop or ctx ends.
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	s.ctx, s.cancel = ctx, cancel
	s.wg.Add(1)
	go func() { defer s.wg.Done(); s.jobLoop(ctx) }()
	return nil
}

// Stop ends the loop and running jobs and waits for them. Idempotent.
func (s *Service) Stop() {
	s.mu.Lock()
	cancel := s.cancel
	s.cancel = nil
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	s.wg.Wait()
}

// background returns the context jobs run under, or nil before Start.
func (s *Service) background() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel == nil {
		return nil
	}
	return s.ctx
}

// identity is the caller's account and region, with the configured defaults filling
// whatever the request did not say.
func (s *Service) identity(ctx context.Context) stepline.Identity {
	return stepline.IdentityFrom(ctx, s.cfg.Identity).Or(s.cfg.Identity)
}
