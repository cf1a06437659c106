package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"stepline/store"
)

const executionCols = `arn, state_machine_arn, version_arn, alias_arn, map_run_arn, name, status,
	start_time, stop_time, next_event_id, data, snapshot`

func scanExecution(s scanner) (store.Execution, error) {
	var e store.Execution
	err := s.Scan(&e.ARN, &e.StateMachineARN, &e.VersionARN, &e.AliasARN, &e.MapRunARN, &e.Name, &e.Status,
		&e.StartTime, &e.StopTime, &e.NextEventID, &e.Data, &e.Snapshot)
	e.StartTime, e.StopTime = fromTS(e.StartTime), fromTS(e.StopTime)
	e.Data, e.Snapshot = blob(e.Data), blob(e.Snapshot)
	return e, err
}

// ExecutionGet implements store.Store.
func (db *DB) ExecutionGet(ctx context.Context, arn string) (store.Execution, error) {
	e, err := scanExecution(db.pool.QueryRow(ctx, `SELECT `+executionCols+` FROM executions WHERE arn = $1`, arn))
	if err != nil {
		return store.Execution{}, notFound(err, "execution get")
	}
	return e, nil
}

// ExecutionList implements store.Store.
func (db *DB) ExecutionList(ctx context.Context, p store.ExecutionListParams) ([]store.Execution, error) {
	var q strings.Builder
	var args []any
	q.WriteString(`SELECT ` + executionCols + ` FROM executions WHERE true`)
	for _, f := range []struct{ col, val string }{
		{"state_machine_arn", p.StateMachineARN}, {"version_arn", p.VersionARN},
		{"alias_arn", p.AliasARN}, {"map_run_arn", p.MapRunARN}, {"status", p.Status},
	} {
		if f.val != "" {
			args = append(args, f.val)
			fmt.Fprintf(&q, ` AND %s = $%d`, f.col, len(args))
		}
	}
	if p.Open {
		args = append(args, time.Time{})
		fmt.Fprintf(&q, ` AND stop_time = $%d`, len(args))
	}
	if !p.BeforeStart.IsZero() || p.BeforeARN != "" {
		args = append(args, ts(p.BeforeStart), p.BeforeARN)
		fmt.Fprintf(&q, ` AND (start_time, arn) < ($%d, $%d)`, len(args)-1, len(args))
	}
	args = append(args, limit(p.Limit))
	fmt.Fprintf(&q, ` ORDER BY start_time DESC, arn DESC LIMIT $%d`, len(args))
	rows, err := db.pool.Query(ctx, q.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: execution list: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Execution, error) { return scanExecution(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: execution list: %w", err)
	}
	return out, nil
}
