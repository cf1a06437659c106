package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"

	"stepline/store"
)

const timerCols = `execution_arn, id, kind, fire_at, data, owner, lease_until`

func scanTimer(s scanner) (store.Timer, error) {
	var t store.Timer
	var fire, lease int64
	err := s.Scan(&t.ExecutionARN, &t.ID, &t.Kind, &fire, &t.Data, &t.Owner, &lease)
	t.FireAt, t.LeaseUntil, t.Data = fromMicros(fire), fromMicros(lease), blob(t.Data)
	return t, err
}

// TimerClaim implements store.Store. SQLite has one writer, so the claim needs no
// row locks: the select and the update run in the writer's transaction.
func (db *DB) TimerClaim(ctx context.Context, p store.TimerClaimParams) ([]store.Timer, error) {
	now := micros(p.Now)
	lease := micros(p.Now.Add(p.LeaseFor))
	args := []any{p.Owner, lease, now, limit(p.Limit)}
	var where strings.Builder
	where.WriteString(`fire_at <= ?3 AND (owner = '' OR lease_until < ?3)`)
	if p.ExecutionARN != "" || len(p.IDs) > 0 {
		if len(p.IDs) == 0 {
			return nil, nil
		}
		args = append(args, p.ExecutionARN)
		fmt.Fprintf(&where, ` AND execution_arn = ?%d AND id IN (`, len(args))
		for i, id := range p.IDs {
			args = append(args, id)
			if i > 0 {
				where.WriteString(", ")
			}
			fmt.Fprintf(&where, "?%d", len(args))
		}
		where.WriteString(")")
	}
	q := `UPDATE timers SET owner = ?1, lease_until = ?2 WHERE (execution_arn, id) IN (
		SELECT execution_arn, id FROM timers WHERE ` + where.String() + `
		ORDER BY fire_at, execution_arn, id LIMIT ?4) RETURNING ` + timerCols
	var out []store.Timer
	err := db.write1(ctx, false, func(w *wtx) error {
		out = out[:0]
		rows, err := w.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			t, err := scanTimer(rows)
			if err != nil {
				return fmt.Errorf("sqlite: timer claim: %w", err)
			}
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order.
	sort.Slice(out, func(i, j int) bool { return timerLess(out[i], out[j]) })
	return out, nil
}

func timerLess(a, b store.Timer) bool {
	if !a.FireAt.Equal(b.FireAt) {
		return a.FireAt.Before(b.FireAt)
	}
	if a.ExecutionARN != b.ExecutionARN {
		return a.ExecutionARN < b.ExecutionARN
	}
	return a.ID < b.ID
}

// TimerNext implements store.Store.
func (db *DB) TimerNext(ctx context.Context, now time.Time) (time.Time, error) {
	st, err := db.rstmt(`SELECT fire_at FROM timers WHERE owner = '' OR lease_until < ? ORDER BY fire_at LIMIT 1`)
	if err != nil {
		return time.Time{}, err
	}
	var fire int64
	switch err := st.QueryRowContext(ctx, micros(now)).Scan(&fire); {
	case err == sql.ErrNoRows:
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, fmt.Errorf("sqlite: timer next: %w", err)
	}
	return fromMicros(fire), nil
}
