package s3api_test

import (
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

func apiCode(t *testing.T, err error) string {
	t.Helper()
	require.Error(t, err)
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "%v", err)
	return ae.ErrorCode()
}

func mustBucket(t *testing.T, c *s3.Client, name string) {
	t.Helper()
	_, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)})
	require.NoError(t, err)
}

func getBody(t *testing.T, c *s3.Client, in *s3.GetObjectInput) (string, *s3.GetObjectOutput) {
	t.Helper()
	out, err := c.GetObject(t.Context(), in)
	require.NoError(t, err)
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	return string(b), out
}

func TestSDKBucketLifecycle(t *testing.T) {
	t.Parallel()
	c := MustStart(t).Client()
	ctx := t.Context()
	mustBucket(t, c, "alpha")
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("Bad_Name")})
	require.Equal(t, "InvalidBucketName", apiCode(t, err))

	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")})
	require.NoError(t, err)
	_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("missing")})
	require.Error(t, err)

	list, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	require.NoError(t, err)
	require.Len(t, list.Buckets, 1)
	require.Equal(t, "alpha", *list.Buckets[0].Name)

	loc, err := c.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("alpha")})
	require.NoError(t, err)
	require.Equal(t, types.BucketLocationConstraint(""), loc.LocationConstraint)

	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("alpha"), Key: aws.String("k"), Body: strings.NewReader("x")})
	require.NoError(t, err)
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
	require.Equal(t, "BucketNotEmpty", apiCode(t, err))
	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("alpha"), Key: aws.String("k")})
	require.NoError(t, err)
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
	require.NoError(t, err)
	_, err = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("alpha")})
	require.Equal(t, "NoSuchBucket", apiCode(t, err))
}

func TestSDKListBucketsPages(t *testing.T) {
	t.Parallel()
	c := MustStart(t).Client()
	for _, name := range []string{"page-a", "page-b", "page-c", "other"} {
		mustBucket(t, c, name)
	}
	var names []string
	pager := s3.NewListBucketsPaginator(c, &s3.ListBucketsInput{MaxBuckets: aws.Int32(2), Prefix: aws.String("page-")})
	for pager.HasMorePages() {
		page, err := pager.NextPage(t.Context())
		require.NoError(t, err)
		for _, b := range page.Buckets {
			names = append(names, *b.Name)
		}
	}
	require.Equal(t, []string{"page-a", "page-b", "page-c"}, names)
}

func TestSDKRegionalBucket(t *testing.T) {
	t.Parallel()
	srv := MustStart(t)
	c := s3.New(s3.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: srv.Client().Options().Credentials})
	_, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("euro"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	require.NoError(t, err)
	loc, err := c.GetBucketLocation(t.Context(), &s3.GetBucketLocationInput{Bucket: aws.String("euro")})
	require.NoError(t, err)
	require.Equal(t, types.BucketLocationConstraintEuWest1, loc.LocationConstraint)
}

