package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/store/sqlite"
	"stepline/store/storetest"
)

// BenchmarkHistoryAppend measures group-committed transitions on a real file with
// each durability setting; see docs/adr/0001-sqlite-durability.md.
func BenchmarkHistoryAppend(b *testing.B) {
	for _, sync := range []string{"FULL", "NORMAL"} {
		b.Run("synchronous="+sync, func(b *testing.B) {
			db, err := sqlite.OpenWith(filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Synchronous: sync})
			require.NoError(b, err)
			defer func() { require.NoError(b, db.Close()) }()
			storetest.BenchmarkHistoryAppend(b, db, storetest.BenchmarkConcurrencyDefault)
		})
	}
}
