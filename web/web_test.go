package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

func TestCreateFromTemplate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	code, body := b.get(t, "/_console/statemachines/new?template=HelloWorld")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<label for="definition">`)
	require.Contains(t, body, "IsHelloWorldExample")

	w := b.post(t, "/_console/statemachines/new", url.Values{
		"name": {"Hello"}, "type": {"STANDARD"}, "role": {testRole}, "definition": {helloWorld(t)}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	loc := w.Header().Get("Location")
	require.Contains(t, loc, "/_console/statemachines/arn:aws:states:")

	code, body = b.get(t, loc)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<svg class="graph"`)
	require.Contains(t, body, `data-state="Hello World example?"`)
	require.Contains(t, body, "Start execution")
}

func TestCreateShowsDefinitionErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.post(t, "/_console/statemachines/new", url.Values{
		"name": {"Broken"}, "role": {testRole},
		"definition": {`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}`}})
	require.Equal(t, http.StatusUnprocessableEntity, w.Code)
	body := w.Body.String()
	require.Contains(t, body, `id="definition-error"`)
	require.Contains(t, body, "MISSING_TRANSITION_TARGET")
	require.Contains(t, body, "/States/A/Next")

	w = b.post(t, "/_console/statemachines/new", url.Values{
		"name": {"bad name!"}, "role": {testRole}, "definition": {helloWorld(t)}})
	require.Equal(t, http.StatusUnprocessableEntity, w.Code)
	require.Contains(t, w.Body.String(), `id="name-error"`)
}

func TestCrossSitePostIsRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	req := httptest.NewRequest(http.MethodPost, "/_console/statemachines/new", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	b.console.ServeHTTP(w, req)
	require.Equal(t, http.StatusForbidden, w.Code)
}

func TestExecutionPage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.mustCreate(t, "Quick", `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"ok":true},"Next":"B"},"B":{"Type":"Succeed"}}}`)
	w := b.post(t, "/_console/statemachines/"+url.PathEscape(arn)+"/executions", url.Values{"name": {"first"}, "input": {`{"x":1}`}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	loc := w.Header().Get("Location")
	require.Contains(t, loc, "/_console/executions/")

	code, body := b.get(t, loc)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Succeeded")
	require.Contains(t, body, "ExecutionSucceeded")
	require.Contains(t, body, `class="node node-state tone-ok" data-state="A"`)
	require.Contains(t, body, `class="edge edge-next taken" data-from="A" data-to="B"`)
	require.Contains(t, body, "&#34;ok&#34;: true")

	code, body = b.get(t, loc+"/poll?after=1")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `"status":"SUCCEEDED"`)
	require.Contains(t, body, `"A":{"text":"Succeeded"`)
	require.Contains(t, body, `"type":"ExecutionSucceeded"`)

	// The state machine page lists it.
	_, body = b.get(t, "/_console/statemachines/"+url.PathEscape(arn))
	require.Contains(t, body, ">first</a>")
}

func TestStartShowsBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.mustCreate(t, "Quick", `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`)
	w := b.post(t, "/_console/statemachines/"+url.PathEscape(arn)+"/executions", url.Values{"input": {`{not json`}})
	require.Equal(t, http.StatusUnprocessableEntity, w.Code)
	require.Contains(t, w.Body.String(), `class="alert"`)
	require.Contains(t, w.Body.String(), "{not json")
}