func TestSDKObjects(t *testing.T) {
	t.Parallel()
	c := MustStart(t).Client()
	ctx := t.Context()
	mustBucket(t, c, "objs")
	put, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"),
		Body: strings.NewReader("hello, world"), ContentType: aws.String("text/plain"), Metadata: map[string]string{"Colour": "blue"},
		ChecksumAlgorithm: types.ChecksumAlgorithmSha256})
	require.NoError(t, err)
	sum := md5.Sum([]byte("hello, world"))
	require.Equal(t, `"`+hex.EncodeToString(sum[:])+`"`, *put.ETag)
	require.NotEmpty(t, aws.ToString(put.ChecksumSHA256))

	body, out := getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), ChecksumMode: types.ChecksumModeEnabled})
	require.Equal(t, "hello, world", body)
	require.Equal(t, "text/plain", *out.ContentType)
	require.Equal(t, "blue", out.Metadata["colour"])
	require.Equal(t, put.ChecksumSHA256, out.ChecksumSHA256)

	body, out = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), Range: aws.String("bytes=7-")})
	require.Equal(t, "world", body)
	require.Equal(t, "bytes 7-11/12", *out.ContentRange)
	body, _ = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), Range: aws.String("bytes=-5"),
		ResponseContentType: aws.String("application/x-test")})
	require.Equal(t, "world", body)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), Range: aws.String("bytes=100-")})
	require.Equal(t, "InvalidRange", apiCode(t, err))

	// Conditional reads.
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), IfMatch: aws.String(`"nope"`)})
	require.Equal(t, "PreconditionFailed", apiCode(t, err))
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), IfNoneMatch: put.ETag})
	require.Equal(t, "NotModified", apiCode(t, err))
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), IfModifiedSince: aws.Time(time.Now().Add(time.Hour))})
	require.Equal(t, "NotModified", apiCode(t, err))
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt"), IfUnmodifiedSince: aws.Time(time.Now().Add(-time.Hour))})
	require.Equal(t, "PreconditionFailed", apiCode(t, err))

	head, err := c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("dir/hello world.txt")})
	require.NoError(t, err)
	require.Equal(t, int64(12), *head.ContentLength)
	_, err = c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("objs"), Key: aws.String("nope")})
	require.Equal(t, "NotFound", apiCode(t, err))
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("nope")})
	require.Equal(t, "NoSuchKey", apiCode(t, err))

	// Copy, keeping and replacing metadata.
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy"), CopySource: aws.String("objs/dir/hello%20world.txt")})
	require.NoError(t, err)
	body, out = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy")})
	require.Equal(t, "hello, world", body)
	require.Equal(t, "blue", out.Metadata["colour"])
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy"), CopySource: aws.String("objs/copy"),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"colour": "red"}})
	require.NoError(t, err)
	_, out = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy")})
	require.Equal(t, "red", out.Metadata["colour"])
	_, err = c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("objs"), Key: aws.String("copy"), CopySource: aws.String("objs/copy")})
	require.Equal(t, "InvalidRequest", apiCode(t, err))

	// Listing.
	for _, k := range []string{"a/1", "a/2", "b/1", "c"} {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("objs"), Key: aws.String(k), Body: strings.NewReader(k)})
		require.NoError(t, err)
	}
	lo, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("objs"), Delimiter: aws.String("/")})
	require.NoError(t, err)
	var prefixes, keys []string
	for _, p := range lo.CommonPrefixes {
		prefixes = append(prefixes, *p.Prefix)
	}
	for _, o := range lo.Contents {
		keys = append(keys, *o.Key)
	}
	require.Equal(t, []string{"a/", "b/", "dir/"}, prefixes)
	require.Equal(t, []string{"c", "copy"}, keys)

	var all []string
	pager := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("objs"), MaxKeys: aws.Int32(2)})
	for pager.HasMorePages() {
		page, err := pager.NextPage(ctx)
		require.NoError(t, err)
		for _, o := range page.Contents {
			all = append(all, *o.Key)
		}
	}
	require.Equal(t, []string{"a/1", "a/2", "b/1", "c", "copy", "dir/hello world.txt"}, all)

	lo, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("objs"), StartAfter: aws.String("b/1"), EncodingType: types.EncodingTypeUrl})
	require.NoError(t, err)
	require.Len(t, lo.Contents, 3)
	require.Equal(t, "dir/hello+world.txt", *lo.Contents[2].Key)

	v1, err := c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("objs"), Marker: aws.String("c"), MaxKeys: aws.Int32(1)})
	require.NoError(t, err)
	require.Equal(t, "copy", *v1.Contents[0].Key)
	require.True(t, *v1.IsTruncated)

	// DeleteObjects, loud and quiet.
	del, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("objs"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("a/1")}, {Key: aws.String("a/2")}}}})
	require.NoError(t, err)
	require.Len(t, del.Deleted, 2)
	del, err = c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("objs"), Delete: &types.Delete{Quiet: aws.Bool(true),
		Objects: []types.ObjectIdentifier{{Key: aws.String("b/1")}}}})
	require.NoError(t, err)
	require.Empty(t, del.Deleted)
	lo, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("objs")})
	require.NoError(t, err)
	require.Equal(t, int32(3), *lo.KeyCount)
}

func TestSDKVersioning(t *testing.T) {
	t.Parallel()
	c := MustStart(t).Client()
	ctx := t.Context()
	mustBucket(t, c, "vers")
	_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("vers"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	vc, err := c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("vers")})
	require.NoError(t, err)
	require.Equal(t, types.BucketVersioningStatusEnabled, vc.Status)

	var ids []string
	for _, body := range []string{"v1", "v2"} {
		out, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vers"), Key: aws.String("k"), Body: strings.NewReader(body)})
		require.NoError(t, err)
		require.NotEmpty(t, aws.ToString(out.VersionId))
		ids = append(ids, *out.VersionId)
	}
	body, _ := getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("k"), VersionId: aws.String(ids[0])})
	require.Equal(t, "v1", body)

	d, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	require.NoError(t, err)
	require.True(t, *d.DeleteMarker)
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	require.Equal(t, "NoSuchKey", apiCode(t, err))
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("k"), VersionId: aws.String("zz")})
	require.Equal(t, "InvalidArgument", apiCode(t, err))

	lv, err := c.ListObjectVersions(ctx, &s3.ListObjectVersionsInput{Bucket: aws.String("vers")})
	require.NoError(t, err)
	require.Len(t, lv.Versions, 2)
	require.Len(t, lv.DeleteMarkers, 1)
	require.True(t, *lv.DeleteMarkers[0].IsLatest)
	require.Equal(t, ids[1], *lv.Versions[0].VersionId)

	_, err = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vers"), Key: aws.String("k"), VersionId: d.VersionId})
	require.NoError(t, err)
	body, _ = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("k")})
	require.Equal(t, "v2", body)

	// Copy a specific version.
	cp, err := c.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("vers"), Key: aws.String("old"), CopySource: aws.String("vers/k?versionId=" + ids[0])})
	require.NoError(t, err)
	require.Equal(t, ids[0], *cp.CopySourceVersionId)
	body, _ = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("vers"), Key: aws.String("old")})
	require.Equal(t, "v1", body)
}

