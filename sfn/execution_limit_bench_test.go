package sfn

import "testing"

// BenchmarkAdmitExecution measures what the open-execution quota adds to a start far
// from the limit: an ARN parse, a mutex and a map lookup.
func BenchmarkAdmitExecution(b *testing.B) {
	bd := setupB(b)
	sm := "arn:aws:states:us-east-1:000000000000:stateMachine:S"
	bd.s.open = newOpenExecutions(1 << 62)
	b.ReportAllocs()
	for b.Loop() {
		if err := bd.s.admitExecution(bd.ctx, sm); err != nil {
			b.Fatal(err)
		}
	}
}
