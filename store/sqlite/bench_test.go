package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/store/sqlite"
	"stepline/store/storetest"
)

// BenchmarkHistoryAppend measures group-committed transitions on a real file with
// each durability setting (see docs/adr/0001-sqlite-durability.md), at the default
// concurrency and at four times it, where FULL's fsync is shared by larger batches.
func BenchmarkHistoryAppend(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		for _, g := range []int{storetest.BenchmarkConcurrencyDefault, 4 * storetest.BenchmarkConcurrencyDefault} {
			b.Run(fmt.Sprintf("synchronous=%s/goroutines=%d", sync, g), func(b *testing.B) {
				db, err := sqlite.OpenWith(filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Synchronous: sync})
				require.NoError(b, err)
				defer func() { require.NoError(b, db.Close()) }()
				storetest.BenchmarkHistoryAppend(b, db, g)
			})
		}
	}
}

// BenchmarkExecutionStart measures StartExecution-shaped writes (a new execution, two
// events, a timer) at the concurrency of a busy API: 8 callers.
func BenchmarkExecutionStart(b *testing.B) {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	require.NoError(b, err)
	defer func() { require.NoError(b, db.Close()) }()
	storetest.BenchmarkExecutionStart(b, db, 8)
}
