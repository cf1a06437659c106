package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"stepline"
	"stepline/pipeline/plan"
	"stepline/store"
)

// Execution history is kept in two places. The runtime snapshot holds the executions
// the planner works on: every active one and the newest finished ones, up to
// maxKeptExecutions. Older finished executions move to the archive: one record each,
// under the pipeline's runtime ARN, sorted by start time, so listings page through
// any number of them with the store's (kind, parent, sort, key) index. AWS keeps
// pipeline and action execution history for 12 months
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html); so does the
// archive by default (Config.Retention), pruning records as newer ones arrive.

// RetentionDefault is how long finished executions are kept: 12 months, as on AWS.
const RetentionDefault = 365 * 24 * time.Hour

// kindExecution is the archive's record kind.
const kindExecution = "pipelineexecution"

// pruneBatch bounds the expired records one commit deletes; the next commits take the
// rest.
const pruneBatch = 100

// ExecutionCursor is the position of an execution in the newest-first order of the
// listings: its start time, then its id. Cursors compare as strings.
func ExecutionCursor(e *plan.Execution) string {
	return startSort(e.StartTime) + "/" + e.ID
}

func startSort(t time.Time) string {
	us := t.UnixMicro()
	if us < 0 {
		us = 0
	}
	return fmt.Sprintf("%019d", us)
}

func archiveKey(runtimeARN, id string) string { return runtimeARN + "/" + id }

// splitRuntime moves finished executions out of the runtime: those started before
// cutoff are dropped (expired counts them), and the oldest beyond maxKeptExecutions
// are returned for the archive. Active executions always stay.
func splitRuntime(rt plan.Runtime, cutoff time.Time) (_ plan.Runtime, archived []*plan.Execution, expired int) {
	extra := len(rt.Executions) - maxKeptExecutions
	var kept []*plan.Execution
	for _, e := range rt.Executions {
		switch {
		case e.Active():
			kept = append(kept, e)
		case e.StartTime.Before(cutoff):
			expired++
			extra--
		case extra > 0:
			extra--
			archived = append(archived, e)
		default:
			kept = append(kept, e)
		}
	}
	if len(archived) > 0 || expired > 0 {
		rt.Executions = kept
	}
	return rt, archived, expired
}

// archive writes executions leaving the runtime as records, before the runtime write
// that drops them: after a crash or a conflicting write in between, an execution is in
// both places (listings prefer the runtime's copy), never in neither.
func (s *Service) archive(ctx context.Context, runtimeARN string, execs []*plan.Execution) error {
	for _, e := range execs {
		data, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("encode archived execution: %w", err)
		}
		rec := store.Record{Kind: kindExecution, Key: archiveKey(runtimeARN, e.ID), Parent: runtimeARN, Sort: startSort(e.StartTime), Data: data}
		_, err = s.store.RecordPut(ctx, rec)
		if errors.Is(err, store.ErrExists) {
			// A write that conflicted archived it already; this copy is the newer.
			var cur store.Record
			if cur, err = s.store.RecordGet(ctx, kindExecution, rec.Key); err == nil {
				rec.Version = cur.Version
				_, err = s.store.RecordPut(ctx, rec)
			}
		}
		if err != nil {
			return fmt.Errorf("archive execution %s: %w", e.ID, err)
		}
	}
	return nil
}

// retire archives the executions leaving the runtime and, when any left, deletes a
// batch of archived ones started before cutoff: expired records go as the pipeline
// runs, and listings skip those not deleted yet.
func (s *Service) retire(ctx context.Context, runtimeARN string, archived []*plan.Execution, expired int, cutoff time.Time) error {
	if len(archived) == 0 && expired == 0 {
		return nil
	}
	if err := s.archive(ctx, runtimeARN, archived); err != nil {
		return err
	}
	return s.prune(ctx, runtimeARN, cutoff)
}

// prune deletes up to pruneBatch archived executions started before cutoff.
func (s *Service) prune(ctx context.Context, runtimeARN string, cutoff time.Time) error {
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindExecution, Parent: runtimeARN, Limit: pruneBatch})
	if err != nil {
		return fmt.Errorf("list expired executions: %w", err)
	}
	limit := startSort(cutoff)
	for _, r := range recs {
		if r.Sort >= limit {
			break
		}
		if err := s.store.RecordDelete(ctx, kindExecution, r.Key, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("delete expired execution: %w", err)
		}
	}
	return nil
}

// deleteArchive removes a deleted pipeline's archived executions.
func (s *Service) deleteArchive(ctx context.Context, runtimeARN string) error {
	for {
		recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindExecution, Parent: runtimeARN, Limit: 500})
		if err != nil {
			return fmt.Errorf("list archived executions: %w", err)
		}
		for _, r := range recs {
			if err := s.store.RecordDelete(ctx, kindExecution, r.Key, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("delete archived execution: %w", err)
			}
		}
		if len(recs) < 500 {
			return nil
		}
	}
}

// archived returns one archived execution, or nil.
func (s *Service) archived(ctx context.Context, runtimeARN, id string) (*plan.Execution, error) {
	rec, err := s.store.RecordGet(ctx, kindExecution, archiveKey(runtimeARN, id))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load archived execution: %w", err)
	}
	var e plan.Execution
	if err := json.Unmarshal(rec.Data, &e); err != nil {
		return nil, fmt.Errorf("decode archived execution: %w", err)
	}
	return &e, nil
}

