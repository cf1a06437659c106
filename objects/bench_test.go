package objects_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/objects"
	"stepline/store/sqlite"
)

// BenchmarkFSBlobsCreate measures the blob store alone: temp file, write, fsync,
// rename, directory fsync.
func BenchmarkFSBlobsCreate(b *testing.B) {
	for _, size := range []int{4 << 10, 1 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			blobs, err := objects.OpenFSBlobs(b.TempDir())
			require.NoError(b, err)
			data := make([]byte, size)
			_, _ = rand.Read(data)
			b.SetBytes(int64(size))
			for b.Loop() {
				_, _, err := blobs.Create(b.Context(), bytes.NewReader(data))
				require.NoError(b, err)
			}
		})
	}
}

// BenchmarkPutObject4KiB compares a small PUT kept in its record with the same PUT
// written to a blob, without HTTP, in series and from 8 goroutines.
func BenchmarkPutObject4KiB(b *testing.B) {
	for _, tc := range []struct {
		name   string
		inline int
	}{{"Inline", 0}, {"Blob", -1}} {
		for _, par := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/P%d", tc.name, par), func(b *testing.B) {
				dir := b.TempDir()
				st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
				require.NoError(b, err)
				b.Cleanup(func() { _ = st.Close() })
				blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "objects"))
				require.NoError(b, err)
				s := objects.New(objects.Config{Store: st, Blobs: blobs, InlineMax: tc.inline})
				_, err = s.CreateBucket(b.Context(), "bench", "", "")
				require.NoError(b, err)
				data := make([]byte, 4<<10)
				b.SetBytes(int64(len(data)))
				b.SetParallelism(par)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					var k [8]byte
					_, _ = rand.Read(k[:])
					i := 0
					for pb.Next() {
						_, err := s.PutObject(b.Context(), objects.PutParams{Bucket: "bench", Key: fmt.Sprintf("%x/%d", k, i%64),
							Body: bytes.NewReader(data), Size: int64(len(data))})
						require.NoError(b, err)
						i++
					}
				})
			})
		}
	}
}

// BenchmarkListObjects lists a bucket of 10,000 keys in pages of 1,000, flat and
// rolled up at "/" into 100 prefixes.
func BenchmarkListObjects(b *testing.B) {
	s := MustOpen(b)
	ctx := b.Context()
	_, err := s.CreateBucket(ctx, "list", "", "")
	require.NoError(b, err)
	for i := range 10000 {
		_, err := s.PutObject(ctx, objects.PutParams{Bucket: "list", Key: fmt.Sprintf("dir%03d/key%05d", i%100, i), Body: bytes.NewReader([]byte("x")), Size: 1})
		require.NoError(b, err)
	}
	for _, delim := range []string{"", "/"} {
		b.Run("Delimiter"+delim, func(b *testing.B) {
			for b.Loop() {
				p := objects.ListParams{Bucket: "list", Delimiter: delim, MaxKeys: 1000}
				for {
					res, err := s.ListObjects(ctx, p)
					require.NoError(b, err)
					if !res.IsTruncated {
						break
					}
					p.After = res.NextMarker
				}
			}
		})
	}
}
