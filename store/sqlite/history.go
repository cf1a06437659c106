package sqlite

import (
	"context"
	"fmt"
	"math"
	"strings"

	"stepline/store"
)

// HistoryAppend implements store.Store. The execution row's guard is the transition's
// first statement, so a stale ExpectNextEventID is refused before anything is written
// and the rest of the batch carries on.
func (db *DB) HistoryAppend(ctx context.Context, p store.HistoryAppendParams) error {
	if err := store.CheckAppend(p); err != nil {
		return err
	}
	e := p.Execution
	next := p.ExpectNextEventID + int64(len(p.Events))
	wakes := len(p.TimersAdd) > 0 || len(p.TasksAdd) > 0
	return db.write1(ctx, wakes, func(w *wtx) error {
		var seq int64
		var found bool
		var err error
		if p.Create {
			// RETURNING costs SQLite an ephemeral table per statement; the row id of
			// the insert is free.
			seq, err = w.insert(`INSERT INTO executions (`+executionCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING`,
				e.ARN, e.StateMachineARN, e.VersionARN, e.AliasARN, e.MapRunARN, e.Name, e.Status,
				micros(e.StartTime), micros(e.StopTime), next, blob(e.Data), blob(e.Snapshot))
			if err != nil {
				return err
			}
			if seq == 0 {
				return refuse(store.ErrExists)
			}
		} else {
			// Only the columns a transition may change are set, so SQLite leaves the
			// listing indexes alone.
			n, err := w.exec(`UPDATE executions SET status = ?, stop_time = ?, next_event_id = ?, data = ?, snapshot = ?
				WHERE arn = ? AND next_event_id = ?`,
				e.Status, micros(e.StopTime), next, blob(e.Data), blob(e.Snapshot), e.ARN, p.ExpectNextEventID)
			if err != nil {
				return err
			}
			seq, found, err = w.queryInt(`SELECT seq FROM executions WHERE arn = ?`, e.ARN)
			switch {
			case err != nil:
				return err
			case !found:
				return refuse(store.ErrNotFound)
			case n == 0:
				return refuse(store.ErrConflict)
			}
		}
		return w.appendRest(p, seq)
	})
}

// appendRest writes a transition's events, timers and tasks once its guard passed.
// seq is the execution row's integer key, which history rows refer to.
func (w *wtx) appendRest(p store.HistoryAppendParams, seq int64) error {
	arn := p.Execution.ARN
	for i := 0; i < len(p.Events); i += maxEventsPerInsert {
		evs := p.Events[i:min(i+maxEventsPerInsert, len(p.Events))]
		args := make([]any, 0, 6*len(evs))
		for _, ev := range evs {
			args = append(args, seq, ev.ID, ev.PreviousEventID, micros(ev.Timestamp), ev.Type, blob(ev.Details))
		}
		if _, err := w.exec(historyInsert(len(evs)), args...); err != nil {
			return fmt.Errorf("history: %w", err)
		}
	}
	for _, id := range p.TimersDelete {
		if replaced(p.TimersAdd, arn, id) {
			continue // the insert below replaces it
		}
		if _, err := w.exec(`DELETE FROM timers WHERE execution_arn = ? AND id = ?`, arn, id); err != nil {
			return err
		}
	}
	for _, id := range p.TasksDelete {
		if _, err := w.exec(`DELETE FROM tasks WHERE execution_arn = ? AND id = ?`, arn, id); err != nil {
			return err
		}
	}
	for _, t := range p.TimersAdd {
		if t.ExecutionARN == "" {
			t.ExecutionARN = arn
		}
		if _, err := w.exec(`INSERT OR REPLACE INTO timers (`+timerCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			t.ExecutionARN, t.ID, t.Kind, micros(t.FireAt), blob(t.Data), t.Owner, micros(t.LeaseUntil)); err != nil {
			return err
		}
	}
	for _, t := range p.TasksAdd {
		if t.ExecutionARN == "" {
			t.ExecutionARN = arn
		}
		n, err := w.exec(`INSERT INTO tasks (`+taskCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
			ON CONFLICT DO NOTHING`,
			t.ExecutionARN, t.ID, t.Kind, t.Resource, nullString(t.Token), t.State, blob(t.Input), t.WorkerName,
			micros(t.CreatedAt), micros(t.StartedAt), t.Owner, micros(t.LeaseUntil))
		if err != nil {
			return err
		}
		if n == 0 {
			// Not a refusal: the execution row and events are already written.
			return fmt.Errorf("sqlite: task %s/%s: %w", t.ExecutionARN, t.ID, store.ErrExists)
		}
	}
	return nil
}

// replaced reports whether timers re-adds id, which makes deleting it first redundant.
func replaced(timers []store.Timer, arn, id string) bool {
	for _, t := range timers {
		if t.ID == id && (t.ExecutionARN == "" || t.ExecutionARN == arn) {
			return true
		}
	}
	return false
}

// maxEventsPerInsert keeps multi-row inserts to a handful of prepared shapes.
const maxEventsPerInsert = 8

func historyInsert(n int) string {
	return `INSERT INTO history (execution_seq, id, previous_event_id, ts, type, details) VALUES ` +
		strings.Repeat(`(?, ?, ?, ?, ?, ?), `, n-1) + `(?, ?, ?, ?, ?, ?)`
}

// HistoryList implements store.Store.
func (db *DB) HistoryList(ctx context.Context, p store.HistoryListParams) ([]store.HistoryEvent, error) {
	q := `SELECT id, previous_event_id, ts, type, details FROM history
		WHERE execution_seq = (SELECT seq FROM executions WHERE arn = ?) AND id > ? ORDER BY id LIMIT ?`
	after := p.AfterID
	if p.Reverse {
		q = `SELECT id, previous_event_id, ts, type, details FROM history
			WHERE execution_seq = (SELECT seq FROM executions WHERE arn = ?) AND id < ? ORDER BY id DESC LIMIT ?`
		if after <= 0 {
			after = math.MaxInt64
		}
	}
	st, err := db.rstmt(q)
	if err != nil {
		return nil, err
	}
	rows, err := st.QueryContext(ctx, p.ExecutionARN, after, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("sqlite: history list: %w", err)
	}
	defer rows.Close()
	var out []store.HistoryEvent
	for rows.Next() {
		var ev store.HistoryEvent
		var ts int64
		if err := rows.Scan(&ev.ID, &ev.PreviousEventID, &ts, &ev.Type, &ev.Details); err != nil {
			return nil, fmt.Errorf("sqlite: history list: %w", err)
		}
		ev.Timestamp, ev.Details = fromMicros(ts), blob(ev.Details)
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: history list: %w", err)
	}
	return out, nil
}
