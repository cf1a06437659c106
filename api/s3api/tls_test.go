package s3api_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"stepline/api/s3api"
	"stepline/objects"
	"stepline/store/sqlite"
)

// TestSDKStreamingTrailer drives the Go SDK over TLS, where it sends bodies as
// aws-chunked with the checksum in a trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER).
func TestSDKStreamingTrailer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "objects"))
	require.NoError(t, err)
	h := s3api.New(objects.New(objects.Config{Store: st, Blobs: blobs}), s3api.Config{})
	var mu sync.Mutex
	var modes []string
	hs := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			mu.Lock()
			modes = append(modes, r.Header.Get("x-amz-content-sha256"))
			mu.Unlock()
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(hs.Close)
	c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), UsePathStyle: true, HTTPClient: hs.Client(),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	ctx := t.Context()
	_, err = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("tls")})
	require.NoError(t, err)

	for _, alg := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256} {
		body := strings.Repeat("streamed ", 10000)
		// A reader that is not seekable makes the SDK stream with a trailer.
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tls"), Key: aws.String(string(alg)),
			Body: io.MultiReader(strings.NewReader(body)), ContentLength: aws.Int64(int64(len(body))), ChecksumAlgorithm: alg})
		require.NoError(t, err, alg)
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tls"), Key: aws.String(string(alg)), ChecksumMode: types.ChecksumModeEnabled})
		require.NoError(t, err)
		got, err := io.ReadAll(out.Body)
		out.Body.Close()
		// The SDK validates the checksum it gets back while reading.
		require.NoError(t, err)
		require.Equal(t, body, string(got))
	}
	mu.Lock()
	defer mu.Unlock()
	require.Contains(t, modes, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
}
