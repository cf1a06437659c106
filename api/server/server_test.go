package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/server"
)

func TestHandler(t *testing.T) {
	t.Parallel()
	sfn := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "sfn") })
	named := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, name) })
	}
	h := server.New(server.Config{StepFunctions: sfn, CodePipeline: named("pipeline"), CodeCommit: named("codecommit"),
		Git: named("git"), GitMatch: func(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/git/") }})
	full := server.New(server.Config{S3: named("s3"), Console: named("console")})

	do := func(method, path, target string, header ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, strings.NewReader("{}"))
		if target != "" {
			r.Header.Set("X-Amz-Target", target)
		}
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}

	t.Run("Healthz", func(t *testing.T) {
		t.Parallel()
		w := do(http.MethodGet, "/healthz", "")
		require.Equal(t, http.StatusOK, w.Code)
		require.Equal(t, "ok\n", w.Body.String())
	})
	t.Run("StepFunctionsByTarget", func(t *testing.T) {
		t.Parallel()
		w := do(http.MethodPost, "/", "AWSStepFunctions.ListStateMachines")
		require.Equal(t, "sfn", w.Body.String())
	})
	t.Run("AnyHost", func(t *testing.T) {
		t.Parallel()
		r := httptest.NewRequest(http.MethodPost, "http://sync-127.0.0.1:4566/", strings.NewReader("{}"))
		r.Header.Set("X-Amz-Target", "AWSStepFunctions.StartSyncExecution")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		require.Equal(t, "sfn", w.Body.String())
	})
	t.Run("OtherTargets", func(t *testing.T) {
		t.Parallel()
		require.Equal(t, "pipeline", do(http.MethodPost, "/", "CodePipeline_20150709.ListPipelines").Body.String())
		require.Equal(t, "codecommit", do(http.MethodPost, "/", "CodeCommit_20150413.ListRepositories").Body.String())
		require.Equal(t, "git", do(http.MethodGet, "/git/repo/info/refs", "").Body.String())
	})
	t.Run("S3AndConsole", func(t *testing.T) {
		t.Parallel()
		for path, want := range map[string]string{"/bucket/key": "s3", "/_console/": "console", "/healthz": "ok\n"} {
			w := httptest.NewRecorder()
			full.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			require.Equal(t, want, w.Body.String(), path)
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", "text/html")
		w := httptest.NewRecorder()
		full.ServeHTTP(w, r)
		require.Equal(t, http.StatusFound, w.Code, "a browser opening / lands in the console")
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request")
		w = httptest.NewRecorder()
		full.ServeHTTP(w, r)
		require.Equal(t, "s3", w.Body.String(), "a signed ListBuckets goes to S3")
	})
	t.Run("UnservedTarget", func(t *testing.T) {
		t.Parallel()
		w := do(http.MethodPost, "/", "Unknown_20200101.ListThings")
		require.Equal(t, http.StatusBadRequest, w.Code)
		require.Contains(t, w.Body.String(), `"__type":"UnknownOperationException"`)
	})
	t.Run("NoS3", func(t *testing.T) {
		t.Parallel()
		w := do(http.MethodGet, "/bucket/key", "")
		require.Equal(t, http.StatusNotFound, w.Code)
	})
}
