package s3api_test

import (
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
	"stepline/api/server"
	"stepline/objects"
	"stepline/store/sqlite"
)

// TestBehindServer mounts the handler in api/server's router, as the binary does,
// and checks S3 requests reach it while JSON targets and the console do not.
func TestBehindServer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "objects"))
	require.NoError(t, err)
	console := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("console")) })
	hs := httptest.NewServer(server.New(server.Config{
		S3:      s3api.New(objects.New(objects.Config{Store: st, Blobs: blobs}), s3api.Config{}),
		Console: console,
	}))
	t.Cleanup(hs.Close)

	c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	_, err = c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("routed")})
	require.NoError(t, err)
	_, err = c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("routed"), Key: aws.String("k"), Body: strings.NewReader("v")})
	require.NoError(t, err)
	lb, err := c.ListBuckets(t.Context(), &s3.ListBucketsInput{})
	require.NoError(t, err)
	require.Len(t, lb.Buckets, 1)

	st2, _, body := raw(t, http.MethodGet, hs.URL+"/_console/", "", nil)
	require.Equal(t, http.StatusOK, st2)
	require.Equal(t, "console", body)
	st2, _, body = raw(t, http.MethodPost, hs.URL+"/", "{}", map[string]string{"X-Amz-Target": "AWSStepFunctions.ListStateMachines"})
	require.Equal(t, http.StatusBadRequest, st2)
	require.Contains(t, body, "UnknownOperationException")
}
