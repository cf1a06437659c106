package sqlite

import (
	"context"
	"fmt"
	"sort"

	"stepline/store"
)

const taskCols = `execution_arn, id, kind, resource, token, state, input, worker_name,
	created_at, started_at, owner, lease_until, version`

func scanTask(s scanner) (store.Task, error) {
	var t store.Task
	var token *string
	var created, started, lease int64
	err := s.Scan(&t.ExecutionARN, &t.ID, &t.Kind, &t.Resource, &token, &t.State, &t.Input, &t.WorkerName,
		&created, &started, &t.Owner, &lease, &t.Version)
	if token != nil {
		t.Token = *token
	}
	t.CreatedAt, t.StartedAt, t.LeaseUntil = fromMicros(created), fromMicros(started), fromMicros(lease)
	t.Input = blob(t.Input)
	return t, err
}

// TaskClaim implements store.Store.
func (db *DB) TaskClaim(ctx context.Context, p store.TaskClaimParams) ([]store.Task, error) {
	q := `UPDATE tasks SET owner = ?1, lease_until = ?2,
			state = CASE WHEN ?3 = '' THEN state ELSE ?3 END,
			worker_name = CASE WHEN ?4 = '' THEN worker_name ELSE ?4 END,
			version = version + 1
		WHERE (execution_arn, id) IN (
			SELECT execution_arn, id FROM tasks
			WHERE kind = ?5 AND state = ?6 AND (?7 = '' OR resource = ?7) AND (owner = '' OR lease_until < ?8)
			ORDER BY created_at, execution_arn, id LIMIT ?9)
		RETURNING ` + taskCols
	var out []store.Task
	err := db.write1(ctx, false, func(w *wtx) error {
		out = out[:0]
		rows, err := w.query(q, p.Owner, micros(p.Now.Add(p.LeaseFor)), p.NewState, p.WorkerName,
			p.Kind, p.State, p.Resource, micros(p.Now), limit(p.Limit))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTask(rows)
			if err != nil {
				return fmt.Errorf("sqlite: task claim: %w", err)
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return taskLess(out[i], out[j]) })
	return out, nil
}

func taskLess(a, b store.Task) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.Before(b.CreatedAt)
	}
	if a.ExecutionARN != b.ExecutionARN {
		return a.ExecutionARN < b.ExecutionARN
	}
	return a.ID < b.ID
}

// TaskGet implements store.Store.
func (db *DB) TaskGet(ctx context.Context, executionARN, id string) (store.Task, error) {
	st, err := db.rstmt(`SELECT ` + taskCols + ` FROM tasks WHERE execution_arn = ? AND id = ?`)
	if err != nil {
		return store.Task{}, err
	}
	t, err := scanTask(st.QueryRowContext(ctx, executionARN, id))
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
	st, err := db.rstmt(`SELECT ` + taskCols + ` FROM tasks WHERE token = ?`)
	if err != nil {
		return store.Task{}, err
	}
	t, err := scanTask(st.QueryRowContext(ctx, token))
	if err != nil {
		return store.Task{}, notFound(err, "task get by token")
	}
	return t, nil
}

// TaskUpdate implements store.Store.
func (db *DB) TaskUpdate(ctx context.Context, t store.Task) (store.Task, error) {
	var out store.Task
	err := db.write1(ctx, true, func(w *wtx) error {
		rows, err := w.query(`UPDATE tasks SET state = ?, owner = ?, lease_until = ?, worker_name = ?, started_at = ?,
				version = version + 1
			WHERE execution_arn = ? AND id = ? AND version = ? RETURNING `+taskCols,
			t.State, t.Owner, micros(t.LeaseUntil), t.WorkerName, micros(t.StartedAt), t.ExecutionARN, t.ID, t.Version)
		if err != nil {
			return err
		}
		found := rows.Next()
		if found {
			out, err = scanTask(rows)
		}
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("sqlite: task update: %w", err)
		}
		if found {
			return nil
		}
		exists, err := w.exists(`SELECT 1 FROM tasks WHERE execution_arn = ? AND id = ?`, t.ExecutionARN, t.ID)
		if err != nil {
			return err
		}
		if exists {
			return refuse(store.ErrConflict)
		}
		return refuse(store.ErrNotFound)
	})
	if err != nil {
		return store.Task{}, err
	}
	return out, nil
}