// ExecutionPageParams selects a page of a pipeline's executions, newest first.
type ExecutionPageParams struct {
	// Before is the ExecutionCursor of the last execution of the previous page; ""
	// starts at the newest.
	Before string
	// Limit bounds the page (at least 1).
	Limit int
	// Filter, when set, keeps only the executions it accepts.
	Filter func(*plan.Execution) bool
}

// ExecutionPage is one page of executions and the snapshot they were read with.
type ExecutionPage struct {
	Executions []*plan.Execution
	Snapshot   Snapshot
	// Next is the cursor of the following page, "" at the end.
	Next string
}

// ListExecutions pages through a pipeline's executions, the runtime's and the
// archive's merged newest first, with the declaration's secrets masked.
func (s *Service) ListExecutions(ctx context.Context, name string, p ExecutionPageParams) (ExecutionPage, error) {
	snap, err := s.maskedState(ctx, name)
	if err != nil {
		return ExecutionPage{}, err
	}
	if p.Limit < 1 {
		p.Limit = 1
	}
	doc, _, err := s.loadDoc(ctx, snap.Meta.PipelineARN)
	if err != nil {
		return ExecutionPage{}, err
	}
	inRuntime := map[string]bool{}
	var hot []*plan.Execution
	for _, e := range snap.Runtime.Executions {
		inRuntime[e.ID] = true
		if p.Before == "" || ExecutionCursor(e) < p.Before {
			hot = append(hot, e)
		}
	}
	sort.Slice(hot, func(i, j int) bool { return ExecutionCursor(hot[i]) > ExecutionCursor(hot[j]) })

	expiredBefore := startSort(s.cfg.Clock.Now().Add(-s.cfg.Retention))
	out := ExecutionPage{Snapshot: snap}
	var got []*plan.Execution
	before, batch := p.Before, p.Limit+1
	for {
		lp := store.RecordListParams{Kind: kindExecution, Parent: doc.RuntimeARN, Descending: true, Limit: batch}
		if before != "" {
			sortKey, id, _ := strings.Cut(before, "/")
			lp.AfterSort, lp.AfterKey = sortKey, archiveKey(doc.RuntimeARN, id)
		}
		recs, err := s.store.RecordList(ctx, lp)
		if err != nil {
			return ExecutionPage{}, fmt.Errorf("list archived executions: %w", err)
		}
		// Below floor more archived executions may follow, so runtime ones there wait
		// for the next batch.
		floor := ""
		if len(recs) == batch {
			last := recs[len(recs)-1]
			floor = last.Sort + "/" + strings.TrimPrefix(last.Key, doc.RuntimeARN+"/")
		}
		var merged []*plan.Execution
		for len(hot) > 0 && ExecutionCursor(hot[0]) >= floor {
			merged, hot = append(merged, hot[0]), hot[1:]
		}
		for _, r := range recs {
			if r.Sort < expiredBefore {
				continue
			}
			var e plan.Execution
			if err := json.Unmarshal(r.Data, &e); err != nil {
				return ExecutionPage{}, fmt.Errorf("decode archived execution: %w", err)
			}
			if !inRuntime[e.ID] {
				merged = append(merged, &e)
			}
		}
		sort.Slice(merged, func(i, j int) bool { return ExecutionCursor(merged[i]) > ExecutionCursor(merged[j]) })
		for _, e := range merged {
			if p.Filter != nil && !p.Filter(e) {
				continue
			}
			if len(got) == p.Limit {
				out.Executions, out.Next = got, ExecutionCursor(got[len(got)-1])
				return out, nil
			}
			got = append(got, e)
		}
		if floor == "" {
			out.Executions = got
			return out, nil
		}
		before = floor
	}
}

// maskedState is State with the declaration's secret configuration masked.
func (s *Service) maskedState(ctx context.Context, name string) (Snapshot, error) {
	snap, err := s.State(ctx, name)
	if err != nil {
		return snap, err
	}
	secret, err := s.secretKeys(ctx)
	if err != nil {
		return snap, err
	}
	snap.Pipeline = maskSecrets(snap.Pipeline, secret)
	return snap, nil
}

// findExecution looks an execution up in the runtime, then in the archive.
func (s *Service) findExecution(ctx context.Context, snap Snapshot, name, id string) (*plan.Execution, error) {
	if e := snap.Runtime.Find(id); e != nil {
		return e, nil
	}
	doc, _, err := s.loadDoc(ctx, snap.Meta.PipelineARN)
	if err != nil {
		return nil, err
	}
	e, err := s.archived(ctx, doc.RuntimeARN, id)
	if err != nil {
		return nil, err
	}
	if e == nil || e.StartTime.Before(s.cfg.Clock.Now().Add(-s.cfg.Retention)) {
		return nil, stepline.Errorf(plan.CodeExecutionNotFound,
			"Pipeline execution with id '%s' does not exist in pipeline with name '%s'", id, name)
	}
	return e, nil
}

// FindActionExecution returns the action execution with the id and the pipeline
// execution it belongs to, looking through the runtime and then the archive.
func (s *Service) FindActionExecution(ctx context.Context, name, actionExecutionID string) (*plan.Execution, *plan.ActionRun, Snapshot, error) {
	before := ""
	for {
		pg, err := s.ListExecutions(ctx, name, ExecutionPageParams{Before: before, Limit: 200})
		if err != nil {
			return nil, nil, pg.Snapshot, err
		}
		for _, e := range pg.Executions {
			if r := e.Run(actionExecutionID); r != nil {
				return e, r, pg.Snapshot, nil
			}
		}
		if pg.Next == "" {
			return nil, nil, pg.Snapshot, nil
		}
		before = pg.Next
	}
}