func TestStopExecution(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.mustCreate(t, "Slow", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`)
	res, err := b.svc.StartExecution(t.Context(), sfn.StartExecutionParams{StateMachineARN: arn, Name: "long"})
	require.NoError(t, err)
	_, body := b.get(t, "/_console/executions/"+url.PathEscape(res.ExecutionARN))
	require.Contains(t, body, "Stop execution")
	require.Contains(t, body, "In progress")
	require.Contains(t, body, `data-status="RUNNING"`)

	w := b.post(t, "/_console/executions/"+url.PathEscape(res.ExecutionARN)+"/stop", nil)
	require.Equal(t, http.StatusSeeOther, w.Code)
	ex, err := b.svc.DescribeExecution(t.Context(), res.ExecutionARN)
	require.NoError(t, err)
	require.Equal(t, sfn.ExecAborted, ex.Status)
	_, body = b.get(t, "/_console/executions/"+url.PathEscape(res.ExecutionARN))
	require.Contains(t, body, "Aborted")
	require.NotContains(t, body, "Stop execution")
}

func TestNotFoundPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	code, body := b.get(t, "/_console/statemachines/arn:aws:states:us-east-1:000000000000:stateMachine:Nope")
	require.Equal(t, http.StatusNotFound, code)
	require.Contains(t, body, "StateMachineDoesNotExist")
	code, _ = b.get(t, "/_console/nothing-here")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = b.get(t, "/_console/executions/not-an-arn")
	require.Equal(t, http.StatusBadRequest, code)
}

func TestOtherPagesRender(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, path := range []string{"/_console/activities", "/_console/pipelines", "/_console/static/console.css", "/_console/static/console.js"} {
		code, _ := b.get(t, path)
		require.Equal(t, http.StatusOK, code, path)
	}
	code, _ := b.get(t, "/_console/static/")
	require.Equal(t, http.StatusNotFound, code, "no directory listing")
	req := httptest.NewRequest(http.MethodGet, "/_console/", nil)
	w := httptest.NewRecorder()
	b.console.ServeHTTP(w, req)
	require.Equal(t, http.StatusFound, w.Code)
	require.Equal(t, "/_console/statemachines", w.Header().Get("Location"))
}

func TestNewWithoutServiceAnswers503(t *testing.T) {
	t.Parallel()
	h := web.New(web.Deps{})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_console/", nil))
	require.Equal(t, http.StatusServiceUnavailable, w.Code)
}

func TestStartExpressStaysOnStateMachine(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res, err := b.svc.StateMachineCreate(t.Context(), sfn.StateMachineCreateParams{
		Name: "Fast", Definition: `{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`, RoleARN: testRole, Type: sfn.TypeExpress})
	require.NoError(t, err)
	w := b.post(t, "/_console/statemachines/"+url.PathEscape(res.ARN)+"/executions", url.Values{"input": {`{}`}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	loc := w.Header().Get("Location")
	require.Contains(t, loc, "?express=")
	code, body := b.get(t, loc)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Started Express execution")
	require.Contains(t, body, "keep no history to list")
}

func TestExecutionStatusFilter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.mustCreate(t, "Choose", `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":true,"Next":"Y"}],"Default":"N"},"Y":{"Type":"Succeed"},"N":{"Type":"Fail"}}}`)
	for name, in := range map[string]string{"good": `{"ok":true}`, "bad": `{"ok":false}`} {
		_, err := b.svc.StartExecution(t.Context(), sfn.StartExecutionParams{StateMachineARN: arn, Name: name, Input: &in})
		require.NoError(t, err)
	}
	page := "/_console/statemachines/" + url.PathEscape(arn)
	require.Eventually(t, func() bool {
		_, body := b.get(t, page+"?status=FAILED")
		return strings.Contains(body, ">bad</a>")
	}, 10*time.Second, 20*time.Millisecond)
	_, body := b.get(t, page+"?status=FAILED")
	require.NotContains(t, body, ">good</a>")
	require.Contains(t, body, `<label for="status-filter">`)
	code, _ := b.get(t, page+"?status=NOPE")
	require.Equal(t, http.StatusBadRequest, code)
}

func TestCreatePreview(t *testing.T) {
	t.Parallel()
	b := setup(t)
	w := b.post(t, "/_console/statemachines/new", url.Values{
		"action": {"preview"}, "name": {"Hello"}, "role": {testRole}, "definition": {helloWorld(t)}})
	require.Equal(t, http.StatusOK, w.Code)
	body := w.Body.String()
	require.Contains(t, body, "The definition is valid.")
	require.Contains(t, body, `data-state="Parallel State"`)
	_, err := b.svc.StateMachineGet(t.Context(), "arn:aws:states:us-east-1:000000000000:stateMachine:Hello")
	require.Error(t, err, "a preview creates nothing")

	w = b.post(t, "/_console/statemachines/new", url.Values{
		"action": {"preview"}, "definition": {`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass"}}}`}})
	require.Equal(t, http.StatusOK, w.Code)
	require.Contains(t, w.Body.String(), "MISSING_END")
	require.NotContains(t, w.Body.String(), "The definition is valid.")
}

func TestActivityList(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.ActivityCreate(t.Context(), "resize-images", nil, nil)
	require.NoError(t, err)
	code, body := b.get(t, "/_console/activities")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "<td>resize-images</td>")
	require.Contains(t, body, "arn:aws:states:us-east-1:000000000000:activity:resize-images")
}
