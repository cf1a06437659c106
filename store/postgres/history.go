package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"stepline/store"
)

// HistoryAppend implements store.Store: the append joins the writer's next batch; see
// writer.go.
func (db *DB) HistoryAppend(ctx context.Context, p store.HistoryAppendParams) error {
	if err := store.CheckAppend(p); err != nil {
		return err
	}
	r := &appendReq{ctx: ctx, p: p, done: make(chan error, 1)}
	select {
	case db.reqs <- r:
	case <-db.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-db.done:
		select {
		case err := <-r.done:
			return err
		default:
			return ErrClosed
		}
	case <-ctx.Done():
		// Already queued: the append may still be applied (see the store contract).
		return ctx.Err()
	}
}

// queueGuard adds the append's guard to b: for a create the insert, otherwise the
// row update. Either reads back (changed rows, row existed).
func queueGuard(b *pgx.Batch, p store.HistoryAppendParams) {
	e := p.Execution
	next := p.ExpectNextEventID + int64(len(p.Events))
	if p.Create {
		b.Queue(`WITH u AS (INSERT INTO executions (`+executionCols+`)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING 1)
			SELECT (SELECT count(*) FROM u), true`,
			e.ARN, e.StateMachineARN, e.VersionARN, e.AliasARN, e.MapRunARN, e.Name, e.Status,
			ts(e.StartTime), ts(e.StopTime), next, blob(e.Data), blob(e.Snapshot))
		return
	}
	b.Queue(`WITH u AS (UPDATE executions SET status = $2, stop_time = $3, next_event_id = $4, data = $5, snapshot = $6
			WHERE arn = $1 AND next_event_id = $7 RETURNING 1)
		SELECT (SELECT count(*) FROM u), EXISTS (SELECT 1 FROM executions WHERE arn = $1)`,
		e.ARN, e.Status, ts(e.StopTime), next, blob(e.Data), blob(e.Snapshot), p.ExpectNextEventID)
}

// guardOutcome turns a guard's (changed, existed) into the append's refusal, if any.
func guardOutcome(p store.HistoryAppendParams, n int64, existed bool) error {
	switch {
	case n > 0:
		return nil
	case p.Create:
		return store.ErrExists
	case existed:
		return store.ErrConflict
	default:
		return store.ErrNotFound
	}
}

// queueRest adds the statements that follow a passed guard and returns how many
// results they produce.
func queueRest(b *pgx.Batch, p store.HistoryAppendParams) (stmts int) {
	arn := p.Execution.ARN
	if n := len(p.Events); n > 0 {
		ids, prev, tss, types, details := make([]int64, n), make([]int64, n), make([]time.Time, n), make([]string, n), make([][]byte, n)
		for i, ev := range p.Events {
			ids[i], prev[i], tss[i], types[i], details[i] = ev.ID, ev.PreviousEventID, ts(ev.Timestamp), ev.Type, blob(ev.Details)
		}
		b.Queue(`INSERT INTO history (execution_arn, id, previous_event_id, ts, type, details)
			SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::timestamptz[], $5::text[], $6::bytea[])`,
			arn, ids, prev, tss, types, details)
		stmts++
	}
	if len(p.TimersDelete) > 0 {
		b.Queue(`DELETE FROM timers WHERE execution_arn = $1 AND id = ANY($2)`, arn, p.TimersDelete)
		stmts++
	}
	if len(p.TasksDelete) > 0 {
		b.Queue(`DELETE FROM tasks WHERE execution_arn = $1 AND id = ANY($2)`, arn, p.TasksDelete)
		stmts++
	}
	if timers := lastTimers(p.TimersAdd, arn); len(timers) > 0 {
		n := len(timers)
		earns, ids, kinds, fire, data, owners, lease := make([]string, n), make([]string, n), make([]string, n),
			make([]time.Time, n), make([][]byte, n), make([]string, n), make([]time.Time, n)
		for i, t := range timers {
			earns[i], ids[i], kinds[i], fire[i], data[i], owners[i], lease[i] =
				t.ExecutionARN, t.ID, t.Kind, ts(t.FireAt), blob(t.Data), t.Owner, ts(t.LeaseUntil)
		}
		b.Queue(`INSERT INTO timers (`+timerCols+`)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::bytea[], $6::text[], $7::timestamptz[])
			ON CONFLICT (execution_arn, id) DO UPDATE SET kind = excluded.kind, fire_at = excluded.fire_at,
				data = excluded.data, owner = excluded.owner, lease_until = excluded.lease_until`,
			earns, ids, kinds, fire, data, owners, lease)
		stmts++
	}
	if n := len(p.TasksAdd); n > 0 {
		var c taskColumns
		for _, t := range p.TasksAdd {
			if t.ExecutionARN == "" {
				t.ExecutionARN = arn
			}
			c.add(t)
		}
		// A taken id or token (or a repeat within the list) fails the statement, which
		// aborts the transaction before the COMMIT queued behind it; see taskTaken.
		b.Queue(`INSERT INTO tasks (`+taskCols+`)
			SELECT *, 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[],
				$8::text[], $9::timestamptz[], $10::timestamptz[], $11::text[], $12::timestamptz[])`,
			c.earns, c.ids, c.kinds, c.resources, c.tokens, c.states, c.inputs,
			c.workers, c.created, c.started, c.owners, c.leases)
		stmts++
	}
	return stmts
}

