package postgres_test

import (
	"testing"

	"stepline/store/storetest"
)

// BenchmarkHistoryAppend measures group-committed transitions against the database in
// STEPLINE_TEST_POSTGRES.
func BenchmarkHistoryAppend(b *testing.B) {
	storetest.BenchmarkHistoryAppend(b, MustOpen(b), storetest.BenchmarkConcurrencyDefault)
}

// BenchmarkExecutionStart measures StartExecution-shaped writes from 8 callers.
func BenchmarkExecutionStart(b *testing.B) {
	storetest.BenchmarkExecutionStart(b, MustOpen(b), 8)
}
