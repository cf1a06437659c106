package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/server"
	"stepline/web"
)

// TestMountedInServer checks the console answers where the server routes it: under
// server.ConsolePath, with a browser opening "/" sent there.
func TestMountedInServer(t *testing.T) {
	t.Parallel()
	b := setup(t)
	require.Equal(t, server.ConsolePath, web.Prefix+"/")
	srv := httptest.NewServer(server.New(server.Config{Console: b.console}))
	t.Cleanup(srv.Close)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "text/html")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "/_console/statemachines", resp.Request.URL.Path, "/ lands on the state machines")
}
