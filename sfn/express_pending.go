package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"stepline/store"
)

// An asynchronous Express execution (StartExecution on an EXPRESS state machine) is
// accepted work: AWS runs it at least once. Nothing of its history is kept, but until
// it ends a pending record holds what is needed to run it again, leased to the node
// running it. A node that dies stops renewing the lease, and whichever node sees it
// lapse (itself after a restart, or another node sharing the database) runs the
// execution again from the start, with the same ARN: at least once, as on AWS.
const (
	kindExpressPending = "expresspending" // Key: execution ARN; Parent: ""; Sort: start time

	// expressLease is how long a node holds a pending Express execution without
	// renewing it; a dead node's executions start again at most this long after.
	expressLease = 30 * time.Second
	// expressRenewEvery renews the lease well before it lapses.
	expressRenewEvery = expressLease / 3
	// expressRecoverEvery is how often a node looks for lapsed pending executions.
	expressRecoverEvery = expressLease / 2
	// expressRecoverBatch bounds the pending records read per look.
	expressRecoverBatch = 256
)

// expressPending is the pending record's document: the resolved start target (so a
// re-run runs the definition the start chose, even if the state machine changed
// since) and the execution's own fields.
type expressPending struct {
	ExecutionARN    string    `json:"executionArn"`
	Name            string    `json:"name"`
	Input           string    `json:"input"`
	TraceHeader     string    `json:"traceHeader,omitempty"`
	StartDate       time.Time `json:"startDate"`
	StateMachineARN string    `json:"stateMachineArn"`
	VersionARN      string    `json:"versionArn,omitempty"`
	AliasARN        string    `json:"aliasArn,omitempty"`
	StateMachine    string    `json:"stateMachineName"`
	RoleARN         string    `json:"roleArn"`
	Definition      string    `json:"definition"`
	RevisionID      string    `json:"revisionId,omitempty"`
	Owner           string    `json:"owner"`
	LeaseUntil      time.Time `json:"leaseUntil"`
}

func (p *expressPending) target(s *Service) (startTarget, error) {
	t := startTarget{
		StateMachineARN: p.StateMachineARN, VersionARN: p.VersionARN, AliasARN: p.AliasARN,
		Name: p.StateMachine, Type: TypeExpress, RoleARN: p.RoleARN, Definition: p.Definition, RevisionID: p.RevisionID,
	}
	key := p.StateMachineARN
	if p.VersionARN != "" {
		key = p.VersionARN
	}
	m, err := s.parsed(key, p.Definition)
	t.Machine = m
	return t, err
}

// recordExpressPending makes an accepted asynchronous Express execution durable
// before StartExecution answers.
func (s *Service) recordExpressPending(ctx context.Context, t startTarget, arn, name, raw, traceHeader string, now time.Time) (store.Record, error) {
	doc := expressPending{
		ExecutionARN: arn, Name: name, Input: raw, TraceHeader: traceHeader, StartDate: now,
		StateMachineARN: t.StateMachineARN, VersionARN: t.VersionARN, AliasARN: t.AliasARN, StateMachine: t.Name,
		RoleARN: t.RoleARN, Definition: t.Definition, RevisionID: t.RevisionID,
		Owner: s.cfg.NodeID, LeaseUntil: now.Add(expressLease),
	}
	rec := store.Record{Kind: kindExpressPending, Key: arn, Sort: now.UTC().Format(time.RFC3339Nano)}
	return putDoc(ctx, s.store, rec, doc)
}

