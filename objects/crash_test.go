package objects_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/objects"
	"stepline/store"
	"stepline/store/sqlite"
)

// failingStore fails object record writes, as a crash between the blob and its
// record would leave things.
type failingStore struct {
	store.Store
}

func (f failingStore) RecordPut(ctx context.Context, r store.Record) (store.Record, error) {
	if r.Kind == "s3object" {
		return store.Record{}, errors.New("injected failure")
	}
	return f.Store.RecordPut(ctx, r)
}

func TestCrashLeavesNoObject(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	blobDir := filepath.Join(dir, "objects")
	blobs, err := objects.OpenFSBlobs(blobDir)
	require.NoError(t, err)
	ctx := t.Context()

	broken := objects.New(objects.Config{Store: failingStore{st}, Blobs: blobs})
	_, err = broken.CreateBucket(ctx, "crash", "", "")
	require.NoError(t, err)
	body := strings.Repeat("b", 64<<10)
	_, err = broken.PutObject(ctx, objects.PutParams{Bucket: "crash", Key: "k", Body: strings.NewReader(body), Size: int64(len(body))})
	require.Error(t, err)

	// The failed write's blob stays (the store's error could not say whether the
	// record committed); add a blob whose record never came, as after kill -9, and a
	// temp file of an upload cut off mid-body: none is visible, and all go.
	_, _, err = blobs.Create(ctx, strings.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(blobDir, "tmp", "partial"), []byte("par"), 0o644))

	blobs, err = objects.OpenFSBlobs(blobDir)
	require.NoError(t, err)
	s := objects.New(objects.Config{Store: st, Blobs: blobs})
	_, err = s.GetObject(ctx, "crash", "k", "")
	require.Equal(t, "NoSuchKey", code(err))
	n, err := s.CollectOrphans(ctx, time.Now().Add(time.Second))
	require.NoError(t, err)
	require.Equal(t, 3, n)
	_, err = os.Stat(filepath.Join(blobDir, "tmp", "partial"))
	require.ErrorIs(t, err, os.ErrNotExist)
	left := 0
	require.NoError(t, blobs.Walk(ctx, func(string, time.Time) error { left++; return nil }))
	require.Zero(t, left)
}

// TestOrphanGraceSparesUploadsInFlight checks that collecting orphans beside other
// nodes (PostgreSQL mode, one shared blob directory) leaves alone what another node
// is still uploading: a temp file being written and a blob renamed into place
// whose record has not committed yet. Both are deleted once older than the grace.
func TestOrphanGraceSparesUploadsInFlight(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	blobDir := filepath.Join(dir, "objects")
	ctx := t.Context()

	// Node A: a blob written, its record not yet; a multipart part being written.
	nodeA, err := objects.OpenFSBlobs(blobDir)
	require.NoError(t, err)
	id, _, err := nodeA.Create(ctx, strings.NewReader(strings.Repeat("a", 8<<10)))
	require.NoError(t, err)
	temp := filepath.Join(blobDir, "tmp", "0123456789abcdef0123456789abcdef-42")
	require.NoError(t, os.WriteFile(temp, []byte("half"), 0o644))

	// Node B starts (opening the shared directory removes nothing) and collects.
	nodeB, err := objects.OpenFSBlobs(blobDir)
	require.NoError(t, err)
	b := objects.New(objects.Config{Store: st, Blobs: nodeB})
	grace := objects.OrphanGraceDefault
	n, err := b.CollectOrphans(ctx, time.Now().Add(-grace))
	require.NoError(t, err)
	require.Zero(t, n)
	_, err = os.Stat(temp)
	require.NoError(t, err)
	blob, err := nodeB.Open(ctx, id)
	require.NoError(t, err)
	require.NoError(t, blob.Close())

	// The same files, last written longer ago than the grace: a crashed upload.
	old := time.Now().Add(-2 * grace)
	require.NoError(t, os.Chtimes(temp, old, old))
	require.NoError(t, os.Chtimes(filepath.Join(blobDir, id[:2], id), old, old))
	n, err = b.CollectOrphans(ctx, time.Now().Add(-grace))
	require.NoError(t, err)
	require.Equal(t, 2, n)
	_, err = nodeB.Open(ctx, id)
	require.ErrorIs(t, err, objects.ErrBlobNotFound)
}