func TestSDKMultipart(t *testing.T) {
	t.Parallel()
	c := MustStart(t).Client()
	ctx := t.Context()
	mustBucket(t, c, "multi")
	data := make([]byte, 11<<20)
	_, _ = rand.Read(data)
	cr, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("big"),
		ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
	require.NoError(t, err)
	ups, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String("multi")})
	require.NoError(t, err)
	require.Len(t, ups.Uploads, 1)

	var parts []types.CompletedPart
	for i, chunk := range [][]byte{data[:5<<20], data[5<<20 : 10<<20], data[10<<20:]} {
		n := int32(i + 1)
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multi"), Key: aws.String("big"), UploadId: cr.UploadId,
			PartNumber: aws.Int32(n), Body: bytes.NewReader(chunk), ChecksumAlgorithm: types.ChecksumAlgorithmCrc32})
		require.NoError(t, err)
		parts = append(parts, types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32})
	}
	lp, err := c.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("multi"), Key: aws.String("big"), UploadId: cr.UploadId})
	require.NoError(t, err)
	require.Len(t, lp.Parts, 3)

	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("big"), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{parts[1], parts[0]}}})
	require.Equal(t, "InvalidPartOrder", apiCode(t, err))

	done, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("big"), UploadId: cr.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}})
	require.NoError(t, err)
	require.True(t, strings.HasSuffix(*done.ETag, `-3"`))

	body, out := getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("multi"), Key: aws.String("big"), ChecksumMode: types.ChecksumModeEnabled})
	require.Equal(t, len(data), len(body))
	require.True(t, bytes.Equal(data, []byte(body)))
	require.Equal(t, int64(len(data)), *out.ContentLength)

	body, out = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("multi"), Key: aws.String("big"), PartNumber: aws.Int32(3)})
	require.True(t, bytes.Equal(data[10<<20:], []byte(body)))
	require.Equal(t, int32(3), *out.PartsCount)

	_, err = c.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("big"), UploadId: cr.UploadId})
	require.Equal(t, "NoSuchUpload", apiCode(t, err))

	// UploadPartCopy from the finished object.
	cr2, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("copy")})
	require.NoError(t, err)
	pc, err := c.UploadPartCopy(ctx, &s3.UploadPartCopyInput{Bucket: aws.String("multi"), Key: aws.String("copy"), UploadId: cr2.UploadId,
		PartNumber: aws.Int32(1), CopySource: aws.String("multi/big"), CopySourceRange: aws.String("bytes=0-99")})
	require.NoError(t, err)
	_, err = c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("copy"), UploadId: cr2.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: []types.CompletedPart{{PartNumber: aws.Int32(1), ETag: pc.CopyPartResult.ETag}}}})
	require.NoError(t, err)
	body, _ = getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("multi"), Key: aws.String("copy")})
	require.True(t, bytes.Equal(data[:100], []byte(body)))
}

func TestSDKPresign(t *testing.T) {
	t.Parallel()
	c := MustStart(t).Client()
	ctx := t.Context()
	mustBucket(t, c, "pre")
	ps := s3.NewPresignClient(c)
	put, err := ps.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pre"), Key: aws.String("p")})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(ctx, put.Method, put.URL, strings.NewReader("presigned"))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	get, err := ps.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("pre"), Key: aws.String("p")})
	require.NoError(t, err)
	resp, err = http.Get(get.URL)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, "presigned", string(b))
}

func TestSDKConditionalWrites(t *testing.T) {
	t.Parallel()
	srv := MustStart(t)
	c := srv.Client()
	ctx := t.Context()
	mustBucket(t, c, "cond")
	put := func(in *s3.PutObjectInput) (*s3.PutObjectOutput, error) {
		in.Bucket, in.Key = aws.String("cond"), aws.String("lock")
		return c.PutObject(ctx, in)
	}
	first, err := put(&s3.PutObjectInput{Body: strings.NewReader("first"), IfNoneMatch: aws.String("*")})
	require.NoError(t, err)
	_, err = put(&s3.PutObjectInput{Body: strings.NewReader("second"), IfNoneMatch: aws.String("*")})
	require.Equal(t, "PreconditionFailed", apiCode(t, err))
	_, err = put(&s3.PutObjectInput{Body: strings.NewReader("third"), IfMatch: aws.String(`"0123"`)})
	require.Equal(t, "PreconditionFailed", apiCode(t, err))
	_, err = put(&s3.PutObjectInput{Body: strings.NewReader("fourth"), IfMatch: first.ETag})
	require.NoError(t, err)
	body, _ := getBody(t, c, &s3.GetObjectInput{Bucket: aws.String("cond"), Key: aws.String("lock")})
	require.Equal(t, "fourth", body)
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("cond"), Key: aws.String("absent"), Body: strings.NewReader("x"), IfMatch: first.ETag})
	require.Equal(t, "NoSuchKey", apiCode(t, err))
}