// runExpressPending runs a pending Express execution this node holds, renewing its
// lease while it runs and deleting the record when it ends. When the engine stops
// first, the record stays for the next node (or this one, restarted).
func (s *Service) runExpressPending(ctx context.Context, rec store.Record, doc expressPending) {
	t, err := doc.target(s)
	if err != nil {
		s.cfg.Logger.Error("express execution cannot run", "execution", doc.ExecutionARN, "err", err)
		s.dropExpressPending(ctx, rec)
		return
	}
	_, input, err := parseExecutionInput(&doc.Input)
	if err != nil {
		s.cfg.Logger.Error("express execution cannot run", "execution", doc.ExecutionARN, "err", err)
		s.dropExpressPending(ctx, rec)
		return
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	renewed := make(chan store.Record, 1)
	go func() {
		defer close(renewed)
		renewed <- s.renewExpressPending(runCtx, cancel, rec, doc)
	}()
	_, err = s.runExpressAt(runCtx, t, doc.ExecutionARN, doc.Name, input, doc.StartDate)
	cancel()
	rec = <-renewed
	if ctx.Err() != nil || rec.Version == 0 {
		return // the engine stopped, or another node took the execution over
	}
	if err != nil {
		s.cfg.Logger.Warn("express execution", "execution", doc.ExecutionARN, "err", err)
	}
	s.dropExpressPending(ctx, rec)
}

// renewExpressPending pushes the lease forward until ctx ends and returns the record
// as last written, or a zero record (and cancels the run) when the lease was lost.
func (s *Service) renewExpressPending(ctx context.Context, cancel context.CancelFunc, rec store.Record, doc expressPending) store.Record {
	for {
		select {
		case <-ctx.Done():
			return rec
		case <-s.cfg.Clock.After(expressRenewEvery):
		}
		doc.LeaseUntil = s.cfg.Clock.Now().Add(expressLease)
		next, err := putDoc(ctx, s.store, rec, doc)
		switch {
		case err == nil:
			rec = next
		case errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound):
			cancel()
			return store.Record{}
		case ctx.Err() != nil:
			return rec
		default:
			// A failed renewal is retried at the next tick; the lease has two more.
			s.cfg.Logger.Warn("renew express execution lease", "execution", doc.ExecutionARN, "err", err)
		}
	}
}

func (s *Service) dropExpressPending(ctx context.Context, rec store.Record) {
	err := s.store.RecordDelete(context.WithoutCancel(ctx), kindExpressPending, rec.Key, rec.Version)
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
		s.cfg.Logger.Warn("forget express execution", "execution", rec.Key, "err", err)
	}
}

// recoverExpressLoop takes over pending Express executions whose lease lapsed, at
// start and then every expressRecoverEvery, until ctx ends.
func (s *Service) recoverExpressLoop(ctx context.Context) {
	for {
		s.recoverExpress(ctx)
		select {
		case <-ctx.Done():
			return
		case <-s.cfg.Clock.After(expressRecoverEvery):
		}
	}
}

// recoverExpress claims every lapsed pending execution (a compare-and-swap on the
// record's version, so two nodes never both take one) and runs it again.
func (s *Service) recoverExpress(ctx context.Context) {
	after := ""
	afterKey := ""
	for ctx.Err() == nil {
		recs, err := s.store.RecordList(ctx, store.RecordListParams{
			Kind: kindExpressPending, AfterSort: after, AfterKey: afterKey, Limit: expressRecoverBatch,
		})
		if err != nil {
			if ctx.Err() == nil {
				s.cfg.Logger.Warn("list pending express executions", "err", err)
			}
			return
		}
		now := s.cfg.Clock.Now()
		for _, rec := range recs {
			s.claimExpressPending(ctx, rec, now)
		}
		if len(recs) < expressRecoverBatch {
			return
		}
		after, afterKey = recs[len(recs)-1].Sort, recs[len(recs)-1].Key
	}
}

func (s *Service) claimExpressPending(ctx context.Context, rec store.Record, now time.Time) {
	var doc expressPending
	if err := json.Unmarshal(rec.Data, &doc); err != nil {
		s.cfg.Logger.Error("pending express execution unreadable", "execution", rec.Key, "err", err)
		return
	}
	if now.Before(doc.LeaseUntil) {
		return
	}
	doc.Owner, doc.LeaseUntil = s.cfg.NodeID, now.Add(expressLease)
	claimed, err := putDoc(ctx, s.store, rec, doc)
	if err != nil {
		return // another node claimed it first, or it just ended
	}
	s.cfg.Logger.Info("express execution runs again after its node stopped", "execution", doc.ExecutionARN)
	s.eng.spawn(func(ctx context.Context) { s.runExpressPending(ctx, claimed, doc) })
}
