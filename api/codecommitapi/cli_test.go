package codecommitapi_test

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// awsCLI runs the aws CLI against the test server and decodes its JSON output
// into out (when not nil).
func (b *testBundle) awsCLI(t *testing.T, out any, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("aws", append([]string{"--endpoint-url", b.srv.URL, "--output", "json", "codecommit"}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	raw, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return string(ee.Stderr), err
		}
		return "", err
	}
	if out != nil {
		require.NoError(t, json.Unmarshal(raw, out), "%s", raw)
	}
	return string(raw), nil
}

// TestCLICreatePushAndRead is the user's path: create a repository with the aws
// CLI, push to its cloneUrlHttp with git, read the commit back with the CLI.
func TestCLICreatePushAndRead(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the aws CLI takes seconds to start")
	}
	for _, tool := range []string{"aws", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	b := setup(t)
	var created struct {
		RepositoryMetadata struct {
			RepositoryName, CloneUrlHttp, Arn string
		} `json:"repositoryMetadata"`
	}
	_, err := b.awsCLI(t, &created, "create-repository", "--repository-name", "cli-demo", "--repository-description", "from the CLI")
	require.NoError(t, err)
	require.Equal(t, b.srv.URL+"/git/cli-demo", created.RepositoryMetadata.CloneUrlHttp)

	work := t.TempDir()
	run := func(dir string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "HOME="+work, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
			"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "git %v: %s", args, out)
		return strings.TrimSpace(string(out))
	}
	run(work, "clone", "-q", created.RepositoryMetadata.CloneUrlHttp, "w")
	w := filepath.Join(work, "w")
	run(w, "checkout", "-q", "-b", "main")
	require.NoError(t, os.WriteFile(filepath.Join(w, "app.txt"), []byte("v1\n"), 0o644))
	run(w, "add", ".")
	run(w, "commit", "-q", "-m", "first release")
	head := run(w, "rev-parse", "HEAD")
	run(w, "push", "-q", "origin", "main")

	var branch struct {
		Branch struct{ BranchName, CommitId string } `json:"branch"`
	}
	_, err = b.awsCLI(t, &branch, "get-branch", "--repository-name", "cli-demo", "--branch-name", "main")
	require.NoError(t, err)
	require.Equal(t, head, branch.Branch.CommitId)

	var commit struct {
		Commit struct {
			Message string
			Author  struct{ Name, Email string }
		} `json:"commit"`
	}
	_, err = b.awsCLI(t, &commit, "get-commit", "--repository-name", "cli-demo", "--commit-id", head)
	require.NoError(t, err)
	require.Equal(t, "first release\n", commit.Commit.Message)
	require.Equal(t, "Ada", commit.Commit.Author.Name)

	stderr, err := b.awsCLI(t, nil, "get-repository", "--repository-name", "missing")
	require.Error(t, err)
	require.Contains(t, stderr, "RepositoryDoesNotExistException")
	require.Contains(t, stderr, "missing does not exist")
}
