package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"stepline/pipeline/plan"
)

// TestBrowserPipelineRollbackAndConditions uses Start rollback and a condition's
// Override on the pipeline page in chromium, finding them by role and name inside
// their stage's region: a rollback to the earlier execution shows in the history with
// its target, and a stage's entry condition appears on the open page when its rule
// starts waiting, without a reload, then is overridden. Screenshots in light and dark.
func TestBrowserPipelineRollbackAndConditions(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	b := setupOps(t)
	srv := httptest.NewServer(b.console)
	t.Cleanup(srv.Close)
	dir := artifactsDir(t)
	ctx := newBrowser(t)
	run := `section[role="region"][aria-label="Run"]`

	// Two executions succeeded in Run: the older one is the rollback target.
	_, err := b.pl.CreatePipeline(t.Context(), v2Declaration("rb"), nil)
	require.NoError(t, err)
	first := b.approveNewest(t, "rb")
	_, err = b.pl.StartPipelineExecution(t.Context(), "rb", nil, "", nil)
	require.NoError(t, err)
	b.approveNewest(t, "rb")

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/pipelines/rb"),
		chromedp.WaitVisible(run),
		press("button", "Start rollback", "Run"),
		chromedp.WaitVisible("Target pipeline execution", byRole("combobox", "Target pipeline execution", "Run")),
		chromedp.WaitVisible(run+` summary[aria-expanded="true"]`),
	))
	target, err := chromedp.Run(ctx, chromedp.Value(run+` select[name="target"]`))
	require.NoError(t, err)
	require.Equal(t, first.ID, target)
	screenshot(t, ctx, dir, "rb-10-start-rollback")
	require.NoError(t, chromedp.Do(ctx, darkMode(true)))
	screenshot(t, ctx, dir, "rb-11-start-rollback-dark")
	require.NoError(t, chromedp.Do(ctx,
		darkMode(false),
		press("button", "Roll back", "Run"),
		chromedp.WaitVisible(`p.notice[data-done="rollback"]`),
	))
	rb := b.newest(t, "rb", func(e *plan.Execution) bool { return e.Type == plan.ExecutionRollback && !e.Active() })
	require.Equal(t, first.ID, rb.RollbackTarget)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(`table.list tbody tr:first-child td:first-child div.muted`),
		chromedp.WaitVisible(`table.list tbody tr:first-child .badge.tone-ok`),
	))
	row, err := chromedp.Run(ctx, chromedp.Text(`table.list tbody tr:first-child`))
	require.NoError(t, err)
	require.Contains(t, row, "Rollback to "+first.ID)
	require.Contains(t, row, "ManualRollback")
	screenshot(t, ctx, dir, "rb-12-rollback-history")
	require.NoError(t, chromedp.Do(ctx, darkMode(true), chromedp.Reload(), chromedp.WaitVisible(run)))
	screenshot(t, ctx, dir, "rb-13-rollback-history-dark")

	// A stage with an entry condition whose rule waits for a deployment window.
	d := v2Declaration("cond")
	d.Stages[2].BeforeEntry = &plan.ConditionGate{Conditions: windowNextYear()}
	_, err = b.pl.CreatePipeline(t.Context(), d, nil)
	require.NoError(t, err)
	e := b.newest(t, "cond", func(e *plan.Execution) bool {
		r := e.Latest("Approve", "Review")
		return r != nil && r.Token != ""
	})
	require.NoError(t, chromedp.Do(ctx,
		darkMode(false),
		chromedp.Navigate(srv.URL+"/_console/pipelines/cond"),
		chromedp.WaitVisible(run+` .condition`),
		chromedp.Evaluate[chromedp.Void](`document.body.dataset.marker = "same page"`),
	))
	text, err := chromedp.Run(ctx, chromedp.Text(run+` .condition`))
	require.NoError(t, err)
	require.Contains(t, text, "Entry conditions")
	require.Contains(t, text, "Not evaluated")
	require.NoError(t, b.pl.PutApprovalResult(t.Context(), "cond", "Approve", "Review", "Approved", "", e.Latest("Approve", "Review").Token))
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible("Override", byRole("button", "Override", "Run")),
	))
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.marker`))
	require.NoError(t, err)
	require.Equal(t, "same page", marker, "the condition's state came in place, without a reload")
	text, err = chromedp.Run(ctx, chromedp.Text(run+` .condition`))
	require.NoError(t, err)
	require.Contains(t, text, "In progress")
	require.Contains(t, text, "Waiting for the deployment window")
	screenshot(t, ctx, dir, "rb-20-condition-waiting")
	require.NoError(t, chromedp.Do(ctx, darkMode(true)))
	screenshot(t, ctx, dir, "rb-21-condition-waiting-dark")
	require.NoError(t, chromedp.Do(ctx,
		press("button", "Override", "Run"),
		chromedp.WaitVisible(`p.notice[data-done="override"]`),
		chromedp.WaitVisible(run+` .stage-status .badge.tone-ok`),
	))
	text, err = chromedp.Run(ctx, chromedp.Text(run+` .condition`))
	require.NoError(t, err)
	require.Contains(t, text, "Overridden")
	require.Contains(t, text, "Abandoned")
	require.NotContains(t, text, "Override\n")
	screenshot(t, ctx, dir, "rb-22-condition-overridden-dark")
	require.NoError(t, chromedp.Do(ctx, darkMode(false), chromedp.Reload(), chromedp.WaitVisible(run)))
	screenshot(t, ctx, dir, "rb-23-condition-overridden")
	require.Equal(t, plan.StatusSucceeded, b.newest(t, "cond", func(x *plan.Execution) bool { return !x.Active() }).Status)
}
