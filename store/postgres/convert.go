package postgres

import (
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"stepline/store"
)

// ts prepares a time for a timestamptz column: whole microseconds (PostgreSQL would
// round, SQLite truncates; both drivers must agree) and UTC. The zero time stays zero
// and is stored as 0001-01-01, which sorts first and counts as long past.
func ts(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.Truncate(time.Microsecond).UTC()
}

// fromTS is the inverse of ts.
func fromTS(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// blob normalises empty documents to nil, as the contract promises.
func blob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// limit turns the contract's "0: no limit" into LIMIT NULL.
func limit(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}

// nullString stores "" as NULL, for columns unique only when set.
func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// notFound maps pgx.ErrNoRows to store.ErrNotFound and wraps anything else.
func notFound(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return store.ErrNotFound
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// scanner is pgx.Row or pgx.Rows.
type scanner interface{ Scan(dest ...any) error }
