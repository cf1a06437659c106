package sqlite

import (
	"context"
	"fmt"
	"strings"

	"stepline/store"
)

const executionCols = `arn, state_machine_arn, version_arn, alias_arn, map_run_arn, name, status,
	start_time, stop_time, next_event_id, data, snapshot`

func scanExecution(s scanner) (store.Execution, error) {
	var e store.Execution
	var start, stop int64
	err := s.Scan(&e.ARN, &e.StateMachineARN, &e.VersionARN, &e.AliasARN, &e.MapRunARN, &e.Name, &e.Status,
		&start, &stop, &e.NextEventID, &e.Data, &e.Snapshot)
	e.StartTime, e.StopTime = fromMicros(start), fromMicros(stop)
	e.Data, e.Snapshot = blob(e.Data), blob(e.Snapshot)
	return e, err
}

// ExecutionGet implements store.Store.
func (db *DB) ExecutionGet(ctx context.Context, arn string) (store.Execution, error) {
	st, err := db.rstmt(`SELECT ` + executionCols + ` FROM executions WHERE arn = ?`)
	if err != nil {
		return store.Execution{}, err
	}
	e, err := scanExecution(st.QueryRowContext(ctx, arn))
	if err != nil {
		return store.Execution{}, notFound(err, "execution get")
	}
	return e, nil
}

// ExecutionList implements store.Store.
func (db *DB) ExecutionList(ctx context.Context, p store.ExecutionListParams) ([]store.Execution, error) {
	var q strings.Builder
	q.WriteString(`SELECT ` + executionCols + ` FROM executions WHERE 1`)
	args := []any{micros(p.BeforeStart), p.BeforeARN, limit(p.Limit)}
	for _, f := range []struct{ col, val string }{
		{"state_machine_arn", p.StateMachineARN}, {"version_arn", p.VersionARN},
		{"alias_arn", p.AliasARN}, {"map_run_arn", p.MapRunARN}, {"status", p.Status},
	} {
		if f.val != "" {
			args = append(args, f.val)
			fmt.Fprintf(&q, ` AND %s = ?%d`, f.col, len(args))
			if f.col != "state_machine_arn" && f.col != "status" {
				// Implies the partial index's condition (migration 003), so SQLite uses it.
				fmt.Fprintf(&q, ` AND %s != ''`, f.col)
			}
		}
	}
	if p.Open {
		q.WriteString(` AND stop_time = 0`)
	}
	if !p.BeforeStart.IsZero() || p.BeforeARN != "" {
		q.WriteString(` AND (start_time, arn) < (?1, ?2)`)
	}
	q.WriteString(` ORDER BY start_time DESC, arn DESC LIMIT ?3`)
	rows, err := db.read.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: execution list: %w", err)
	}
	defer rows.Close()
	var out []store.Execution
	for rows.Next() {
		e, err := scanExecution(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: execution list: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: execution list: %w", err)
	}
	return out, nil
}
