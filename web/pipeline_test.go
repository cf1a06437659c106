package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/sfn"
	"stepline/store/sqlite"
	"stepline/web"
)

var (
	s3SourceType = plan.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}
	sfnInvokeTyp = plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}
)

// pipelineBundle is a console over real Step Functions and pipeline services on one
// SQLite store. The S3 source succeeds at once; the Step Functions action starts a
// real execution of the HelloWorld state machine and reports its ARN.
type pipelineBundle struct {
	*testBundle
	pl         *pipeline.Service
	machineARN string
}

func setupPipelines(t *testing.T) *pipelineBundle {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	svc := sfn.New(st, sfn.Config{NodeID: "test"})
	require.NoError(t, svc.Start(t.Context()))
	b := &pipelineBundle{testBundle: &testBundle{svc: svc}}
	b.machineARN = b.mustCreate(t, "Hello", helloWorld(t))
	providers := map[plan.ActionTypeID]action.Provider{
		s3SourceType: action.ProviderFunc(func(ctx context.Context, job action.Job, report func(plan.ActionResult)) (action.Outcome, error) {
			return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{Summary: "app.zip"}}, nil
		}),
		sfnInvokeTyp: action.ProviderFunc(func(ctx context.Context, job action.Job, report func(plan.ActionResult)) (action.Outcome, error) {
			res, err := svc.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: job.Configuration["StateMachineArn"]})
			if err != nil {
				return action.Outcome{}, err
			}
			return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{ExternalExecutionID: res.ExecutionARN}}, nil
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
	return b
}

// createRelease creates a pipeline: an S3 source, then a Step Functions invoke.
func (b *pipelineBundle) createRelease(t *testing.T) {
	t.Helper()
	_, err := b.pl.CreatePipeline(t.Context(), plan.Pipeline{
		Name: "release", RoleARN: "arn:aws:iam::000000000000:role/p",
		ArtifactStore: &plan.ArtifactStore{Type: "S3", Location: "artifacts"},
		Stages: []plan.Stage{
			{Name: "Source", Actions: []plan.Action{{
				Name: "Fetch", ActionTypeID: s3SourceType,
				Configuration:   map[string]string{"S3Bucket": "src", "S3ObjectKey": "app.zip"},
				OutputArtifacts: []plan.OutputArtifact{{Name: "Src"}},
			}}},
			{Name: "Run workflow", Actions: []plan.Action{{
				Name: "Invoke", ActionTypeID: sfnInvokeTyp,
				Configuration: map[string]string{"StateMachineArn": b.machineARN},
			}}},
		},
	}, nil)
	require.NoError(t, err)
}

// waitDone waits until the pipeline's newest execution has ended.
func (b *pipelineBundle) waitDone(t *testing.T) *plan.Execution {
	t.Helper()
	var last *plan.Execution
	require.Eventually(t, func() bool {
		execs, _, err := b.pl.Executions(t.Context(), "release")
		require.NoError(t, err)
		if len(execs) == 0 || execs[0].Active() {
			return false
		}
		last = execs[0]
		return true
	}, 10*time.Second, 20*time.Millisecond)
	return last
}

func TestPipelinePageDrawsStages(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t) // creating a pipeline starts its first execution
	ex := b.waitDone(t)
	require.Equal(t, plan.StatusSucceeded, ex.Status)

	code, body := b.get(t, "/_console/pipelines")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<a href="/_console/pipelines/release">release</a>`)

	code, body = b.get(t, "/_console/pipelines/release")
	require.Equal(t, http.StatusOK, code)
	// Stages are regions named after the stage, in the declaration's order.
	src := strings.Index(body, `<section class="stage" role="region" aria-label="Source">`)
	run := strings.Index(body, `<section class="stage" role="region" aria-label="Run workflow">`)
	require.Positive(t, src)
	require.Greater(t, run, src)
	source, invoke := body[src:run], body[run:]
	require.Contains(t, source, "Fetch")
	require.Contains(t, source, `<a href="#action-0-0">Amazon S3</a>`)
	require.Contains(t, source, "Succeeded")
	require.Contains(t, source, ex.ID)

	// The Step Functions action leads to the execution it started.
	m := regexp.MustCompile(`<a href="([^"]+)">AWS Step Functions</a>`).FindStringSubmatch(invoke)
	require.NotNil(t, m, invoke)
	require.True(t, strings.HasPrefix(m[1], "/_console/executions/arn:aws:states:"), m[1])
	require.Contains(t, invoke, ex.ID)
	code, page := b.get(t, m[1])
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, page, "Hello")

	// The history lists the execution with its trigger.
	require.Contains(t, body, "Execution history")
	require.Contains(t, body, "CreatePipeline")
}

func TestPipelineReleaseChange(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t)
	first := b.waitDone(t)

	_, body := b.get(t, "/_console/pipelines/release")
	require.Contains(t, body, `href="/_console/pipelines/release/release">Release change</a>`)

	// The confirmation step: nothing starts until "Release" is pressed.
	code, body := b.get(t, "/_console/pipelines/release/release")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<form method="post" action="/_console/pipelines/release/release"`)
	require.Contains(t, body, `<button class="button primary" type="submit">Release</button>`)
	execs, _, err := b.pl.Executions(t.Context(), "release")
	require.NoError(t, err)
	require.Len(t, execs, 1)

	w := b.post(t, "/_console/pipelines/release/release", url.Values{})
	require.Equal(t, http.StatusSeeOther, w.Code)
	loc := w.Header().Get("Location")
	require.True(t, strings.HasPrefix(loc, "/_console/pipelines/release?started="), loc)
	second := b.waitDone(t)
	require.NotEqual(t, first.ID, second.ID)
	require.Equal(t, "StartPipelineExecution", second.Trigger.Type)

	code, body = b.get(t, loc)
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Started execution")
	require.Contains(t, body, second.ID)
	require.Contains(t, body, "StartPipelineExecution")

}

func TestPipelinePageMissing(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	code, _ := b.get(t, "/_console/pipelines/nope")
	require.Equal(t, http.StatusNotFound, code)

	noPipelines := setup(t)
	code, body := noPipelines.get(t, "/_console/pipelines/release")
	require.Equal(t, http.StatusNotFound, code)
	require.Contains(t, body, "does not run the pipeline service")
}

func TestBrowserPipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	b := setupPipelines(t)
	b.createRelease(t)
	b.waitDone(t)
	srv := httptest.NewServer(b.console)
	t.Cleanup(srv.Close)
	dir := artifactsDir(t)
	ctx := newBrowser(t)

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/pipelines"),
		chromedp.Click(`table.list a[href$="/pipelines/release"]`),
		chromedp.WaitVisible(`section[role="region"][aria-label="Run workflow"] .badge.tone-ok`),
	))
	screenshot(t, ctx, dir, "20-pipeline")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`.page-head a.button.primary`),
		chromedp.WaitVisible(`section.confirm button[type="submit"]`),
	))
	screenshot(t, ctx, dir, "21-pipeline-release-confirm")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`section.confirm button[type="submit"]`),
		chromedp.WaitVisible(`p.notice`),
	))
	b.waitDone(t)
	require.NoError(t, chromedp.Do(ctx, darkMode(true), chromedp.Reload(),
		chromedp.WaitVisible(`section[role="region"][aria-label="Source"]`)))
	screenshot(t, ctx, dir, "22-pipeline-dark")

	// The Step Functions action's provider leads to the execution it started.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`section[aria-label="Run workflow"] .action-provider a`),
		chromedp.WaitVisible("#execution"),
	))
}
