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

// TestProtocolVersions clones and fetches with each protocol version git speaks,
// checking the version 2 requests really arrive as version 2.
func TestProtocolVersions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var v2Posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.Contains(r.Header.Get("Git-Protocol"), "version=2") {
			v2Posts.Add(1)
		}
		githttp.New(b.svc).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	b.mustCreate(t, "versions")
	url := srv.URL + "/git/versions"

	// An empty repository's clone learns the default branch through v2's
	// "unborn" HEAD, whatever the client's own default is.
	work := t.TempDir()
	MustGit(t, work, "-c", "protocol.version=2", "-c", "init.defaultBranch=trunk", "clone", "-q", url, "empty")
	require.Equal(t, "refs/heads/main", strings.TrimSpace(MustGit(t, filepath.Join(work, "empty"), "symbolic-ref", "HEAD")))

	seed := filepath.Join(work, "empty")
	first := MustCommitFile(t, seed, "a.txt", "a\n")
	MustGit(t, seed, "tag", "-a", "-m", "one", "v1")
	MustGit(t, seed, "push", "-q", "origin", "main", "v1")

	for _, v := range []string{"0", "1", "2"} {
		dir := "clone-v" + v
		MustGit(t, work, "-c", "protocol.version="+v, "clone", "-q", url, dir)
		require.Equal(t, first, strings.TrimSpace(MustGit(t, filepath.Join(work, dir), "rev-parse", "HEAD")))
		require.Contains(t, MustGit(t, filepath.Join(work, dir), "tag"), "v1")
	}
	next := MustCommitFile(t, seed, "b.txt", "b\n")
	MustGit(t, seed, "push", "-q", "origin", "main")
	for _, v := range []string{"0", "1", "2"} {
		dir := filepath.Join(work, "clone-v"+v)
		MustGit(t, dir, "-c", "protocol.version="+v, "pull", "-q", "--ff-only")
		require.Equal(t, next, strings.TrimSpace(MustGit(t, dir, "rev-parse", "HEAD")), fmt.Sprintf("v%s", v))
	}
	out := MustGit(t, seed, "-c", "protocol.version=2", "ls-remote", "origin", "refs/tags/*")
	require.Contains(t, out, first+"\trefs/tags/v1^{}")
	require.Positive(t, v2Posts.Load())
}
