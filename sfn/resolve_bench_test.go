package sfn

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkResolveStartTarget measures what every StartExecution pays to find its
// definition: one record read and a cache hit on the parsed machine.
func BenchmarkResolveStartTarget(b *testing.B) {
	bb := setupB(b)
	res, err := bb.s.StateMachineCreate(bb.ctx, StateMachineCreateParams{Name: "B", Definition: testDef, RoleARN: testRole})
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := bb.s.resolveStartTarget(bb.ctx, res.ARN); err != nil {
			b.Fatal(err)
		}
	}
}
