// Package pgtest gives tests of any package a fresh PostgreSQL schema in the
// database named by $STEPLINE_TEST_POSTGRES (scripts/postgres-start starts a
// throwaway cluster and prints its URL), and skips them when it is not set.
package pgtest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"stepline/store/postgres"
)

// EnvURL is the environment variable naming the test database.
const EnvURL = "STEPLINE_TEST_POSTGRES"

// URL returns a connection URL whose search path is a fresh schema: every store
// opened with it shares that schema, as the nodes of one deployment share a
// database. The schema is dropped at cleanup. Without $STEPLINE_TEST_POSTGRES the
// test is skipped.
func URL(tb testing.TB) string {
	tb.Helper()
	url := RawURL(tb)
	ctx := context.Background()
	schema := "t_" + strings.ReplaceAll(uuid.NewString(), "-", "")
	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		tb.Fatalf("pgtest: connect: %v", err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("pgtest: create schema: %v", err)
	}
	// Registered first, so it runs after the cleanups of the stores opened later.
	tb.Cleanup(func() {
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			tb.Errorf("pgtest: drop schema: %v", err)
		}
		_ = admin.Close(ctx)
	})
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "search_path=" + schema + "&pool_max_conns=8"
}

// RawURL returns $STEPLINE_TEST_POSTGRES itself, or skips the test.
func RawURL(tb testing.TB) string {
	tb.Helper()
	url := strings.TrimSpace(os.Getenv(EnvURL))
	if url == "" {
		tb.Skip(EnvURL + " is not set; export " + EnvURL + "=$(scripts/postgres-start /tmp/pg) to run against PostgreSQL")
	}
	return url
}

// Open opens a store in a fresh schema; it is closed at cleanup.
func Open(tb testing.TB) *postgres.DB {
	tb.Helper()
	return OpenURL(tb, URL(tb))
}

// OpenURL opens a store at url (from URL); it is closed at cleanup.
func OpenURL(tb testing.TB, url string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		tb.Fatalf("pgtest: open: %v", err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	return db
}
