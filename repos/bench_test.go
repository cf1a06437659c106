package repos_test

import (
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/api/githttp"
)

// BenchmarkArchiveCommit10k zips a commit of 10,000 small files that reached the
// server the usual way, as one pushed pack.
func BenchmarkArchiveCommit10k(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git not installed")
	}
	svc := MustService(b)
	MustRepo(b, svc, "big")
	srv := httptest.NewServer(githttp.New(svc))
	b.Cleanup(srv.Close)

	work := b.TempDir()
	const files = 10000
	for i := range files {
		p := filepath.Join(work, fmt.Sprintf("d%02d", i%100), fmt.Sprintf("f%05d.txt", i))
		require.NoError(b, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(b, os.WriteFile(p, []byte(fmt.Sprintf("file %d\nsome small content\n", i)), 0o644))
	}
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "HOME="+work, "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=B", "GIT_AUTHOR_EMAIL=b@example.com", "GIT_COMMITTER_NAME=B", "GIT_COMMITTER_EMAIL=b@example.com")
		out, err := cmd.CombinedOutput()
		require.NoError(b, err, "%s", out)
	}
	git("init", "-q", "-b", "main")
	git("add", ".")
	git("commit", "-q", "-m", "10k files")
	git("push", "-q", srv.URL+"/git/big", "main")

	ctx := b.Context()
	var size int64
	b.ReportAllocs()
	// CPU time is reported beside wall time because the machine is shared:
	// wall time per op grows with everyone else's load, CPU time does not.
	cpu0 := cpuTime(b)
	n := 0
	for b.Loop() {
		cw := &countWriter{}
		require.NoError(b, svc.ArchiveCommit(ctx, "big", "main", cw))
		size = cw.n
		n++
	}
	b.ReportMetric(float64((cpuTime(b)-cpu0).Milliseconds())/float64(n), "cpu-ms/op")
	b.ReportMetric(float64(size), "zip-bytes")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	require.NoError(b, syscall.Getrusage(syscall.RUSAGE_SELF, &ru))
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
