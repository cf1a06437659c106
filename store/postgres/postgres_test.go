package postgres_test

import (
	"testing"

	"stepline/store"
	"stepline/store/postgres"
	"stepline/store/postgres/pgtest"
	"stepline/store/storetest"
)

// MustOpen opens a store in a fresh schema of the test database, or skips.
func MustOpen(tb testing.TB) *postgres.DB {
	tb.Helper()
	return pgtest.Open(tb)
}

func TestConformance(t *testing.T) {
	t.Parallel()
	pgtest.RawURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return MustOpen(t) })
}
