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
