package sqlite_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/store"
	"stepline/store/sqlite"
	"stepline/store/storetest"
)

// MustOpen opens a throwaway database closed at the end of the test.
func MustOpen(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(path)
	require.NoError(tb, err)
	tb.Cleanup(func() { require.NoError(tb, db.Close()) })
	return db
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) store.Store { return MustOpen(t, ":memory:") })
}
