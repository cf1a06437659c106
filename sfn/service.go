// Package sfn is the Step Functions service: state machines, versions, aliases,
// activities and executions, and the durable executor that drives the asl interpreter.
package sfn

import (
	"context"
	"log/slog"

	"stepline"
	"stepline/internal/clock"
	"stepline/store"
)

// Config configures a Service.
type Config struct {
	Clock    clock.Clock       // never nil after New
	NodeID   string            // names this process as a lease owner
	Identity stepline.Identity // default account/region for calls without one
	Logger   *slog.Logger
	// Objects is the S3 of Distributed Maps' ItemReader and ResultWriter; nil fails
	// them with States.ItemReaderFailed / States.ResultWriterFailed.
	Objects Objects
	// MaxOpenExecutions is the quota of open Standard executions per account and
	// region; 0 means AWS's, DefaultMaxOpenExecutions. See execution_limit.go.
	MaxOpenExecutions int64
}

// Service implements Step Functions over a store.
type Service struct {
	store    store.Store
	cfg      Config
	eng      *engine       // the executor; see engine.go
	machines *machineCache // parsed definitions; see statemachine_cache.go
	smDocs   *docCache[StateMachine]
	verDocs  *docCache[StateMachineVersion]
	// What starts resolved recently; see resolve_recent.go.
	resolveGen     resolveGen
	recentSMs      *recentDocs[StateMachine]
	recentVersions *recentDocs[StateMachineVersion]
	recentAliases  *recentDocs[Alias]
	open           *openExecutions // the open-execution quota
}

// New returns a Service over st. Call Start to run executions.
func New(st store.Store, cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Identity = cfg.Identity.Or(stepline.IdentityDefault)
	s := &Service{store: st, cfg: cfg, machines: newMachineCache(),
		smDocs: newDocCache[StateMachine](), verDocs: newDocCache[StateMachineVersion](),
		recentSMs: newRecentDocs[StateMachine](), recentVersions: newRecentDocs[StateMachineVersion](),
		recentAliases: newRecentDocs[Alias](), open: newOpenExecutions(cfg.MaxOpenExecutions)}
	s.eng = newEngine(s)
	return s
}

// Start runs the executor's loops (timers, tasks) until Stop or ctx ends, and resumes
// every open execution, Express ones left by a stopped node included.
func (s *Service) Start(ctx context.Context) error {
	if err := s.eng.start(ctx); err != nil {
		return err
	}
	s.eng.spawn(s.recoverExpressLoop)
	return nil
}

// Stop stops the loops and waits for them. Idempotent.
func (s *Service) Stop() { s.eng.stop() }

// identity returns the caller's identity.
func (s *Service) identity(ctx context.Context) stepline.Identity {
	return stepline.IdentityFrom(ctx, s.cfg.Identity)
}
