package githttp_test

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/githttp"
)

func TestGitCredentials(t *testing.T) {
	t.Parallel()
	t.Run("AnyCredentialsByDefault", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.mustCreate(t, "open")
		work := t.TempDir()
		url := strings.Replace(b.url, "http://", "http://alice-at-000000000000:anything@", 1)
		MustGit(t, work, "clone", "-q", url+"open", "with")
		MustGit(t, work, "clone", "-q", b.url+"open", "without")
	})
	t.Run("OnlyConfiguredCredentials", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.mustCreate(t, "closed")
		creds, err := githttp.ParseCredentials(strings.NewReader("# HTTPS Git credentials\nalice-at-000000000000:s3cret:with:colons\n\nbob:pw\n"))
		require.NoError(t, err)
		srv := httptest.NewServer(githttp.NewWithConfig(b.svc, githttp.Config{Credentials: creds}))
		t.Cleanup(srv.Close)
		work := t.TempDir()
		base := srv.URL + "/git/closed"
		out, err := git(t, work, "clone", "-q", base, "none")
		require.Error(t, err)
		require.Contains(t, out, "could not read Username") // git was challenged and had nothing to answer
		out, err = git(t, work, "clone", "-q", strings.Replace(base, "http://", "http://alice-at-000000000000:wrong@", 1), "wrong")
		require.Error(t, err)
		require.Contains(t, out, "Authentication failed")

		good := strings.Replace(base, "http://", "http://alice-at-000000000000:s3cret%3Awith%3Acolons@", 1)
		MustGit(t, work, "clone", "-q", good, "good")
		dir := filepath.Join(work, "good")
		MustGit(t, dir, "checkout", "-q", "-b", "main")
		c := MustCommitFile(t, dir, "a", "a\n")
		MustGit(t, dir, "push", "-q", "origin", "main")
		br, err := b.svc.GetBranch(t.Context(), "closed", "main")
		require.NoError(t, err)
		require.Equal(t, c, br.CommitID)
	})
	t.Run("MalformedFile", func(t *testing.T) {
		t.Parallel()
		for _, in := range []string{"", "# only a comment\n", "nocolon\n", ":nouser\n", "nopass:\n"} {
			_, err := githttp.ParseCredentials(strings.NewReader(in))
			require.Error(t, err, "%q", in)
		}
	})
}

// FuzzParseCredentials checks that any file either parses into credentials that
// accept their own lines or is refused with an error, never a panic.
func FuzzParseCredentials(f *testing.F) {
	f.Add("alice:pw\n")
	f.Add("# c\n\nbob:a:b:c\r\n")
	f.Add(":\n")
	f.Add("x")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := githttp.ParseCredentials(strings.NewReader(in))
		if err != nil {
			require.Nil(t, c)
			return
		}
		require.NotNil(t, c)
	})
}
