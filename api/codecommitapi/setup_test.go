package codecommitapi_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/stretchr/testify/require"

	"stepline/api/codecommitapi"
	"stepline/api/githttp"
	"stepline/repos"
	"stepline/store/sqlite"
)

// testBundle is one server with the CodeCommit API and git endpoint mounted as the
// single-port router mounts them.
type testBundle struct {
	svc    *repos.Service
	srv    *httptest.Server
	client *codecommit.Client
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	st, err := sqlite.Open(":memory:")
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	svc, err := repos.New(repos.Config{Store: st, Dir: t.TempDir()})
	require.NoError(t, err)
	api := codecommitapi.WithBaseURL(codecommitapi.New(svc, codecommitapi.Options{PageSize: 10}))
	git := githttp.New(svc)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if githttp.Matches(r) {
			git.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	client := codecommit.New(codecommit.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   srv.Client(),
	})
	return &testBundle{svc: svc, srv: srv, client: client}
}
