package githttp_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// mustHistory pushes five commits to repository name, committed a day apart from
// 2020-01-01, and tags the second one v1; it returns their ids, oldest first.
func (b *testBundle) mustHistory(t *testing.T, name string) []string {
	t.Helper()
	b.mustCreate(t, name)
	a := b.mustClone(t, name)
	var ids []string
	for i := 1; i <= 5; i++ {
		require.NoError(t, os.WriteFile(filepath.Join(a, fmt.Sprintf("f%d", i)), []byte(fmt.Sprint(i)), 0o644))
		MustGit(t, a, "add", ".")
		cmd := exec.Command("git", "commit", "-q", "-m", fmt.Sprintf("c%d", i))
		cmd.Dir = a
		date := fmt.Sprintf("2020-01-0%dT00:00:00Z", i)
		cmd.Env = append(os.Environ(), "HOME="+filepath.Join(os.TempDir(), "stepline-git-home"), "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada",
			"GIT_COMMITTER_EMAIL=ada@example.com", "GIT_COMMITTER_DATE="+date, "GIT_AUTHOR_DATE="+date)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, string(out))
		ids = append(ids, strings.TrimSpace(MustGit(t, a, "rev-parse", "HEAD")))
	}
	MustGit(t, a, "tag", "-a", "-m", "one", "v1", ids[1])
	MustGit(t, a, "push", "-q", "origin", "main", "v1")
	return ids
}

// depth returns how many commits the clone in dir has and its shallow boundary.
func depth(t *testing.T, dir string) (int, string) {
	t.Helper()
	n := 0
	_, err := fmt.Sscan(MustGit(t, dir, "rev-list", "--count", "HEAD"), &n)
	require.NoError(t, err)
	shallow, _ := os.ReadFile(filepath.Join(dir, ".git", "shallow"))
	return n, strings.TrimSpace(string(shallow))
}

func TestShallow(t *testing.T) {
	t.Parallel()
	for _, proto := range []string{"0", "1", "2"} {
		t.Run("Protocol"+proto, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			ids := b.mustHistory(t, "hist")
			work := t.TempDir()
			clone := func(dir string, args ...string) string {
				MustGit(t, work, append([]string{"-c", "protocol.version=" + proto, "clone", "-q"}, append(args, b.url+"hist", dir)...)...)
				return filepath.Join(work, dir)
			}
			fetch := func(dir string, args ...string) {
				MustGit(t, dir, append([]string{"-c", "protocol.version=" + proto, "fetch", "-q"}, args...)...)
			}

			d := clone("depth1", "--depth", "1")
			n, shallow := depth(t, d)
			require.Equal(t, 1, n)
			require.Equal(t, ids[4], shallow)
			got, err := os.ReadFile(filepath.Join(d, "f1"))
			require.NoError(t, err)
			require.Equal(t, "1", string(got))

			fetch(d, "--deepen", "2")
			n, shallow = depth(t, d)
			require.Equal(t, 3, n)
			require.Equal(t, ids[2], shallow)

			fetch(d, "--depth", "4")
			n, shallow = depth(t, d)
			require.Equal(t, 4, n)
			require.Equal(t, ids[1], shallow)

			fetch(d, "--unshallow")
			n, shallow = depth(t, d)
			require.Equal(t, 5, n)
			require.Empty(t, shallow)
			MustGit(t, d, "fsck", "--no-progress")

			s := clone("since", "--shallow-since", "2020-01-03T00:00:00Z")
			n, shallow = depth(t, s)
			require.Equal(t, 3, n)
			require.Equal(t, ids[2], shallow)
			MustGit(t, s, "fsck", "--no-progress")

			x := clone("exclude", "--shallow-exclude", "v1")
			n, shallow = depth(t, x)
			require.Equal(t, 3, n)
			require.Equal(t, ids[2], shallow)

			// A push on top of a shallow clone, fetched by another shallow clone.
			c6 := MustCommitFile(t, d, "f6", "6")
			MustGit(t, d, "push", "-q", "origin", "main")
			fetch(s)
			require.Equal(t, c6, strings.TrimSpace(MustGit(t, s, "rev-parse", "origin/main")))
			n, shallow = depth(t, s)
			require.Equal(t, 3, n)
			require.Equal(t, ids[2], shallow)
			MustGit(t, s, "fsck", "--no-progress")

			// A since that selects nothing is git's error, not a broken stream.
			out, err := git(t, work, "-c", "protocol.version="+proto, "clone", "--shallow-since", "2030-01-01", b.url+"hist", "none")
			require.Error(t, err)
			require.Contains(t, out, "no commits selected for shallow requests")
		})
	}
}
