package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"stepline/objects"
	"stepline/pipeline/plan"
	"stepline/repos"
	"stepline/web"
)

// TestBrowserPipelineActions drives the pipeline page's controls in chromium: the
// page follows an approval answered elsewhere without a reload, then disables and
// enables a transition, reviews an approval, retries a failed stage and stops an
// execution; then the create page and the bucket and repository pages, in light and
// dark mode.
func TestBrowserPipelineActions(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	b := setupOps(t)
	storage := setupStorage(t)
	console, err := web.NewConsole(web.Deps{SFN: b.svc, Pipelines: b.pl, Objects: storage.objs, Repos: storage.repos})
	require.NoError(t, err)
	srv := httptest.NewServer(console)
	t.Cleanup(srv.Close)
	dir := artifactsDir(t)
	ctx := newBrowser(t)
	page := srv.URL + "/_console/pipelines/ops"
	approve := `section[role="region"][aria-label="Approve"]`
	run := `section[role="region"][aria-label="Run"]`

	// Live update: an approval answered through the API shows on the open page.
	_, token := b.waitApproval(t)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.WaitVisible(approve+` details.control summary`),
		// The controls are buttons with names, inside their stage's region.
		chromedp.WaitVisible("Review", byRole("button", "Review", "Approve")),
		chromedp.WaitVisible("Stop execution", byRole("button", "Stop execution", "Approve")),
		chromedp.WaitVisible("Disable transition", byRole("button", "Disable transition", "")),
	))
	screenshot(t, ctx, dir, "pa-30-approval-waiting")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.marker = "same page"`),
		chromedp.Click(`#action-0-0 summary`),
		chromedp.WaitVisible(`#action-0-0 dl`),
	))
	b.fail.Store(true)
	require.NoError(t, b.pl.SetStageTransition(t.Context(), "ops", "Run", "Inbound", false, "hold"))
	require.NoError(t, b.pl.PutApprovalResult(t.Context(), "ops", "Approve", "Review", "Approved", "", token))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(approve+` .stage-status .badge.tone-ok`),
		chromedp.WaitVisible(`[aria-label="Transition to Run"] form.inline-form button`),
	))
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.marker`))
	require.NoError(t, err)
	require.Equal(t, "same page", marker, "updated in place, not reloaded")
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#action-0-0 dl`)), "opened details stay open")
	screenshot(t, ctx, dir, "pa-31-transition-disabled")

	// Enable the transition: the execution enters Run and fails there.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`[aria-label="Transition to Run"] form.inline-form button`),
		chromedp.WaitVisible(`p.notice[data-done="enabled"]`),
		chromedp.WaitVisible(run+` button[value="FAILED_ACTIONS"]`),
	))
	screenshot(t, ctx, dir, "pa-32-failed-retry")

	// Retry failed actions; the page follows the retry to Succeeded.
	b.fail.Store(false)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible("Retry stage", byRole("button", "Retry stage", "Run")),
		press("button", "Retry failed actions", "Run"),
		chromedp.WaitVisible(`p.notice[data-done="retry"]`),
		chromedp.WaitVisible(run+` .stage-status .badge.tone-ok`),
	))

	// Disable a transition with a reason typed into its form.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`[aria-label="Transition to Approve"] summary`),
		chromedp.WaitVisible(`#reason-1`),
		chromedp.SendKeys(`#reason-1`, "Release freeze"),
	))
	screenshot(t, ctx, dir, "pa-33-disable-form")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`[aria-label="Transition to Approve"] form button[type="submit"]`),
		chromedp.WaitVisible(`p.notice[data-done="disabled"]`),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(`[aria-label="Transition to Approve"]`))
	require.NoError(t, err)
	require.Contains(t, text, "Transition disabled: Release freeze")
	require.Contains(t, text, "Enable transition")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`[aria-label="Transition to Approve"] form.inline-form button`),
		chromedp.WaitVisible(`p.notice[data-done="enabled"]`),
		chromedp.WaitVisible(`[aria-label="Transition to Approve"] summary`),
	))

	// Release change, then review the approval from the page and reject it.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`.page-head a.button.primary`),
		chromedp.Click(`section.confirm button[type="submit"]`),
		chromedp.WaitVisible(`p.notice`),
		chromedp.WaitVisible(approve+` details.control summary.primary`),
		chromedp.Click(approve+` details.control summary.primary`),
		chromedp.WaitVisible(`#action-1-0-summary`),
		chromedp.WaitVisible(approve+` summary.primary[aria-expanded="true"]`),
		chromedp.SendKeys(`#action-1-0-summary`, "Not this one"),
	))
	screenshot(t, ctx, dir, "pa-34-review-open")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(approve+` button[value="Rejected"]`),
		chromedp.WaitVisible(`p.notice[data-done="rejected"]`),
		chromedp.WaitVisible(approve+` .stage-status .badge.tone-bad`),
	))
	e := b.waitFor(t, func(e *plan.Execution) bool { return !e.Active() })
	require.Equal(t, plan.StatusFailed, e.Status)
	require.Equal(t, "Not this one", e.Latest("Approve", "Review").Result.Summary)

	// Stop an execution waiting for approval: stop and abandon, with a comment.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`.page-head a.button.primary`),
		chromedp.Click(`section.confirm button[type="submit"]`),
		chromedp.WaitVisible(`p.notice`),
		chromedp.WaitVisible(approve+` details.control summary.button:not(.primary)`),
		chromedp.Click(approve+` details.control summary.button:not(.primary)`),
		chromedp.Click(approve+` input[value="abandon"]`),
		chromedp.SendKeys(`#stop-reason-1`, "Wrong revision"),
	))
	screenshot(t, ctx, dir, "pa-35-stop-open")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(approve+` .control-form button.danger`),
		chromedp.WaitVisible(`p.notice[data-done="abandon"]`),
	))
	e = b.waitFor(t, func(e *plan.Execution) bool { return e.Status == plan.StatusStopped })
	require.Equal(t, "Wrong revision", e.StopReason)
	require.NoError(t, chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(run)))
	screenshot(t, ctx, dir, "pa-36-history")
	require.NoError(t, chromedp.Do(ctx, darkMode(true), chromedp.Reload(), chromedp.WaitVisible(run)))
	screenshot(t, ctx, dir, "pa-37-pipeline-dark")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`table.list a[href*="/executions/"]`),
		chromedp.WaitVisible(`#runs-title`),
	))
	screenshot(t, ctx, dir, "pa-38-execution-dark")

	// Create pipeline: errors beside their fields, in dark mode, then light.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/new/pipeline"),
		chromedp.WaitVisible(`#name`),
		chromedp.Click(`#new-pipeline button[type="submit"]`),
		chromedp.WaitVisible(`#name + .field-error, .field.invalid .field-error`),
	))
	screenshot(t, ctx, dir, "pa-40-create-errors-dark")
	require.NoError(t, chromedp.Do(ctx, darkMode(false),
		chromedp.Navigate(srv.URL+"/_console/new/pipeline"),
		chromedp.WaitVisible(`#name`),
		chromedp.SetValue(`#source`, "CodeCommit"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("source").dispatchEvent(new Event("change"))`),
		chromedp.WaitVisible(`#repository`),
	))
	screenshot(t, ctx, dir, "pa-41-create")

	// Buckets and repositories.
	_, err = storage.objs.CreateBucket(t.Context(), "my-source-bucket", "", "000000000000")
	require.NoError(t, err)
	require.NoError(t, storage.objs.SetVersioning(t.Context(), "my-source-bucket", objects.VersioningEnabled))
	storage.MustPut(t, "my-source-bucket", "source.zip", "one", map[string]string{"team": "ops"})
	storage.MustPut(t, "my-source-bucket", "source.zip", "two", nil)
	storage.MustPut(t, "my-source-bucket", "artifacts/ops/SourceArti/abc.zip", "zip", nil)
	_, err = storage.repos.CreateRepository(t.Context(), repos.CreateRepositoryParams{Name: "app", Description: "Application source"})
	require.NoError(t, err)
	_, _, _, err = storage.repos.PutFile(t.Context(), repos.PutFileParams{Repository: "app", Branch: "main", Path: "src/main.go",
		Content: []byte("package main\n\nfunc main() {}\n"), Message: "Add main", Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)

	// Edit as JSON: a mistake is reported under the text area, with its line.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(page),
		chromedp.Click(`a[href$="/ops/json"]`),
		chromedp.WaitVisible(`#declaration`),
		chromedp.SetValue(`#declaration`, "{\n  \"name\": \"ops\",\n  \"stages\": [\n}"),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`#declaration-error`),
	))
	msg, err := chromedp.Run(ctx, chromedp.Text(`#declaration-error`))
	require.NoError(t, err)
	require.Contains(t, msg, "Line 4, column 1:")
	screenshot(t, ctx, dir, "pa-39-edit-json-error")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/new/pipeline?with=json"),
		chromedp.WaitVisible(`#declaration`),
	))
	screenshot(t, ctx, dir, "pa-43-create-json")

	// The pipelines list follows a new execution without a reload.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/pipelines"),
		chromedp.WaitVisible(`#pipelines-live .badge.tone-warn`),
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.marker = "list"`),
	))
	_, err = b.pl.StartPipelineExecution(t.Context(), "ops", nil, "", nil)
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx, chromedp.WaitVisible(`#pipelines-live .badge.tone-run`)))
	marker, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.marker`))
	require.NoError(t, err)
	require.Equal(t, "list", marker)
	screenshot(t, ctx, dir, "pa-42-pipelines")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`header nav a[href$="/buckets"]`),
		chromedp.Click(`table.list a[href$="/my-source-bucket"]`),
		chromedp.WaitVisible(`#objects-title`),
	))
	screenshot(t, ctx, dir, "pa-50-bucket")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`table.list a[href*="key=source.zip"]`),
		chromedp.WaitVisible(`#versions-title`),
	))
	screenshot(t, ctx, dir, "pa-51-object")
	require.NoError(t, chromedp.Do(ctx, darkMode(true), chromedp.Reload(), chromedp.WaitVisible(`#versions-title`)))
	screenshot(t, ctx, dir, "pa-52-object-dark")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`header nav a[href$="/repositories"]`),
		chromedp.Click(`table.list a[href$="/repositories/app"]`),
		chromedp.WaitVisible(`#commits-title`),
	))
	screenshot(t, ctx, dir, "pa-53-repository-dark")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`ul.tree a`),
		chromedp.Click(`ul.tree a`),
		chromedp.WaitVisible(`pre.file-text`),
	))
	screenshot(t, ctx, dir, "pa-54-repository-file-dark")
}
