package repos_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/repos"
	"stepline/store"
	"stepline/store/sqlite"
)

// twoNodes is two Services over one store and one repositories directory, as two
// serve processes sharing a database and a --blob-dir: each has its own locks, so
// only the references record keeps their writers apart.
type twoNodes struct {
	st   store.Store
	a, b *repos.Service
}

func setupTwoNodes(t *testing.T) twoNodes {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	dir := t.TempDir()
	a, err := repos.New(repos.Config{Store: st, Dir: dir})
	require.NoError(t, err)
	b, err := repos.New(repos.Config{Store: st, Dir: dir})
	require.NoError(t, err)
	return twoNodes{st: st, a: a, b: b}
}

func TestTwoNodes(t *testing.T) {
	t.Parallel()
	t.Run("OneWinsPerParent", func(t *testing.T) {
		t.Parallel()
		n := setupTwoNodes(t)
		MustRepo(t, n.a, "race")
		ctx := t.Context()
		base, _, _, err := n.a.PutFile(ctx, repos.PutFileParams{Repository: "race", Branch: "main", Path: "f", Content: []byte("0")})
		require.NoError(t, err)
		const writers = 8
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for i := range writers {
			node := []*repos.Service{n.a, n.b}[i%2]
			wg.Go(func() {
				_, _, _, errs[i] = node.PutFile(ctx, repos.PutFileParams{Repository: "race", Branch: "main", Path: "f",
					Content: []byte(fmt.Sprint(i + 1)), ParentCommitID: base})
			})
		}
		wg.Wait()
		wins := 0
		for _, err := range errs {
			if err == nil {
				wins++
				continue
			}
			requireCode(t, err, repos.CodeParentCommitIDOutdated)
		}
		require.Equal(t, 1, wins)
	})
	t.Run("RetryingWritersLoseNothing", func(t *testing.T) {
		t.Parallel()
		n := setupTwoNodes(t)
		MustRepo(t, n.a, "chain")
		ctx := t.Context()
		_, _, _, err := n.b.PutFile(ctx, repos.PutFileParams{Repository: "chain", Branch: "main", Path: "seed", Content: []byte("s")})
		require.NoError(t, err)
		const writers = 6
		var wg sync.WaitGroup
		for i := range writers {
			node := []*repos.Service{n.a, n.b}[i%2]
			wg.Go(func() {
				for {
					br, err := node.GetBranch(ctx, "chain", "main")
					if err != nil {
						t.Error(err)
						return
					}
					_, err = node.CreateCommit(ctx, repos.CreateCommitParams{Repository: "chain", Branch: "main", ParentCommitID: br.CommitID,
						PutFiles: []repos.PutFileEntry{{Path: fmt.Sprintf("w%d", i), Content: []byte("x"), HasContent: true}}})
					var se *stepline.Error
					if errors.As(err, &se) && se.Code == repos.CodeParentCommitIDOutdated {
						continue
					}
					if err != nil {
						t.Error(err)
					}
					return
				}
			})
		}
		wg.Wait()
		folder, err := n.a.GetFolder(ctx, "chain", "main", "/")
		require.NoError(t, err)
		require.Len(t, folder.Files, writers+1)
	})
	t.Run("BranchesSeenOnBothNodes", func(t *testing.T) {
		t.Parallel()
		n := setupTwoNodes(t)
		MustRepo(t, n.a, "br")
		ctx := t.Context()
		c, _, _, err := n.a.PutFile(ctx, repos.PutFileParams{Repository: "br", Branch: "main", Path: "f", Content: []byte("1")})
		require.NoError(t, err)
		require.NoError(t, n.b.CreateBranch(ctx, "br", "dev", c))
		err = n.a.CreateBranch(ctx, "br", "dev", c)
		requireCode(t, err, repos.CodeBranchNameExists)
		names, err := n.a.ListBranches(ctx, "br")
		require.NoError(t, err)
		require.Equal(t, []string{"dev", "main"}, names)
		del, err := n.a.DeleteBranch(ctx, "br", "dev")
		require.NoError(t, err)
		require.Equal(t, c, del.CommitID)
		names, err = n.b.ListBranches(ctx, "br")
		require.NoError(t, err)
		require.Equal(t, []string{"main"}, names)
	})
	t.Run("RepositoryWithoutRecordSeedsFromDirectory", func(t *testing.T) {
		t.Parallel()
		n := setupTwoNodes(t)
		r := MustRepo(t, n.a, "old")
		ctx := t.Context()
		c, _, _, err := n.a.PutFile(ctx, repos.PutFileParams{Repository: "old", Branch: "main", Path: "f", Content: []byte("1")})
		require.NoError(t, err)
		// A repository from before references moved into the store.
		require.NoError(t, n.st.RecordDelete(ctx, "ccrefs", r.ID, 0))
		br, err := n.b.GetBranch(ctx, "old", "main")
		require.NoError(t, err)
		require.Equal(t, c, br.CommitID)
		_, err = n.st.RecordGet(ctx, "ccrefs", r.ID)
		require.NoError(t, err)
	})
}
