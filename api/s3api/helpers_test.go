package s3api_test

import (
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/stretchr/testify/require"

	"stepline/api/s3api"
	"stepline/objects"
	"stepline/store/sqlite"
)

// testServer is an S3 endpoint over a fresh SQLite store and blob directory.
type testServer struct {
	URL     string
	Objects *objects.Service
	Blobs   string // the blob directory
}

// MustStart runs an S3 server for the duration of tb.
func MustStart(tb testing.TB) *testServer {
	tb.Helper()
	dir := tb.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(tb, err)
	blobDir := filepath.Join(dir, "objects")
	blobs, err := objects.OpenFSBlobs(blobDir)
	require.NoError(tb, err)
	svc := objects.New(objects.Config{Store: st, Blobs: blobs})
	hs := httptest.NewServer(s3api.New(svc, s3api.Config{}))
	tb.Cleanup(func() {
		hs.Close()
		_ = st.Close()
	})
	return &testServer{URL: hs.URL, Objects: svc, Blobs: blobDir}
}

// Client returns a Go SDK S3 client for the server, path-style.
func (s *testServer) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.URL),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}