// taskTaken reports whether err is the task insert hitting a taken id or token.
func taskTaken(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && (pe.ConstraintName == "tasks_pkey" || pe.ConstraintName == "tasks_token")
}

// taskColumns holds tasks column-wise for an unnest insert.
type taskColumns struct {
	earns, ids, kinds, resources, states, workers, owners []string
	tokens                                                []*string
	inputs                                                [][]byte
	created, started, leases                              []time.Time
}

func (c *taskColumns) add(t store.Task) {
	c.earns, c.ids, c.kinds = append(c.earns, t.ExecutionARN), append(c.ids, t.ID), append(c.kinds, t.Kind)
	c.resources, c.tokens = append(c.resources, t.Resource), append(c.tokens, nullString(t.Token))
	c.states, c.inputs, c.workers = append(c.states, t.State), append(c.inputs, blob(t.Input)), append(c.workers, t.WorkerName)
	c.created, c.started = append(c.created, ts(t.CreatedAt)), append(c.started, ts(t.StartedAt))
	c.owners, c.leases = append(c.owners, t.Owner), append(c.leases, ts(t.LeaseUntil))
}

// lastTimers fills in the execution ARN and keeps the last of timers sharing an id, as
// one INSERT ... ON CONFLICT DO UPDATE may not touch a row twice.
func lastTimers(timers []store.Timer, arn string) []store.Timer {
	out := make([]store.Timer, 0, len(timers))
	pos := map[[2]string]int{}
	for _, t := range timers {
		if t.ExecutionARN == "" {
			t.ExecutionARN = arn
		}
		k := [2]string{t.ExecutionARN, t.ID}
		if i, ok := pos[k]; ok {
			out[i] = t
			continue
		}
		pos[k] = len(out)
		out = append(out, t)
	}
	return out
}

// HistoryList implements store.Store.
func (db *DB) HistoryList(ctx context.Context, p store.HistoryListParams) ([]store.HistoryEvent, error) {
	q := `SELECT id, previous_event_id, ts, type, details FROM history
		WHERE execution_arn = $1 AND id > $2 ORDER BY id LIMIT $3`
	after := p.AfterID
	if p.Reverse {
		q = `SELECT id, previous_event_id, ts, type, details FROM history
			WHERE execution_arn = $1 AND id < $2 ORDER BY id DESC LIMIT $3`
		if after <= 0 {
			after = math.MaxInt64
		}
	}
	rows, err := db.pool.Query(ctx, q, p.ExecutionARN, after, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("postgres: history list: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.HistoryEvent, error) {
		var ev store.HistoryEvent
		err := r.Scan(&ev.ID, &ev.PreviousEventID, &ev.Timestamp, &ev.Type, &ev.Details)
		ev.Timestamp, ev.Details = fromTS(ev.Timestamp), blob(ev.Details)
		return ev, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: history list: %w", err)
	}
	return out, nil
}
