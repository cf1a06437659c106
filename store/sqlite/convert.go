package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"stepline/store"
)

// micros stores a time as Unix microseconds, the zero time as 0.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros is the inverse of micros.
func fromMicros(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

// blob normalises empty documents to nil, as the contract promises.
func blob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// limit turns the contract's "0: no limit" into SQLite's -1.
func limit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// nullString stores "" as NULL, for columns unique only when set.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// notFound maps sql.ErrNoRows to store.ErrNotFound and wraps anything else.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

// scanner is *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }
