package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"stepline/store"
)

const timerCols = `execution_arn, id, kind, fire_at, data, owner, lease_until`

func scanTimer(s scanner) (store.Timer, error) {
	var t store.Timer
	err := s.Scan(&t.ExecutionARN, &t.ID, &t.Kind, &t.FireAt, &t.Data, &t.Owner, &t.LeaseUntil)
	t.FireAt, t.LeaseUntil, t.Data = fromTS(t.FireAt), fromTS(t.LeaseUntil), blob(t.Data)
	return t, err
}

// TimerClaim implements store.Store. SKIP LOCKED lets nodes claim side by side without
// waiting on each other's rows.
func (db *DB) TimerClaim(ctx context.Context, p store.TimerClaimParams) ([]store.Timer, error) {
	args := []any{p.Owner, ts(p.Now.Add(p.LeaseFor)), ts(p.Now), limit(p.Limit)}
	where := `fire_at <= $3 AND (owner = '' OR lease_until < $3)`
	if p.ExecutionARN != "" || len(p.IDs) > 0 {
		if len(p.IDs) == 0 {
			return nil, nil
		}
		args = append(args, p.ExecutionARN, p.IDs)
		where += ` AND execution_arn = $5 AND id = ANY($6)`
	}
	rows, err := db.pool.Query(ctx, `
		WITH c AS (SELECT execution_arn, id FROM timers WHERE `+where+`
			ORDER BY fire_at, execution_arn, id LIMIT $4 FOR UPDATE SKIP LOCKED)
		UPDATE timers t SET owner = $1, lease_until = $2 FROM c
		WHERE t.execution_arn = c.execution_arn AND t.id = c.id
		RETURNING t.execution_arn, t.id, t.kind, t.fire_at, t.data, t.owner, t.lease_until`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: timer claim: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Timer, error) { return scanTimer(r) })
	if err != nil {
		return nil, fmt.Errorf("postgres: timer claim: %w", err)
	}
	// RETURNING gives no order.
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.FireAt.Equal(b.FireAt) {
			return a.FireAt.Before(b.FireAt)
		}
		if a.ExecutionARN != b.ExecutionARN {
			return a.ExecutionARN < b.ExecutionARN
		}
		return a.ID < b.ID
	})
	return out, nil
}

// TimerNext implements store.Store.
func (db *DB) TimerNext(ctx context.Context, now time.Time) (time.Time, error) {
	var fire time.Time
	err := db.pool.QueryRow(ctx, `SELECT fire_at FROM timers WHERE owner = '' OR lease_until < $1
		ORDER BY fire_at LIMIT 1`, ts(now)).Scan(&fire)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, fmt.Errorf("postgres: timer next: %w", err)
	}
	return fromTS(fire), nil
}
