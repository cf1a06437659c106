package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"

	"stepline/store"
)

const taskCols = `execution_arn, id, kind, resource, token, state, input, worker_name,
	created_at, started_at, owner, lease_until, version`

func scanTask(s scanner) (store.Task, error) {
	var t store.Task
	var token *string
	err := s.Scan(&t.ExecutionARN, &t.ID, &t.Kind, &t.Resource, &token, &t.State, &t.Input, &t.WorkerName,
		&t.CreatedAt, &t.StartedAt, &t.Owner, &t.LeaseUntil, &t.Version)
	if token != nil {
		t.Token = *token
	}
	t.CreatedAt, t.StartedAt, t.LeaseUntil = fromTS(t.CreatedAt), fromTS(t.StartedAt), fromTS(t.LeaseUntil)
	t.Input = blob(t.Input)
	return t, err
}

func collectTasks(rows pgx.Rows) ([]store.Task, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Task, error) { return scanTask(r) })
}

// TaskClaim implements store.Store.
func (db *DB) TaskClaim(ctx context.Context, p store.TaskClaimParams) ([]store.Task, error) {
	rows, err := db.pool.Query(ctx, `
		WITH c AS (SELECT execution_arn, id FROM tasks
			WHERE kind = $5 AND state = $6 AND ($7 = '' OR resource = $7) AND (owner = '' OR lease_until < $8)
			ORDER BY created_at, execution_arn, id LIMIT $9 FOR UPDATE SKIP LOCKED)
		UPDATE tasks t SET owner = $1, lease_until = $2,
			state = CASE WHEN $3 = '' THEN t.state ELSE $3 END,
			worker_name = CASE WHEN $4 = '' THEN t.worker_name ELSE $4 END,
			version = t.version + 1
		FROM c WHERE t.execution_arn = c.execution_arn AND t.id = c.id
		RETURNING t.execution_arn, t.id, t.kind, t.resource, t.token, t.state, t.input, t.worker_name,
			t.created_at, t.started_at, t.owner, t.lease_until, t.version`,
		p.Owner, ts(p.Now.Add(p.LeaseFor)), p.NewState, p.WorkerName, p.Kind, p.State, p.Resource, ts(p.Now), limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("postgres: task claim: %w", err)
	}
	out, err := collectTasks(rows)
	if err != nil {
		return nil, fmt.Errorf("postgres: task claim: %w", err)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		if a.ExecutionARN != b.ExecutionARN {
			return a.ExecutionARN < b.ExecutionARN
		}
		return a.ID < b.ID
	})
	return out, nil
}

// TaskGet implements store.Store.
func (db *DB) TaskGet(ctx context.Context, executionARN, id string) (store.Task, error) {
	t, err := scanTask(db.pool.QueryRow(ctx, `SELECT `+taskCols+` FROM tasks WHERE execution_arn = $1 AND id = $2`,
		executionARN, id))
	if err != nil {
		return store.Task{}, notFound(err, "task get")
	}
	return t, nil
}

// TaskGetByToken implements store.Store.
func (db *DB) TaskGetByToken(ctx context.Context, token string) (store.Task, error) {
	if token == "" {
		return store.Task{}, store.ErrNotFound
	}
	t, err := scanTask(db.pool.QueryRow(ctx, `SELECT `+taskCols+` FROM tasks WHERE token = $1`, token))
	if err != nil {
		return store.Task{}, notFound(err, "task get by token")
	}
	return t, nil
}

// TaskUpdate implements store.Store.
func (db *DB) TaskUpdate(ctx context.Context, t store.Task) (store.Task, error) {
	out, err := scanTask(db.pool.QueryRow(ctx, `UPDATE tasks SET state = $1, owner = $2, lease_until = $3,
			worker_name = $4, started_at = $5, version = version + 1
		WHERE execution_arn = $6 AND id = $7 AND version = $8 RETURNING `+taskCols,
		t.State, t.Owner, ts(t.LeaseUntil), t.WorkerName, ts(t.StartedAt), t.ExecutionARN, t.ID, t.Version))
	if err == nil {
		db.wake.Fire()
		return out, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return store.Task{}, fmt.Errorf("postgres: task update: %w", err)
	}
	var exists bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tasks WHERE execution_arn = $1 AND id = $2)`,
		t.ExecutionARN, t.ID).Scan(&exists); err != nil {
		return store.Task{}, fmt.Errorf("postgres: task update: %w", err)
	}
	if exists {
		return store.Task{}, store.ErrConflict
	}
	return store.Task{}, store.ErrNotFound
}
