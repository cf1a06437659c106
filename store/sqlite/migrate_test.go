package sqlite_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"stepline/store"
)

// TestMigrateKeepsHistory opens a database written with only the first migration
// and requires the later ones to carry its executions and history over.
func TestMigrateKeepsHistory(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	first, err := os.ReadFile("migrations/001_initial.sql")
	require.NoError(t, err)
	raw, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	for _, q := range []string{
		`PRAGMA journal_mode=WAL`,
		`CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL)`,
		string(first),
		`INSERT INTO schema_migrations VALUES (1, '001_initial')`,
		`INSERT INTO executions VALUES ('e2', 'sm', '', '', '', 'n2', 'RUNNING', 20, 0, 3, NULL, X'73')`,
		`INSERT INTO executions VALUES ('e1', 'sm', '', '', '', 'n1', 'SUCCEEDED', 10, 30, 2, NULL, NULL)`,
		`INSERT INTO history VALUES ('e2', 2, 1, 21, 'B', X'7b7d'), ('e1', 1, 0, 10, 'A', NULL), ('e2', 1, 0, 20, 'A', NULL)`,
	} {
		_, err := raw.Exec(q)
		require.NoError(t, err, q)
	}
	require.NoError(t, raw.Close())

	db := MustOpen(t, path)
	ctx := t.Context()
	e, err := db.ExecutionGet(ctx, "e2")
	require.NoError(t, err)
	require.Equal(t, int64(3), e.NextEventID)
	require.Equal(t, []byte("s"), e.Snapshot)
	evs, err := db.HistoryList(ctx, store.HistoryListParams{ExecutionARN: "e2"})
	require.NoError(t, err)
	require.Len(t, evs, 2)
	require.Equal(t, "A", evs[0].Type)
	require.Equal(t, []byte("{}"), evs[1].Details)
	evs, err = db.HistoryList(ctx, store.HistoryListParams{ExecutionARN: "e1"})
	require.NoError(t, err)
	require.Len(t, evs, 1)
	// The migrated database takes new transitions.
	e.Snapshot = []byte("t")
	require.NoError(t, db.HistoryAppend(ctx, store.HistoryAppendParams{
		Execution: e, ExpectNextEventID: 3, Events: []store.HistoryEvent{{ID: 3, PreviousEventID: 2, Type: "C"}},
	}))
	evs, err = db.HistoryList(ctx, store.HistoryListParams{ExecutionARN: "e2", Reverse: true, Limit: 1})
	require.NoError(t, err)
	require.Equal(t, int64(3), evs[0].ID)
}
