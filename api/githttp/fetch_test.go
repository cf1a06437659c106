package githttp_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/githttp"
)

// TestFetchNegotiatesManyHaves fetches into a clone with many commits the server
// lacks: git sends them as haves in several rounds, gzipping the larger requests,
// and the server must still find the common commit and send only what is missing.
func TestFetchNegotiatesManyHaves(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var gzipped atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Encoding") == "gzip" {
			gzipped.Add(1)
		}
		githttp.New(b.svc).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/git/many"
	b.mustCreate(t, "many")

	work := t.TempDir()
	MustGit(t, work, "clone", "-q", url, "a")
	a := filepath.Join(work, "a")
	MustGit(t, a, "checkout", "-q", "-b", "main")
	base := MustCommitFile(t, a, "base.txt", "base\n")
	MustGit(t, a, "push", "-q", "origin", "main")
	MustGit(t, a, "checkout", "-q", "-b", "local")
	for i := range 60 {
		MustGit(t, a, "commit", "-q", "--allow-empty", "-m", fmt.Sprintf("local %d", i))
	}

	MustGit(t, work, "clone", "-q", url, "b")
	bdir := filepath.Join(work, "b")
	remote := MustCommitFile(t, bdir, "remote.txt", "r\n")
	MustGit(t, bdir, "push", "-q", "origin", "main")

	MustGit(t, a, "fetch", "-q", "origin")
	require.Equal(t, remote, strings.TrimSpace(MustGit(t, a, "rev-parse", "origin/main")))
	require.Equal(t, base, strings.TrimSpace(MustGit(t, a, "merge-base", "origin/main", "local")))
	require.Positive(t, gzipped.Load(), "git gzips negotiation requests over 1 KB")
}
