package objects_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/objects"
)

// TestConcurrentPuts races writers on one key: without versioning one object and
// one blob remain, with versioning every write is a version; no blob leaks either way.
func TestConcurrentPuts(t *testing.T) {
	t.Parallel()
	for _, versioning := range []string{"", objects.VersioningEnabled} {
		t.Run("Versioning"+versioning, func(t *testing.T) {
			t.Parallel()
			s := MustOpen(t)
			ctx := t.Context()
			_, err := s.CreateBucket(ctx, "race", "", "")
			require.NoError(t, err)
			if versioning != "" {
				require.NoError(t, s.SetVersioning(ctx, "race", versioning))
			}
			const writers = 12
			var wg sync.WaitGroup
			for i := range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					body := strings.Repeat(fmt.Sprint(i%10), 8<<10) // over the inline limit: a blob each
					_, err := s.PutObject(ctx, objects.PutParams{Bucket: "race", Key: "hot", Body: strings.NewReader(body), Size: int64(len(body))})
					require.NoError(t, err)
				}()
			}
			wg.Wait()
			vs, err := s.ListObjectVersions(ctx, objects.ListParams{Bucket: "race", MaxKeys: 1000})
			require.NoError(t, err)
			want := 1
			if versioning != "" {
				want = writers
			}
			require.Len(t, vs.Objects, want)
			n, err := s.CollectOrphans(ctx, time.Now())
			require.NoError(t, err)
			require.Zero(t, n, "blobs leaked")
		})
	}
}
