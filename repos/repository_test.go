package repos_test

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/repos"
	"stepline/store/sqlite"
)

func TestRepositoriesSurviveRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	open := func() (*repos.Service, func()) {
		st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
		require.NoError(t, err)
		svc, err := repos.New(repos.Config{Store: st, Dir: filepath.Join(dir, "repos")})
		require.NoError(t, err)
		return svc, func() { require.NoError(t, st.Close()) }
	}
	svc, closeDB := open()
	ctx := t.Context()
	created, err := svc.CreateRepository(ctx, repos.CreateRepositoryParams{Name: "keep", Description: "d"})
	require.NoError(t, err)
	c, _, _, err := svc.PutFile(ctx, repos.PutFileParams{Repository: "keep", Branch: "trunk", Path: "a", Content: []byte("a")})
	require.NoError(t, err)
	closeDB()

	svc, closeDB = open()
	defer closeDB()
	got, err := svc.GetRepository(ctx, "keep")
	require.NoError(t, err)
	require.Equal(t, created.ID, got.ID)
	require.Equal(t, "trunk", got.DefaultBranch, "the first branch of an empty repository becomes its default")
	br, err := svc.GetBranch(ctx, "keep", "trunk")
	require.NoError(t, err)
	require.Equal(t, c, br.CommitID)
}

func TestCreateRepositoryRace(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	const n = 6
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = svc.CreateRepository(t.Context(), repos.CreateRepositoryParams{Name: "same"})
		})
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		requireCode(t, err, repos.CodeRepositoryNameExists)
	}
	require.Equal(t, 1, ok)
	list, err := svc.ListRepositories(t.Context(), repos.SortByName, false)
	require.NoError(t, err)
	require.Len(t, list, 1)
}

func TestRepositoryNames(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	for name, code := range map[string]string{
		"":                              repos.CodeRepositoryNameRequired,
		"a b":                           repos.CodeInvalidRepositoryName,
		"repo.git":                      repos.CodeInvalidRepositoryName,
		"..":                            repos.CodeInvalidRepositoryName,
		"a/b":                           repos.CodeInvalidRepositoryName,
		"x" + string(make([]byte, 100)): repos.CodeInvalidRepositoryName,
	} {
		_, err := svc.CreateRepository(t.Context(), repos.CreateRepositoryParams{Name: name})
		requireCode(t, err, code)
	}
	for _, name := range []string{"a", "My_Repo-1.0", "x.gitx"} {
		MustRepo(t, svc, name)
	}
}

func TestRenameKeepsHistory(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	MustRepo(t, svc, "before")
	ctx := t.Context()
	c, _, _, err := svc.PutFile(ctx, repos.PutFileParams{Repository: "before", Branch: "main", Path: "a", Content: []byte("a")})
	require.NoError(t, err)
	require.NoError(t, svc.UpdateRepositoryName(ctx, "before", "after"))
	br, err := svc.GetBranch(ctx, "after", "main")
	require.NoError(t, err)
	require.Equal(t, c, br.CommitID)
	_, err = svc.GetBranch(ctx, "before", "main")
	requireCode(t, err, repos.CodeRepositoryDoesNotExist)
	err = svc.UpdateRepositoryName(ctx, "before", "again")
	requireCode(t, err, repos.CodeRepositoryDoesNotExist)
	err = svc.UpdateRepositoryName(ctx, "after", "bad name")
	requireCode(t, err, repos.CodeInvalidRepositoryName)
}
