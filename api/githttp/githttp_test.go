package githttp_test

import (
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/githttp"
	"stepline/repos"
	"stepline/store/sqlite"
)

// testBundle is one server with one repository service.
type testBundle struct {
	svc *repos.Service
	srv *httptest.Server
	url string // base URL of repositories: <srv>/git/
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	st, err := sqlite.Open(":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	svc, err := repos.New(repos.Config{Store: st, Dir: t.TempDir()})
	require.NoError(t, err)
	srv := httptest.NewServer(githttp.New(svc))
	t.Cleanup(srv.Close)
	return &testBundle{svc: svc, srv: srv, url: srv.URL + "/git/"}
}

// MustGit runs git in dir with a clean configuration and returns its output.
func MustGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := git(t, dir, args...)
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	return out
}

// git runs git in dir with a clean configuration.
func git(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	home := filepath.Join(os.TempDir(), "stepline-git-home")
	cmd.Env = append(os.Environ(),
		"HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// MustCommitFile writes name with content in the work tree dir and commits it.
func MustCommitFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	MustGit(t, dir, "add", name)
	MustGit(t, dir, "commit", "-q", "-m", "add "+name)
	return strings.TrimSpace(MustGit(t, dir, "rev-parse", "HEAD"))
}

func (b *testBundle) mustCreate(t *testing.T, name string) {
	t.Helper()
	_, err := b.svc.CreateRepository(t.Context(), repos.CreateRepositoryParams{Name: name})
	require.NoError(t, err)
}

func TestCloneEmptyPushClone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "demo")
	work := t.TempDir()
	MustGit(t, work, "clone", "-q", b.url+"demo", "a")
	a := filepath.Join(work, "a")
	MustGit(t, a, "checkout", "-q", "-b", "main")
	c1 := MustCommitFile(t, a, "README.md", "hello\n")
	MustGit(t, a, "push", "-q", "origin", "main")

	br, err := b.svc.GetBranch(t.Context(), "demo", "main")
	require.NoError(t, err)
	require.Equal(t, c1, br.CommitID)

	MustGit(t, work, "clone", "-q", b.url+"demo.git", "b")
	got, err := os.ReadFile(filepath.Join(work, "b", "README.md"))
	require.NoError(t, err)
	require.Equal(t, "hello\n", string(got))

	// Fetch with history on both sides: negotiation must find the common commit.
	c2 := MustCommitFile(t, a, "src/main.go", "package main\n")
	MustGit(t, a, "push", "-q", "origin", "main")
	MustGit(t, filepath.Join(work, "b"), "pull", "-q", "--ff-only")
	require.Equal(t, c2, strings.TrimSpace(MustGit(t, filepath.Join(work, "b"), "rev-parse", "HEAD")))
}
