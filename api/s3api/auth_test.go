package s3api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"stepline/api/s3api"
	"stepline/api/sigv4"
	"stepline/objects"
	"stepline/store/sqlite"
)

// TestAuthentication turns signature checking on and signs with the SDK, over
// plain HTTP (payload hashed) and TLS (streaming with a trailer), and presigned.
func TestAuthentication(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "objects"))
	require.NoError(t, err)
	h := s3api.New(objects.New(objects.Config{Store: st, Blobs: blobs}), s3api.Config{
		Verifier: &sigv4.StaticVerifier{Keys: map[string]sigv4.Key{"AKIDTEST": {Secret: "s3cret", Account: "111111111111"}}}})
	plain := httptest.NewServer(h)
	t.Cleanup(plain.Close)
	tls := httptest.NewTLSServer(h)
	t.Cleanup(tls.Close)
	client := func(url string, hc *http.Client, secret string) *s3.Client {
		o := s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), UsePathStyle: true,
			Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", secret, "")}
		if hc != nil {
			o.HTTPClient = hc
		}
		return s3.New(o)
	}
	ctx := t.Context()
	good := client(plain.URL, nil, "s3cret")
	_, err = good.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("auth")})
	require.NoError(t, err)
	_, err = good.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("auth"), Key: aws.String("dir/a b+c"), Body: strings.NewReader("signed")})
	require.NoError(t, err)
	_, err = client(tls.URL, tls.Client(), "s3cret").PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("auth"), Key: aws.String("streamed"),
		Body: io.MultiReader(strings.NewReader("streamed")), ContentLength: aws.Int64(8)})
	require.NoError(t, err)
	lo, err := good.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("auth"), Prefix: aws.String("dir/"), FetchOwner: aws.Bool(true)})
	require.NoError(t, err)
	require.Len(t, lo.Contents, 1)
	require.Contains(t, *lo.Contents[0].Owner.ID, "111111111111")

	_, err = client(plain.URL, nil, "wrong").GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("auth"), Key: aws.String("dir/a b+c")})
	require.Equal(t, "SignatureDoesNotMatch", apiCode(t, err))
	st2, _, body := raw(t, http.MethodGet, plain.URL+"/auth/streamed", "", nil)
	requireError(t, http.StatusForbidden, "AccessDenied", st2, body)

	pre, err := s3.NewPresignClient(good).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("auth"), Key: aws.String("dir/a b+c")})
	require.NoError(t, err)
	st2, _, body = raw(t, http.MethodGet, pre.URL, "", nil)
	require.Equal(t, http.StatusOK, st2, body)
	require.Equal(t, "signed", body)
	st2, _, body = raw(t, http.MethodGet, strings.Replace(pre.URL, "a%20b", "a%20x", 1), "", nil)
	requireError(t, http.StatusForbidden, "SignatureDoesNotMatch", st2, body)
}
