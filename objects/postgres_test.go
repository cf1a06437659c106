package objects_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"stepline/objects"
	"stepline/store"
	"stepline/store/postgres/pgtest"
)

// MustOpenPostgres opens a store in a fresh schema of $STEPLINE_TEST_POSTGRES, or
// skips; the schema is dropped at cleanup.
func MustOpenPostgres(tb testing.TB) store.Store {
	tb.Helper()
	return pgtest.Open(tb)
}

// TestTwoNodes runs two Services, as two serve processes would, over one PostgreSQL
// schema and one shared blob directory.
func TestTwoNodes(t *testing.T) {
	t.Parallel()
	st := MustOpenPostgres(t)
	dir := t.TempDir()
	node := func() *objects.Service {
		blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "objects"))
		require.NoError(t, err)
		return objects.New(objects.Config{Store: st, Blobs: blobs})
	}
	a, b := node(), node()
	ctx := t.Context()
	_, err := a.CreateBucket(ctx, "shared", "", "")
	require.NoError(t, err)
	require.NoError(t, b.SetVersioning(ctx, "shared", objects.VersioningEnabled))

	big := bytes.Repeat([]byte("x"), 1<<20)
	_, err = a.PutObject(ctx, objects.PutParams{Bucket: "shared", Key: "big", Body: bytes.NewReader(big), Size: int64(len(big))})
	require.NoError(t, err)
	require.Equal(t, string(big), read(t, b, "shared", "big", ""))

	// Both nodes write one key at once: every write becomes a version, one is current.
	var wg sync.WaitGroup
	for i, n := range []*objects.Service{a, b, a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf("v%d", i)
			_, err := n.PutObject(ctx, objects.PutParams{Bucket: "shared", Key: "hot", Body: strings.NewReader(body), Size: int64(len(body))})
			require.NoError(t, err)
		}()
	}
	wg.Wait()
	vs, err := a.ListObjectVersions(ctx, objects.ListParams{Bucket: "shared", Prefix: "hot", MaxKeys: 100})
	require.NoError(t, err)
	require.Len(t, vs.Objects, 6)
	require.True(t, vs.Objects[0].IsLatest)
	require.Equal(t, read(t, a, "shared", "hot", ""), read(t, b, "shared", "hot", ""))
}

// BenchmarkPutObject4KiBPostgres is BenchmarkPutObject4KiB on PostgreSQL.
func BenchmarkPutObject4KiBPostgres(b *testing.B) {
	for _, tc := range []struct {
		name   string
		inline int
	}{{"Inline", 0}, {"Blob", -1}} {
		b.Run(tc.name, func(b *testing.B) {
			st := MustOpenPostgres(b)
			blobs, err := objects.OpenFSBlobs(filepath.Join(b.TempDir(), "objects"))
			require.NoError(b, err)
			s := objects.New(objects.Config{Store: st, Blobs: blobs, InlineMax: tc.inline})
			_, err = s.CreateBucket(b.Context(), "bench", "", "")
			require.NoError(b, err)
			data := make([]byte, 4<<10)
			b.SetBytes(int64(len(data)))
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				k := uuid.NewString()
				i := 0
				for pb.Next() {
					_, err := s.PutObject(b.Context(), objects.PutParams{Bucket: "bench", Key: fmt.Sprintf("%s/%d", k, i%64),
						Body: bytes.NewReader(data), Size: int64(len(data))})
					require.NoError(b, err)
					i++
				}
			})
		})
	}
}
