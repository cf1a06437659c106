package repos_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/repos"
	"stepline/store/sqlite"
)

// MustService returns a repository service over a throwaway database and directory.
func MustService(tb testing.TB) *repos.Service {
	tb.Helper()
	st, err := sqlite.Open(":memory:")
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = st.Close() })
	svc, err := repos.New(repos.Config{Store: st, Dir: tb.TempDir()})
	require.NoError(tb, err)
	return svc
}

// MustRepo creates repository name in svc.
func MustRepo(tb testing.TB, svc *repos.Service, name string) repos.Repository {
	tb.Helper()
	r, err := svc.CreateRepository(tb.Context(), repos.CreateRepositoryParams{Name: name})
	require.NoError(tb, err)
	return r
}
