package githttp_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/repos"
)

// mustClone clones repository name into a new directory with a main branch.
func (b *testBundle) mustClone(t *testing.T, name string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "w")
	MustGit(t, filepath.Dir(dir), "clone", "-q", b.url+name, "w")
	if _, err := git(t, dir, "rev-parse", "HEAD"); err != nil {
		MustGit(t, dir, "checkout", "-q", "-b", "main")
	}
	return dir
}

func TestPushTagsForceAndDelete(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "refs")
	var mu sync.Mutex
	var events []repos.RefEvent
	b.svc.OnReferenceUpdated(func(_ context.Context, ev repos.RefEvent) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	})
	a := b.mustClone(t, "refs")
	c1 := MustCommitFile(t, a, "a.txt", "one\n")
	MustGit(t, a, "push", "-q", "origin", "main")

	// Lightweight and annotated tags.
	MustGit(t, a, "tag", "v1")
	MustGit(t, a, "tag", "-a", "-m", "release 2", "v2")
	MustGit(t, a, "push", "-q", "origin", "v1", "v2")
	out := MustGit(t, a, "ls-remote", "origin")
	require.Contains(t, out, c1+"\trefs/tags/v1")
	require.Contains(t, out, c1+"\trefs/tags/v2^{}")
	md, err := b.svc.CommitMetadata(t.Context(), "refs", "v2")
	require.NoError(t, err)
	require.Equal(t, c1, md.CommitID)

	// A second branch, then force-push main back over a rewritten commit.
	MustGit(t, a, "push", "-q", "origin", "main:feature")
	c2 := MustCommitFile(t, a, "b.txt", "two\n")
	MustGit(t, a, "push", "-q", "origin", "main")
	MustGit(t, a, "reset", "-q", "--hard", c1)
	c3 := MustCommitFile(t, a, "c.txt", "three\n")
	_, err = git(t, a, "push", "-q", "origin", "main")
	require.Error(t, err, "a non-fast-forward push without --force must be refused by the client")
	MustGit(t, a, "push", "-q", "--force", "origin", "main")
	br, err := b.svc.GetBranch(t.Context(), "refs", "main")
	require.NoError(t, err)
	require.Equal(t, c3, br.CommitID)

	// Delete a branch; the default branch stays.
	MustGit(t, a, "push", "-q", "origin", "--delete", "feature")
	names, err := b.svc.ListBranches(t.Context(), "refs")
	require.NoError(t, err)
	require.Equal(t, []string{"main"}, names)
	_, err = git(t, a, "push", "-q", "origin", "--delete", "main")
	require.Error(t, err, "the default branch cannot be deleted")

	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []repos.RefEvent{
		{RepositoryName: "refs", Ref: "refs/heads/main", NewCommit: c1},
		{RepositoryName: "refs", Ref: "refs/tags/v1", NewCommit: c1},
		{RepositoryName: "refs", Ref: "refs/tags/v2", NewCommit: events[2].NewCommit},
		{RepositoryName: "refs", Ref: "refs/heads/feature", NewCommit: c1},
		{RepositoryName: "refs", Ref: "refs/heads/main", OldCommit: c1, NewCommit: c2},
		{RepositoryName: "refs", Ref: "refs/heads/main", OldCommit: c2, NewCommit: c3},
		{RepositoryName: "refs", Ref: "refs/heads/feature", OldCommit: c1},
	}, events)
}

func TestConcurrentPushesOneWins(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "race")
	seed := b.mustClone(t, "race")
	base := MustCommitFile(t, seed, "base.txt", "base\n")
	MustGit(t, seed, "push", "-q", "origin", "main")

	const n = 4
	dirs := make([]string, n)
	heads := make([]string, n)
	for i := range n {
		dirs[i] = b.mustClone(t, "race")
		heads[i] = MustCommitFile(t, dirs[i], "f.txt", strings.Repeat("x", i+1)+"\n")
	}
	errs := make([]error, n)
	outs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { outs[i], errs[i] = git(t, dirs[i], "push", "origin", "main") })
	}
	wg.Wait()
	winner := -1
	for i, err := range errs {
		if err == nil {
			require.Equal(t, -1, winner, "two pushes from the same base both succeeded")
			winner = i
			continue
		}
		require.Contains(t, outs[i], "rejected", outs[i])
	}
	require.NotEqual(t, -1, winner, "no push succeeded: %v", outs)
	br, err := b.svc.GetBranch(t.Context(), "race", "main")
	require.NoError(t, err)
	require.Equal(t, heads[winner], br.CommitID)
	c, err := b.svc.GetCommit(t.Context(), "race", br.CommitID)
	require.NoError(t, err)
	require.Equal(t, []string{base}, c.Parents)

	// A loser pulls, rebases and pushes: nothing is lost.
	loser := (winner + 1) % n
	MustGit(t, dirs[loser], "pull", "-q", "--rebase", "-X", "theirs", "origin", "main")
	MustGit(t, dirs[loser], "push", "-q", "origin", "main")
	f, err := b.svc.GetFile(t.Context(), "race", "main", "f.txt")
	require.NoError(t, err)
	require.NotEmpty(t, f.Content)
	log := MustGit(t, dirs[loser], "log", "--format=%H")
	require.Contains(t, log, heads[winner])
}

func TestAtomicPushAllOrNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "atomic")
	a := b.mustClone(t, "atomic")
	MustCommitFile(t, a, "a.txt", "a\n")
	MustGit(t, a, "push", "-q", "origin", "main", "main:other")
	// Someone else moves "other".
	o := b.mustClone(t, "atomic")
	MustGit(t, o, "checkout", "-q", "other")
	MustCommitFile(t, o, "o.txt", "o\n")
	MustGit(t, o, "push", "-q", "origin", "other")

	MustCommitFile(t, a, "b.txt", "b\n")
	MustGit(t, a, "branch", "-f", "other", "HEAD")
	before, err := b.svc.GetBranch(t.Context(), "atomic", "main")
	require.NoError(t, err)
	_, err = git(t, a, "push", "--atomic", "origin", "main", "other")
	require.Error(t, err)
	after, err := b.svc.GetBranch(t.Context(), "atomic", "main")
	require.NoError(t, err)
	require.Equal(t, before, after, "an atomic push that fails for one reference moves none")
}

func TestUnknownRepositoryAndDumbHTTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out, err := git(t, t.TempDir(), "clone", b.url+"missing")
	require.Error(t, err)
	require.Contains(t, out, "not found")

	b.mustCreate(t, "r")
	resp, err := b.srv.Client().Get(b.url + "r/info/refs")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, 403, resp.StatusCode)
}
