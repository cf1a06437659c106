package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
)

const passMachine = `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`

func TestStateMachineListPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := range 60 {
		b.mustCreate(t, fmt.Sprintf("M%03d", i), passMachine)
	}
	code, body := b.get(t, "/_console/statemachines")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 50, strings.Count(body, `<a href="/_console/statemachines/arn:`))
	i := strings.Index(body, `?next=`)
	require.Positive(t, i, "a next page link")
	next := body[i+len("?next=") : i+strings.Index(body[i:], `"`)]
	code, body = b.get(t, "/_console/statemachines?next="+next)
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, 10, strings.Count(body, `<a href="/_console/statemachines/arn:`))
	require.Contains(t, body, "M059")
	require.Contains(t, body, "First page")
}

// mustMachines creates n state machines and starts executions executions of the
// first; it returns that machine's ARN.
func (b *testBundle) mustMachines(tb testing.TB, n, executions int) string {
	tb.Helper()
	first := ""
	for i := range n {
		arn := b.mustCreate(tb, fmt.Sprintf("Machine%04d", i), passMachine)
		if first == "" {
			first = arn
		}
	}
	for range executions {
		_, err := b.svc.StartExecution(tb.Context(), sfn.StartExecutionParams{StateMachineARN: first})
		require.NoError(tb, err)
	}
	return first
}

// BenchmarkPages renders the lists with 1,000 state machines and 1,000 executions of
// one of them; each page must stay far under 100 ms.
func BenchmarkPages(b *testing.B) {
	tb := setup(b)
	arn := tb.mustMachines(b, 1000, 1000)
	for _, path := range []string{"/_console/statemachines", "/_console/statemachines/" + url.PathEscape(arn)} {
		b.Run(strings.TrimPrefix(path[:min(len(path), 40)], "/_console/"), func(b *testing.B) {
			for b.Loop() {
				code, _ := tb.get(b, path)
				if code != http.StatusOK {
					b.Fatalf("status %d", code)
				}
			}
		})
	}
}

// BenchmarkPipelineAndStoragePages renders the pipelines list with 1,000 pipelines,
// a pipeline page after 1,000 executions (the runtime keeps the newest 100; the page
// shows 50), its poll answer, a bucket of 1,000 objects (100 a page) and an object's
// page; each must stay far under 100 ms.
func BenchmarkPipelineAndStoragePages(b *testing.B) {
	ops := setupOps(b)
	for i := range 999 {
		_, err := ops.pl.CreatePipeline(b.Context(), opsDeclaration(fmt.Sprintf("p%04d", i)), nil)
		require.NoError(b, err)
	}
	for range 1000 {
		_, err := ops.pl.StartPipelineExecution(b.Context(), "ops", nil, "", nil)
		require.NoError(b, err)
	}
	st := setupStorage(b)
	_, err := st.objs.CreateBucket(b.Context(), "many", "", "000000000000")
	require.NoError(b, err)
	for i := range 1000 {
		st.MustPut(b, "many", fmt.Sprintf("dir%d/key%04d.zip", i%3, i), "x", nil)
	}
	for _, page := range []struct {
		name string
		tb   *testBundle
		path string
	}{
		{"pipelines", ops.testBundle, "/_console/pipelines"},
		{"pipeline", ops.testBundle, "/_console/pipelines/ops"},
		{"pipeline-poll", ops.testBundle, "/_console/pipelines/ops/poll"},
		{"bucket", st.testBundle, "/_console/buckets/many?prefix=dir1%2F"},
		{"object", st.testBundle, "/_console/buckets/many/object?key=dir1%2Fkey0001.zip"},
	} {
		b.Run(page.name, func(b *testing.B) {
			for b.Loop() {
				code, _ := page.tb.get(b, page.path)
				if code != http.StatusOK {
					b.Fatalf("status %d", code)
				}
			}
		})
	}
}
