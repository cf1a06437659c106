package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/approval"
	"stepline/pipeline/plan"
	"stepline/sfn"
	"stepline/store/sqlite"
	"stepline/web"
)

var manualType = plan.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}

// opsBundle is a console over a pipeline Source → Approve (a real Manual approval) →
// Run, whose Run action fails while fail is set, so every control of the pipeline
// page has something to act on.
type opsBundle struct {
	*testBundle
	pl   *pipeline.Service
	fail atomic.Bool
}

func setupOps(t testing.TB) *opsBundle {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	svc := sfn.New(st, sfn.Config{NodeID: "test"})
	require.NoError(t, svc.Start(t.Context()))
	b := &opsBundle{testBundle: &testBundle{svc: svc}}
	providers := map[plan.ActionTypeID]action.Provider{
		s3SourceType: action.ProviderFunc(func(ctx context.Context, job action.Job, report func(plan.ActionResult)) (action.Outcome, error) {
			return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{Summary: "app.zip",
				OutputArtifacts: []plan.ArtifactLocation{{Name: "Src", Revision: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"}}}}, nil
		}),
		manualType: approval.Provider{},
		sfnInvokeTyp: action.ProviderFunc(func(ctx context.Context, job action.Job, report func(plan.ActionResult)) (action.Outcome, error) {
			if b.fail.Load() {
				return action.Fail("the workflow failed"), nil
			}
			return action.Outcome{Status: action.Succeeded}, nil
		}),
	}
	b.pl = pipeline.New(st, pipeline.Config{NodeID: "test", Providers: providers})
	require.NoError(t, b.pl.Start(t.Context()))
	t.Cleanup(func() {
		b.pl.Stop()
		svc.Stop()
		require.NoError(t, st.Close())
	})
	c, err := web.NewConsole(web.Deps{SFN: svc, Pipelines: b.pl})
	require.NoError(t, err)
	b.console = c
	_, err = b.pl.CreatePipeline(t.Context(), opsDeclaration("ops"), nil)
	require.NoError(t, err)
	return b
}

func opsDeclaration(name string) plan.Pipeline {
	return plan.Pipeline{
		Name: name, RoleARN: "arn:aws:iam::000000000000:role/p",
		ArtifactStore: &plan.ArtifactStore{Type: "S3", Location: "artifacts"},
		Stages: []plan.Stage{
			{Name: "Source", Actions: []plan.Action{{Name: "Fetch", ActionTypeID: s3SourceType,
				Configuration:   map[string]string{"S3Bucket": "src", "S3ObjectKey": "app.zip"},
				OutputArtifacts: []plan.OutputArtifact{{Name: "Src"}}}}},
			{Name: "Approve", Actions: []plan.Action{{Name: "Review", ActionTypeID: manualType}}},
			{Name: "Run", Actions: []plan.Action{{Name: "Invoke", ActionTypeID: sfnInvokeTyp,
				Configuration: map[string]string{"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:Hello"}}}},
		},
	}
}

// waitFor waits until the newest execution satisfies ok and returns it.
func (b *opsBundle) waitFor(t *testing.T, ok func(*plan.Execution) bool) *plan.Execution {
	t.Helper()
	var last *plan.Execution
	require.Eventually(t, func() bool {
		execs, _, err := b.pl.Executions(t.Context(), "ops")
		require.NoError(t, err)
		if len(execs) == 0 || !ok(execs[0]) {
			return false
		}
		last = execs[0]
		return true
	}, 10*time.Second, 10*time.Millisecond)
	return last
}

// waitApproval waits until the approval waits for an answer and returns its token.
func (b *opsBundle) waitApproval(t *testing.T) (*plan.Execution, string) {
	t.Helper()
	e := b.waitFor(t, func(e *plan.Execution) bool {
		run := e.Latest("Approve", "Review")
		return run != nil && run.Status == plan.StatusInProgress && run.Token != ""
	})
	return e, e.Latest("Approve", "Review").Token
}

// stageHTML is the part of a page inside the stage region named name.
func stageHTML(t *testing.T, body, name string) string {
	t.Helper()
	start := strings.Index(body, `<section class="stage" role="region" aria-label="`+name+`">`)
	require.Positive(t, start, "stage %s", name)
	end := strings.Index(body[start:], "</section>")
	require.Positive(t, end)
	return body[start : start+end]
}

func TestPipelineReview(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	_, token := b.waitApproval(t)

	code, body := b.get(t, "/_console/pipelines/ops")
	require.Equal(t, http.StatusOK, code)
	approve := stageHTML(t, body, "Approve")
	require.Contains(t, approve, `<summary class="button primary" role="button" aria-expanded="false">Review</summary>`)
	require.Contains(t, approve, `value="`+token+`"`)
	require.Contains(t, approve, `>Approve</button>`)
	require.Contains(t, approve, `>Reject</button>`)
	require.Contains(t, approve, `<label for="action-1-0-summary">Comments`)

	t.Run("WrongTokenShowsErrorBesideTheForm", func(t *testing.T) {
		w := b.post(t, "/_console/pipelines/ops/review", url.Values{"stage": {"Approve"}, "action": {"Review"},
			"token": {"00000000-0000-4000-8000-000000000000"}, "status": {"Approved"}, "summary": {"kept"}})
		require.Equal(t, http.StatusBadRequest, w.Code)
		approve := stageHTML(t, w.Body.String(), "Approve")
		require.Contains(t, approve, `<details class="control" open>`)
		require.Regexp(t, `class="field-error" role="alert">Invalid approval token`, approve)
		require.Contains(t, approve, ">kept</textarea>")
	})
	t.Run("NeitherApproveNorReject", func(t *testing.T) {
		w := b.post(t, "/_console/pipelines/ops/review", url.Values{"stage": {"Approve"}, "action": {"Review"}, "token": {token}, "status": {"Maybe"}})
		require.Equal(t, http.StatusBadRequest, w.Code)
		require.Contains(t, w.Body.String(), "Choose Approve or Reject.")
	})

	w := b.post(t, "/_console/pipelines/ops/review", url.Values{"stage": {"Approve"}, "action": {"Review"},
		"token": {token}, "status": {"Approved"}, "summary": {"looks good"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	require.Equal(t, "/_console/pipelines/ops?done=approved", w.Header().Get("Location"))
	e := b.waitFor(t, func(e *plan.Execution) bool { return !e.Active() })
	require.Equal(t, plan.StatusSucceeded, e.Status)
	require.Equal(t, "looks good", e.Latest("Approve", "Review").Result.Summary)

	// A second answer (another tab) gets the service's error beside the approval,
	// although its Review button is gone.
	w = b.post(t, "/_console/pipelines/ops/review", url.Values{"stage": {"Approve"}, "action": {"Review"},
		"token": {token}, "status": {"Rejected"}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Contains(t, stageHTML(t, w.Body.String(), "Approve"), `<p class="field-error" role="alert">Approval action has already been completed</p>`)
	// An error about a stage the page does not have goes to the top.
	w = b.post(t, "/_console/pipelines/ops/review", url.Values{"stage": {"Gone"}, "action": {"Review"},
		"token": {token}, "status": {"Approved"}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Contains(t, w.Body.String(), `<p class="alert" role="alert">Stage &#39;Gone&#39; not found`)

	_, body = b.get(t, "/_console/pipelines/ops?done=approved")
	require.Contains(t, body, `<p class="notice" role="status" data-done="approved">Approved.</p>`)
	require.NotContains(t, body, ">Review</summary>")
}

func TestPipelineStop(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	e, _ := b.waitApproval(t)

	_, body := b.get(t, "/_console/pipelines/ops")
	approve := stageHTML(t, body, "Approve")
	require.Contains(t, approve, `<summary class="button" role="button" aria-expanded="false">Stop execution</summary>`)
	require.Contains(t, approve, `name="execution" value="`+e.ID+`"`)
	require.Contains(t, approve, "Stop and wait")
	require.Contains(t, approve, "Stop and abandon")
	require.NotContains(t, stageHTML(t, body, "Source"), "Stop execution")

	w := b.post(t, "/_console/pipelines/ops/stop", url.Values{"stage": {"Approve"}, "execution": {e.ID}, "mode": {"later"}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Contains(t, stageHTML(t, w.Body.String(), "Approve"), "Choose Stop and wait or Stop and abandon.")

	w = b.post(t, "/_console/pipelines/ops/stop", url.Values{"stage": {"Approve"}, "execution": {e.ID}, "mode": {"abandon"}, "reason": {"wrong build"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	stopped := b.waitFor(t, func(e *plan.Execution) bool { return e.Status == plan.StatusStopped })
	require.Equal(t, "wrong build", stopped.StopReason)
	require.True(t, stopped.StopAbandon)

	// Stopping it again is the service's error, shown in the stage the form was in.
	w = b.post(t, "/_console/pipelines/ops/stop", url.Values{"stage": {"Approve"}, "execution": {e.ID}, "mode": {"wait"}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Contains(t, stageHTML(t, w.Body.String(), "Approve"), "cannot be stopped")

	// The detail view tells how it stopped.
	code, page := b.get(t, "/_console/pipelines/ops/executions/"+e.ID)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, page, "Stop and abandon: wrong build")
	require.Contains(t, page, "Abandoned")
}

func TestPipelineRetry(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	b.fail.Store(true)
	_, token := b.waitApproval(t)
	require.NoError(t, b.pl.PutApprovalResult(t.Context(), "ops", "Approve", "Review", "Approved", "", token))
	failed := b.waitFor(t, func(e *plan.Execution) bool { return e.Status == plan.StatusFailed })

	_, body := b.get(t, "/_console/pipelines/ops")
	run := stageHTML(t, body, "Run")
	require.Contains(t, run, `<button class="button" type="submit" name="mode" value="ALL_ACTIONS">Retry stage</button>`)
	require.Contains(t, run, `<button class="button" type="submit" name="mode" value="FAILED_ACTIONS">Retry failed actions</button>`)
	require.Contains(t, run, "the workflow failed")
	require.NotContains(t, stageHTML(t, body, "Approve"), "Retry stage")

	w := b.post(t, "/_console/pipelines/ops/retry", url.Values{"stage": {"Run"}, "execution": {failed.ID}, "mode": {"SOME"}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Contains(t, stageHTML(t, w.Body.String(), "Run"), "Choose Retry stage or Retry failed actions.")

	w = b.post(t, "/_console/pipelines/ops/retry", url.Values{"stage": {"Approve"}, "execution": {failed.ID}, "mode": {"FAILED_ACTIONS"}})
	require.Equal(t, http.StatusBadRequest, w.Code, "a stage that did not fail is not retryable")
	require.Contains(t, stageHTML(t, w.Body.String(), "Approve"), `class="field-error" role="alert"`)

	b.fail.Store(false)
	w = b.post(t, "/_console/pipelines/ops/retry", url.Values{"stage": {"Run"}, "execution": {failed.ID}, "mode": {"FAILED_ACTIONS"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	e := b.waitFor(t, func(e *plan.Execution) bool { return !e.Active() })
	require.Equal(t, failed.ID, e.ID)
	require.Equal(t, plan.StatusSucceeded, e.Status)

	code, page := b.get(t, "/_console/pipelines/ops/executions/"+e.ID)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, page, "attempt 2")
	require.Equal(t, 2, strings.Count(page, "<td>Invoke</td>"), "both runs of the retried action")
}

func TestPipelineTransition(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	_, body := b.get(t, "/_console/pipelines/ops")
	require.Contains(t, body, `aria-label="Transition to Approve"`)
	require.Contains(t, body, `<summary class="button small-button" role="button" aria-expanded="false">Disable transition</summary>`)
	require.Contains(t, body, `<label for="reason-1">Reason</label>`)

	for reason, msg := range map[string]string{"": "Enter a reason", "<script>": "may contain only"} {
		w := b.post(t, "/_console/pipelines/ops/transition", url.Values{"stage": {"Approve"}, "reason": {reason}})
		require.Equal(t, http.StatusBadRequest, w.Code)
		page := w.Body.String()
		require.Regexp(t, `aria-label="Transition to Approve">(?s:.)*`+regexp.QuoteMeta(msg), page)
		require.Contains(t, page, `aria-describedby="transition-error-1"`)
	}
	w := b.post(t, "/_console/pipelines/ops/transition", url.Values{"stage": {"Nope"}, "reason": {"maintenance"}})
	require.Equal(t, http.StatusBadRequest, w.Code, "an unknown stage is the service's error")

	w = b.post(t, "/_console/pipelines/ops/transition", url.Values{"stage": {"Run"}, "reason": {"Freeze (release 2)"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	_, snap, err := b.pl.Executions(t.Context(), "ops")
	require.NoError(t, err)
	require.False(t, snap.Runtime.TransitionEnabled("Run"))
	_, body = b.get(t, "/_console/pipelines/ops")
	require.Contains(t, body, "Transition disabled: Freeze (release 2)")
	require.Contains(t, body, `>Enable transition</button>`)

	w = b.post(t, "/_console/pipelines/ops/transition", url.Values{"stage": {"Run"}, "enable": {"true"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	_, snap, err = b.pl.Executions(t.Context(), "ops")
	require.NoError(t, err)
	require.True(t, snap.Runtime.TransitionEnabled("Run"))
}

func TestPipelineStopInbound(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	// The first execution holds Approve, so a second one waits in front of it.
	b.waitApproval(t)
	_, err := b.pl.StartPipelineExecution(t.Context(), "ops", nil, "", nil)
	require.NoError(t, err)
	e := b.waitFor(t, func(e *plan.Execution) bool { return e.Inbound && e.Stage == 1 })
	_, body := b.get(t, "/_console/pipelines/ops")
	i := strings.Index(body, `aria-label="Transition to Approve"`)
	require.Positive(t, i)
	transition := body[i : i+strings.Index(body[i:], "</section>")]
	require.Contains(t, transition, `Waiting: <span class="mono">`+e.ID)
	require.Contains(t, transition, `<summary class="button small-button" role="button" aria-expanded="false">Stop execution</summary>`)
	require.Contains(t, transition, `<label for="inbound-reason-1">Comments`)

	w := b.post(t, "/_console/pipelines/ops/stop", url.Values{"stage": {"Approve"}, "execution": {e.ID}, "at": {"inbound"},
		"mode": {"wait"}, "reason": {strings.Repeat("x", 201)}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	page := w.Body.String()
	i = strings.Index(page, `aria-label="Transition to Approve"`)
	require.Contains(t, page[i:], "at most 200 characters")
	require.Less(t, strings.Index(page[i:], "at most 200 characters"), strings.Index(page[i:], `aria-label="Approve"`))

	w = b.post(t, "/_console/pipelines/ops/stop", url.Values{"stage": {"Approve"}, "execution": {e.ID}, "at": {"inbound"}, "mode": {"wait"}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	stopped := b.waitFor(t, func(e *plan.Execution) bool { return e.Status == plan.StatusStopped })
	require.Equal(t, e.ID, stopped.ID)
}

func TestPipelinePoll(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	b.waitApproval(t)
	poll := func() map[string]any {
		code, body := b.get(t, "/_console/pipelines/ops/poll")
		require.Equal(t, http.StatusOK, code)
		var out map[string]any
		require.NoError(t, json.Unmarshal([]byte(body), &out))
		return out
	}
	first := poll()
	require.NotEmpty(t, first["state"])
	require.Equal(t, true, first["active"])
	require.Len(t, first["stages"], 3)
	require.Equal(t, first["state"], poll()["state"], "nothing changed")

	require.NoError(t, b.pl.SetStageTransition(t.Context(), "ops", "Run", "Inbound", false, "x"))
	require.NotEqual(t, first["state"], poll()["state"])

	code, body := b.get(t, "/_console/pipelines/nope/poll")
	require.Equal(t, http.StatusNotFound, code)
	require.Contains(t, body, `"error"`)
}

func TestPipelineHistoryRevisions(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	e, _ := b.waitApproval(t)
	_, body := b.get(t, "/_console/pipelines/ops")
	require.Contains(t, body, `<th scope="col">Source revisions</th>`)
	require.Contains(t, body, `<span class="muted">Fetch:</span> <span class="mono" title="3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY">3HL4kqtJlcpX…</span> app.zip`)
	require.Contains(t, body, `<a href="/_console/pipelines/ops/executions/`+e.ID+`">`)

	code, page := b.get(t, "/_console/pipelines/ops/executions/"+e.ID)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, page, "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")
	require.Contains(t, page, "CreatePipeline")
	code, _ = b.get(t, "/_console/pipelines/ops/executions/nope")
	require.Equal(t, http.StatusNotFound, code)
}

func TestPipelineHistoryPages(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	for range 60 {
		_, err := b.pl.StartPipelineExecution(t.Context(), "ops", nil, "", nil)
		require.NoError(t, err)
	}
	_, body := b.get(t, "/_console/pipelines/ops")
	require.Equal(t, 50, strings.Count(body, `<a href="/_console/pipelines/ops/executions/`))
	m := regexp.MustCompile(`<a href="\?before=([^"]+)">Older executions →</a>`).FindStringSubmatch(body)
	require.NotNil(t, m)
	_, body = b.get(t, "/_console/pipelines/ops?before="+m[1])
	require.Equal(t, 11, strings.Count(body, `<a href="/_console/pipelines/ops/executions/`))
	require.Contains(t, body, `<a href="/_console/pipelines/ops">Newest executions</a>`)
	require.NotContains(t, body, "Older executions")
	require.Contains(t, body, `data-page="/_console/pipelines/ops?before=`)
	code, _ := b.get(t, "/_console/pipelines/ops?before=%FF%00garbage")
	require.Equal(t, http.StatusOK, code)
}
