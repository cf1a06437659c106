package sqlite_test

import (
	"path/filepath"
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

func TestReopenKeepsData(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "nested", "dir", "stepline.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	ctx := t.Context()
	_, err = db.RecordPut(ctx, store.Record{Kind: "k", Key: "a", Data: []byte(`{"x":1}`)})
	require.NoError(t, err)
	require.NoError(t, db.Close())
	require.NoError(t, db.Close(), "Close is idempotent")

	// Migrations already applied are skipped on the second open.
	db = MustOpen(t, path)
	r, err := db.RecordGet(ctx, "k", "a")
	require.NoError(t, err)
	require.Equal(t, []byte(`{"x":1}`), r.Data)
}

func TestClosedRejectsCalls(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open("")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	_, err = db.RecordPut(t.Context(), store.Record{Kind: "k", Key: "a"})
	require.ErrorIs(t, err, sqlite.ErrClosed)
}

func TestRejectsBadOptions(t *testing.T) {
	t.Parallel()
	_, err := sqlite.OpenWith("", sqlite.Options{Synchronous: "SOMETIMES"})
	require.Error(t, err)
	_, err = sqlite.Open(filepath.Join(t.TempDir(), "a?b.db"))
	require.Error(t, err)
}
