package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/sfn"
	"stepline/sfn/samples"
	"stepline/store/sqlite"
	"stepline/web"
)

// testBundle is a console over a real Step Functions service on SQLite.
type testBundle struct {
	svc     *sfn.Service
	console http.Handler
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	svc := sfn.New(st, sfn.Config{NodeID: "test"})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(func() {
		svc.Stop()
		require.NoError(t, st.Close())
	})
	c, err := web.NewConsole(web.Deps{SFN: svc})
	require.NoError(t, err)
	return &testBundle{svc: svc, console: c}
}

const testRole = "arn:aws:iam::000000000000:role/test"

// mustCreate creates a state machine from a definition and returns its ARN.
func (b *testBundle) mustCreate(t testing.TB, name, def string) string {
	t.Helper()
	res, err := b.svc.StateMachineCreate(t.Context(), sfn.StateMachineCreateParams{Name: name, Definition: def, RoleARN: testRole})
	require.NoError(t, err)
	return res.ARN
}

// get serves a GET and returns the status and body.
func (b *testBundle) get(t testing.TB, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	w := httptest.NewRecorder()
	b.console.ServeHTTP(w, req)
	body, err := io.ReadAll(w.Result().Body)
	require.NoError(t, err)
	return w.Code, string(body)
}

// post serves a form POST as the console's own page would send it.
func (b *testBundle) post(t testing.TB, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	w := httptest.NewRecorder()
	b.console.ServeHTTP(w, req)
	return w
}

func helloWorld(t testing.TB) string {
	t.Helper()
	tpl, ok, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	require.True(t, ok)
	return tpl.Definition
}

func TestStateMachineListRenders(t *testing.T) {
	t.Parallel()
	b := setup(t)
	code, body := b.get(t, "/_console/statemachines")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "No state machines")

	b.mustCreate(t, "HelloWorld", helloWorld(t))
	code, body = b.get(t, "/_console/statemachines")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, ">HelloWorld</a>")
	require.Contains(t, body, "Standard")
}
