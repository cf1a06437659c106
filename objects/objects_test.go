package objects_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"hash/crc32"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/objects"
	"stepline/store/sqlite"
)

// MustOpen returns a Service over a fresh SQLite store and blob directory.
func MustOpen(tb testing.TB) *objects.Service {
	tb.Helper()
	dir := tb.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = st.Close() })
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "objects"))
	require.NoError(tb, err)
	return objects.New(objects.Config{Store: st, Blobs: blobs})
}

func put(t *testing.T, s *objects.Service, bucket, key, body string) objects.Object {
	t.Helper()
	o, err := s.PutObject(t.Context(), objects.PutParams{Bucket: bucket, Key: key, Body: strings.NewReader(body), Size: int64(len(body))})
	require.NoError(t, err)
	return o
}

func read(t *testing.T, s *objects.Service, bucket, key, version string) string {
	t.Helper()
	o, err := s.GetObject(t.Context(), bucket, key, version)
	require.NoError(t, err)
	r, err := s.Open(t.Context(), o, 0, -1)
	require.NoError(t, err)
	defer r.Close()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(b)
}

func code(err error) string {
	var se *stepline.Error
	if !errors.As(err, &se) {
		return ""
	}
	return se.Code
}

func TestVersioning(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := t.Context()
	_, err := s.CreateBucket(ctx, "bk1", "", "")
	require.NoError(t, err)
	put(t, s, "bk1", "k", "one")
	require.NoError(t, s.SetVersioning(ctx, "bk1", objects.VersioningEnabled))
	v2 := put(t, s, "bk1", "k", "two")
	v3 := put(t, s, "bk1", "k", "three")
	require.Equal(t, "three", read(t, s, "bk1", "k", ""))
	require.Equal(t, "two", read(t, s, "bk1", "k", v2.VersionID))
	require.Equal(t, "one", read(t, s, "bk1", "k", objects.NullVersion))

	del, err := s.DeleteObject(ctx, "bk1", "k", "")
	require.NoError(t, err)
	require.True(t, del.DeleteMarker)
	_, err = s.GetObject(ctx, "bk1", "k", "")
	require.Equal(t, "NoSuchKey", code(err))
	_, err = s.GetObject(ctx, "bk1", "k", del.VersionID)
	require.Equal(t, "MethodNotAllowed", code(err))

	res, err := s.ListObjects(ctx, objects.ListParams{Bucket: "bk1", MaxKeys: 1000})
	require.NoError(t, err)
	require.Empty(t, res.Objects)
	vs, err := s.ListObjectVersions(ctx, objects.ListParams{Bucket: "bk1", MaxKeys: 1000})
	require.NoError(t, err)
	require.Len(t, vs.Objects, 4)
	require.True(t, vs.Objects[0].DeleteMarker)
	require.True(t, vs.Objects[0].IsLatest)
	require.Equal(t, v3.VersionID, vs.Objects[1].VersionID)
	require.Equal(t, objects.NullVersion, vs.Objects[3].VersionID)

	// Paging through versions one at a time visits each once.
	var seen []string
	p := objects.ListParams{Bucket: "bk1", MaxKeys: 1}
	for {
		page, err := s.ListObjectVersions(ctx, p)
		require.NoError(t, err)
		for _, o := range page.Objects {
			seen = append(seen, o.VersionID)
		}
		if !page.IsTruncated {
			break
		}
		p.After, p.AfterVersion = page.NextMarker, page.NextVersion
	}
	require.Len(t, seen, 4)

	// Removing the delete marker brings "three" back.
	_, err = s.DeleteObject(ctx, "bk1", "k", del.VersionID)
	require.NoError(t, err)
	require.Equal(t, "three", read(t, s, "bk1", "k", ""))
	_, err = s.DeleteObject(ctx, "bk1", "k", v3.VersionID)
	require.NoError(t, err)
	require.Equal(t, "two", read(t, s, "bk1", "k", ""))

	require.Equal(t, "BucketNotEmpty", code(s.DeleteBucket(ctx, "bk1")))
}

func TestListDelimiter(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	_, err := s.CreateBucket(t.Context(), "bk2", "", "")
	require.NoError(t, err)
	for _, k := range []string{"a/1", "a/2", "b", "c/x/1", "c/y", "d"} {
		put(t, s, "bk2", k, k)
	}
	res, err := s.ListObjects(t.Context(), objects.ListParams{Bucket: "bk2", Delimiter: "/", MaxKeys: 1000})
	require.NoError(t, err)
	require.Equal(t, []string{"a/", "c/"}, res.CommonPrefixes)
	require.Len(t, res.Objects, 2)

	var all []string
	p := objects.ListParams{Bucket: "bk2", Delimiter: "/", MaxKeys: 1}
	for {
		page, err := s.ListObjects(t.Context(), p)
		require.NoError(t, err)
		all = append(all, page.CommonPrefixes...)
		for _, o := range page.Objects {
			all = append(all, o.Key)
		}
		if !page.IsTruncated {
			break
		}
		p.After = page.NextMarker
	}
	require.Equal(t, []string{"a/", "b", "c/", "d"}, all)

	res, err = s.ListObjects(t.Context(), objects.ListParams{Bucket: "bk2", Prefix: "c/", Delimiter: "/", MaxKeys: 1000})
	require.NoError(t, err)
	require.Equal(t, []string{"c/x/"}, res.CommonPrefixes)
	require.Equal(t, "c/y", res.Objects[0].Key)
}

