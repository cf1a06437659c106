package objects_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/objects"
	"stepline/store/sqlite"
)

func TestCheckSharedDir(t *testing.T) {
	t.Parallel()
	t.Run("SameDirectoryPasses", func(t *testing.T) {
		t.Parallel()
		st, err := sqlite.Open(":memory:")
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		dir := t.TempDir()
		// Nodes starting at once on a new cluster: one records its marker, all pass.
		errs := make([]error, 4)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Go(func() { errs[i] = objects.CheckSharedDir(t.Context(), st, dir) })
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		require.NoError(t, objects.CheckSharedDir(t.Context(), st, dir))
	})
	t.Run("OtherDirectoryRefused", func(t *testing.T) {
		t.Parallel()
		st, err := sqlite.Open(":memory:")
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		require.NoError(t, objects.CheckSharedDir(t.Context(), st, t.TempDir()))
		err = objects.CheckSharedDir(t.Context(), st, t.TempDir())
		require.ErrorContains(t, err, "is not the blob directory of the other nodes")
	})
}
