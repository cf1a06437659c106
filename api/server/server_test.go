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
	h := server.New(server.Config{StepFunctions: sfn})

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
	t.Run("UnservedTarget", func(t *testing.T) {
		t.Parallel()
		w := do(http.MethodPost, "/", "CodePipeline_20150709.ListPipelines")
		require.Equal(t, http.StatusBadRequest, w.Code)
		require.Contains(t, w.Body.String(), `"__type":"UnknownOperationException"`)
	})
	t.Run("NoS3", func(t *testing.T) {
		t.Parallel()
		w := do(http.MethodGet, "/bucket/key", "")
		require.Equal(t, http.StatusNotFound, w.Code)
	})
}