func TestMultipartFullObjectCRC(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := context.Background()
	_, err := s.CreateBucket(ctx, "bk3", "", "")
	require.NoError(t, err)
	u, err := s.CreateMultipartUpload(ctx, objects.Upload{Bucket: "bk3", Key: "big", ChecksumAlgorithm: objects.ChecksumCRC32, ChecksumType: objects.ChecksumTypeFullObject})
	require.NoError(t, err)
	data := make([]byte, objects.MinPartSize+1234)
	_, _ = rand.Read(data)
	var done []objects.CompletePart
	for i, chunk := range [][]byte{data[:objects.MinPartSize], data[objects.MinPartSize:]} {
		p, err := s.PutPart(ctx, objects.PartParams{Bucket: "bk3", Key: "big", UploadID: u.ID, Number: i + 1, Body: bytes.NewReader(chunk), Size: int64(len(chunk))})
		require.NoError(t, err)
		done = append(done, objects.CompletePart{Number: p.Number, ETag: p.ETag})
	}
	o, err := s.CompleteMultipartUpload(ctx, "bk3", "big", u.ID, done, "")
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(o.ETag, "-2"))
	sum := crc32.ChecksumIEEE(data)
	want := base64.StdEncoding.EncodeToString([]byte{byte(sum >> 24), byte(sum >> 16), byte(sum >> 8), byte(sum)})
	require.Equal(t, want, o.Checksum)
	// A range across the part boundary reads the right bytes.
	r, err := s.Open(ctx, o, objects.MinPartSize-10, 20)
	require.NoError(t, err)
	got, err := io.ReadAll(r)
	require.NoError(t, err)
	require.Equal(t, data[objects.MinPartSize-10:objects.MinPartSize+10], got)
	require.NoError(t, r.Close())

	n, err := s.CollectOrphans(ctx, time.Now())
	require.NoError(t, err)
	require.Equal(t, 0, n)
}

func TestObjectCreatedEvents(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	var got []objects.ObjectEvent
	s.OnObjectCreated(func(_ context.Context, ev objects.ObjectEvent) { got = append(got, ev) })
	_, err := s.CreateBucket(t.Context(), "events", "", "")
	require.NoError(t, err)
	put(t, s, "events", "src.zip", "zip")
	_, _, err = s.CopyObject(t.Context(), objects.CopyParams{SrcBucket: "events", SrcKey: "src.zip", Bucket: "events", Key: "copy.zip"})
	require.NoError(t, err)
	_, err = s.DeleteObject(t.Context(), "events", "src.zip", "")
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, "ObjectCreated:Put", got[0].Type)
	require.Equal(t, "src.zip", got[0].Key)
	require.Equal(t, int64(3), got[0].Size)
	require.Equal(t, "ObjectCreated:Copy", got[1].Type)
}

// TestVersioningSuspended checks that a suspended bucket writes the null version
// in place, keeping versions made while versioning was on.
func TestVersioningSuspended(t *testing.T) {
	t.Parallel()
	s := MustOpen(t)
	ctx := t.Context()
	_, err := s.CreateBucket(ctx, "susp", "", "")
	require.NoError(t, err)
	put(t, s, "susp", "k", "null-1")
	require.NoError(t, s.SetVersioning(ctx, "susp", objects.VersioningEnabled))
	v := put(t, s, "susp", "k", "versioned")
	require.NoError(t, s.SetVersioning(ctx, "susp", objects.VersioningSuspended))
	n := put(t, s, "susp", "k", "null-2")
	require.Equal(t, objects.NullVersion, n.VersionID)

	vs, err := s.ListObjectVersions(ctx, objects.ListParams{Bucket: "susp", MaxKeys: 100})
	require.NoError(t, err)
	var ids []string
	for _, o := range vs.Objects {
		ids = append(ids, o.VersionID)
	}
	// The first null version was replaced; the versioned one stays.
	require.Equal(t, []string{objects.NullVersion, v.VersionID}, ids)
	require.Equal(t, "null-2", read(t, s, "susp", "k", ""))
	require.Equal(t, "versioned", read(t, s, "susp", "k", v.VersionID))

	// A delete makes a null delete marker in place of the null version.
	del, err := s.DeleteObject(ctx, "susp", "k", "")
	require.NoError(t, err)
	require.Equal(t, objects.NullVersion, del.VersionID)
	vs, err = s.ListObjectVersions(ctx, objects.ListParams{Bucket: "susp", MaxKeys: 100})
	require.NoError(t, err)
	require.Len(t, vs.Objects, 2)
	require.True(t, vs.Objects[0].DeleteMarker)
	n2, err := s.CollectOrphans(ctx, time.Now())
	require.NoError(t, err)
	require.Zero(t, n2)
}
