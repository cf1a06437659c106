package postgres_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"stepline/store"
	"stepline/store/postgres"
	"stepline/store/storetest"
)

// testURL returns the database the tests may use, or skips: scripts/postgres-start
// starts a throwaway one and prints its URL.
func testURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("STEPLINE_TEST_POSTGRES")
	if url == "" {
		tb.Skip("STEPLINE_TEST_POSTGRES is not set; export STEPLINE_TEST_POSTGRES=$(scripts/postgres-start) to run against PostgreSQL")
	}
	return url
}

// MustOpen opens a store in a fresh schema of the test database, dropped at cleanup.
func MustOpen(tb testing.TB) *postgres.DB {
	tb.Helper()
	url := testURL(tb)
	ctx := context.Background()
	schema := "t_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	admin, err := pgx.Connect(ctx, url)
	require.NoError(tb, err)
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(tb, err)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	db, err := postgres.Open(ctx, fmt.Sprintf("%s%ssearch_path=%s&pool_max_conns=4", url, sep, schema))
	require.NoError(tb, err)
	tb.Cleanup(func() {
		require.NoError(tb, db.Close())
		_, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
		require.NoError(tb, err)
		require.NoError(tb, admin.Close(ctx))
	})
	return db
}

func TestConformance(t *testing.T) {
	t.Parallel()
	testURL(t)
	storetest.Run(t, func(t *testing.T) store.Store { return MustOpen(t) })
}
