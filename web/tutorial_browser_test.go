package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/objects"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/s3deploy"
	"stepline/pipeline/action/s3source"
	"stepline/pipeline/action/stepfunctions"
	"stepline/pipeline/plan"
	"stepline/sfn"
	"stepline/store/sqlite"
	"stepline/web"
)

// tutorialBundle is the console over the services `stepline serve` wires, with the
// real S3 source, S3 deploy and Step Functions invoke actions, and the tutorial's
// simple two-stage pipeline: MyPipeline, Source (S3) then Deploy (S3).
type tutorialBundle struct {
	sfn     *sfn.Service
	pl      *pipeline.Service
	console *web.Console
}

func setupTutorial(t *testing.T) *tutorialBundle {
	t.Helper()
	ctx := t.Context()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "stepline.db"))
	require.NoError(t, err)
	id := stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"}
	svc := sfn.New(st, sfn.Config{Identity: id, NodeID: "test"})
	require.NoError(t, svc.Start(ctx))
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	objs := objects.New(objects.Config{Store: st, Blobs: blobs, Region: id.Region})
	arts := action.Objects{S: objs, CreateBuckets: true}
	pl := pipeline.New(st, pipeline.Config{Identity: id, NodeID: "test", Providers: map[plan.ActionTypeID]action.Provider{
		s3SourceType: s3source.Provider{Objects: arts},
		sfnInvokeTyp: &stepfunctions.Provider{Machines: stepfunctions.Local{SFN: svc}, Artifacts: arts},
		{Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1"}: s3deploy.Provider{
			Artifacts: arts, Bucket: s3deploy.ObjectStore{S: objs}},
	}})
	require.NoError(t, pl.Start(ctx))
	t.Cleanup(func() {
		pl.Stop()
		svc.Stop()
		require.NoError(t, st.Close())
	})

	// The tutorial's prerequisites: a versioned source bucket holding source.zip.
	for _, b := range []string{"my-source-bucket", "my-deploy-bucket"} {
		_, err = objs.CreateBucket(ctx, b, "", "")
		require.NoError(t, err)
	}
	require.NoError(t, objs.SetVersioning(ctx, "my-source-bucket", objects.VersioningEnabled))
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	f, err := zw.Create("index.html")
	require.NoError(t, err)
	_, err = f.Write([]byte("<h1>Hello</h1>\n"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	_, err = objs.PutObject(ctx, objects.PutParams{Bucket: "my-source-bucket", Key: "source.zip",
		Body: bytes.NewReader(zipped.Bytes()), Size: int64(zipped.Len())})
	require.NoError(t, err)

	_, err = pl.CreatePipeline(ctx, plan.Pipeline{
		Name: "MyPipeline", RoleARN: "arn:aws:iam::000000000000:role/service-role/AWSCodePipelineServiceRole",
		ArtifactStore: &plan.ArtifactStore{Type: "S3", Location: "codepipeline-us-east-1-artifacts"},
		Stages: []plan.Stage{
			{Name: "Source", Actions: []plan.Action{{
				Name: "Source", ActionTypeID: s3SourceType,
				Configuration: map[string]string{"S3Bucket": "my-source-bucket", "S3ObjectKey": "source.zip",
					"PollForSourceChanges": "false"},
				OutputArtifacts: []plan.OutputArtifact{{Name: "SourceArtifact"}},
			}}},
			{Name: "Deploy", Actions: []plan.Action{{
				Name:           "Deploy",
				ActionTypeID:   plan.ActionTypeID{Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1"},
				Configuration:  map[string]string{"BucketName": "my-deploy-bucket", "Extract": "true"},
				InputArtifacts: []plan.ArtifactName{{Name: "SourceArtifact"}},
			}}},
		},
	}, nil)
	require.NoError(t, err)
	c, err := web.NewConsole(web.Deps{SFN: svc, Pipelines: pl})
	require.NoError(t, err)
	b := &tutorialBundle{sfn: svc, pl: pl, console: c}
	b.waitDone(t, "")
	return b
}

// waitDone waits until the pipeline's newest execution, other than not, has ended.
func (b *tutorialBundle) waitDone(t *testing.T, not string) *plan.Execution {
	t.Helper()
	var last *plan.Execution
	require.Eventually(t, func() bool {
		execs, _, err := b.pl.Executions(t.Context(), "MyPipeline")
		require.NoError(t, err)
		if len(execs) == 0 || execs[0].ID == not || execs[0].Active() {
			return false
		}
		last = execs[0]
		return true
	}, time.Minute, 50*time.Millisecond)
	return last
}

// byRole finds elements the way a screen reader user does: by their role and
// accessible name, inside the region (a pipeline stage) named within, or anywhere
// when within is empty. It reads Chromium's accessibility tree, so it checks the
// console's accessibility contract as it goes.
func byRole(role, name, within string) chromedp.QueryOption {
	return chromedp.ByFunc(func(ctx context.Context, t *chromedp.Target, n *chromedp.Node) ([]cdp.NodeID, error) {
		root := n.NodeID
		if within != "" {
			ids, err := axQuery(ctx, t, root, "region", within)
			if err != nil || len(ids) == 0 {
				return nil, err
			}
			root = ids[0]
		}
		return axQuery(ctx, t, root, role, name)
	})
}

func axQuery(ctx context.Context, t *chromedp.Target, root cdp.NodeID, role, name string) ([]cdp.NodeID, error) {
	res, err := cdp.Call(ctx, t, accessibility.QueryAXTree,
		accessibility.QueryAXTreeParams{NodeID: root, Role: role, AccessibleName: name})
	if err != nil {
		return nil, err
	}
	var backend []cdp.BackendNodeID
	for _, n := range res.Nodes {
		if !n.Ignored && n.BackendDOMNodeID != 0 {
			backend = append(backend, n.BackendDOMNodeID)
		}
	}
	if len(backend) == 0 {
		return nil, nil
	}
	pushed, err := cdp.Call(ctx, t, dom.PushNodesByBackendIDsToFrontend,
		dom.PushNodesByBackendIDsToFrontendParams{BackendNodeIDs: backend})
	return pushed.NodeIDs, err
}

// press clicks the button (or link) with the accessible name, in a stage or anywhere.
func press(role, name, within string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(name, byRole(role, name, within), chromedp.NodeVisible)
}

// typeInto types into the text field labelled label.
func typeInto(label, text string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(label, text, byRole("textbox", label, ""), chromedp.NodeVisible)
}

// choose picks the option with the visible text in the select labelled label, the
// way a person's choice does: the option is selected and the select says it changed.
func choose(role, label, option string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.WaitVisible(label, byRole(role, label, "")),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			args, _ := json.Marshal([]string{label, option})
			ok, err := chromedp.Evaluate[bool](`(function (a) {
				var l = Array.from(document.querySelectorAll("label")).find(function (l) {
					return l.firstChild && l.firstChild.textContent.trim() === a[0]; });
				var s = l && document.getElementById(l.htmlFor);
				var o = s && Array.from(s.options).find(function (o) { return o.textContent.trim() === a[1]; });
				if (!o) { return false; }
				o.selected = true;
				s.dispatchEvent(new Event("input", {bubbles: true}));
				s.dispatchEvent(new Event("change", {bubbles: true}));
				return true;
			})(`+string(args)+`)`)(ctx, t)
			if err == nil && !ok {
				err = context.DeadlineExceeded
			}
			return err
		}))
}

// pageShot saves a PNG of the whole page under dir. It grows the viewport to the page
// for the capture and then puts it back: a capture beyond the viewport leaves
// Chromium placing later clicks below the fold wrongly, and this test goes on
// clicking. Like screenshot, a capture that fails is logged, not a test failure.
func pageShot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, tg, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		w, h := int64(1366), int64(900)
		if m.CSSContentSize != nil {
			h = max(h, int64(math.Ceil(m.CSSContentSize.Height)))
		}
		if _, err := cdp.Call(ctx, tg, emulation.SetDeviceMetricsOverride,
			emulation.SetDeviceMetricsOverrideParams{Width: w, Height: h, DeviceScaleFactor: 1}); err != nil {
			return nil, err
		}
		defer cdp.Call(ctx, tg, emulation.ClearDeviceMetricsOverride, cdp.Empty{}) // best effort: the next navigation resets it too
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{Format: page.CaptureScreenshotFormatPng})
		return r.Data, err
	})
	if err != nil {
		t.Logf("screenshot %s not taken: %v", name, err)
		return
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
}

// TestBrowserTutorial follows AWS's tutorial "Use an AWS Step Functions invoke action
// in a pipeline" click by click, with the tutorial's words:
// https://docs.aws.amazon.com/codepipeline/latest/userguide/tutorials-step-functions.html
func TestBrowserTutorial(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	b := setupTutorial(t)
	srv := httptest.NewServer(b.console)
	t.Cleanup(srv.Close)
	dir := artifactsDir(t)
	ctx := newBrowser(t)

	// Step 1: the HelloWorld state machine, from its template.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/statemachines/new?template=HelloWorld"),
		chromedp.WaitVisible("#definition"),
		chromedp.Click(`form.form button[value="create"]`),
		chromedp.WaitVisible(`svg.graph`),
	))
	machines, _, err := b.sfn.StateMachineList(t.Context(), sfn.Page{Max: 10})
	require.NoError(t, err)
	require.Len(t, machines, 1)
	require.Equal(t, "HelloWorld", machines[0].Name)
	machineARN := machines[0].ARN
	pageShot(t, ctx, dir, "30-tutorial-helloworld")

	// Step 3: open the pipeline and choose Edit.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/pipelines"),
		press("link", "MyPipeline", ""),
		chromedp.WaitVisible("Deploy", byRole("region", "Deploy", "")),
	))
	pageShot(t, ctx, dir, "31-tutorial-pipeline")
	require.NoError(t, chromedp.Do(ctx,
		press("link", "Edit", ""),
		chromedp.WaitVisible("Save", byRole("button", "Save", "")),
	))
	pageShot(t, ctx, dir, "32-tutorial-edit")

	// On the second stage, Edit stage, then Delete.
	require.NoError(t, chromedp.Do(ctx,
		press("button", "Edit stage", "Deploy"),
		chromedp.WaitVisible("Delete", byRole("button", "Delete", "Deploy")),
	))
	pageShot(t, ctx, dir, "33-tutorial-edit-stage")
	require.NoError(t, chromedp.Do(ctx,
		press("button", "Delete", "Deploy"),
		chromedp.WaitNotPresent("Deploy", byRole("region", "Deploy", "")),
	))

	// + Add stage, Stage name, Add stage. An empty name is refused beside the field.
	require.NoError(t, chromedp.Do(ctx,
		press("button", "+ Add stage", ""),
		chromedp.WaitVisible("Stage name", byRole("textbox", "Stage name", "")),
		press("button", "Add stage", ""),
		chromedp.WaitVisible("#stage_name-error"),
	))
	pageShot(t, ctx, dir, "34-tutorial-add-stage-error")
	require.NoError(t, chromedp.Do(ctx,
		typeInto("Stage name", "Invoke"),
		press("button", "Add stage", ""),
		chromedp.WaitVisible("+ Add action group", byRole("button", "+ Add action group", "Invoke")),
	))

	// + Add action group, and the action form as the tutorial fills it.
	require.NoError(t, chromedp.Do(ctx,
		press("button", "+ Add action group", "Invoke"),
		typeInto("Action name", "Invoke"),
		choose("combobox", "Action provider", "AWS Step Functions"),
		chromedp.WaitVisible("State machine ARN", byRole("combobox", "State machine ARN", "")),
	))
	region, err := chromedp.Run(ctx, chromedp.Value("Region", byRole("textbox", "Region", "")))
	require.NoError(t, err)
	require.Equal(t, "us-east-1", region, "Region defaults to the pipeline's region")
	name, err := chromedp.Run(ctx, chromedp.Value("Action name", byRole("textbox", "Action name", "")))
	require.NoError(t, err)
	require.Equal(t, "Invoke", name, "choosing the provider keeps what was typed")
	require.NoError(t, chromedp.Do(ctx,
		choose("listbox", "Input artifacts", "SourceArtifact"),
		choose("combobox", "State machine ARN", machineARN),
		typeInto("Execution name prefix", "my-prefix"),
		choose("combobox", "Input type", "Literal"),
		chromedp.SetValue("Input", `{"IsHelloWorldExample": true}`, byRole("textbox", "Input", "")),
	))
	pageShot(t, ctx, dir, "35-tutorial-action")

	// Done for the action, Done for the stage, Save, and Save on the warning.
	require.NoError(t, chromedp.Do(ctx,
		press("button", "Done", "Invoke"),
		chromedp.WaitVisible("+ Add action group", byRole("button", "+ Add action group", "Invoke")),
	))
	pageShot(t, ctx, dir, "36-tutorial-stage")
	require.NoError(t, chromedp.Do(ctx,
		press("button", "Done", "Invoke"),
		chromedp.WaitVisible("Edit stage", byRole("button", "Edit stage", "Invoke")),
		press("button", "Save", ""),
		chromedp.WaitVisible("Save pipeline changes", byRole("alertdialog", "Save pipeline changes", "")),
	))
	pageShot(t, ctx, dir, "37-tutorial-save-warning")
	before := b.waitDone(t, "")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click("Save", byRole("button", "Save", ""), chromedp.NodeVisible),
		chromedp.WaitVisible("Release change", byRole("link", "Release change", "")),
	))
	p, _, err := b.pl.GetPipeline(t.Context(), "MyPipeline", 0)
	require.NoError(t, err)
	require.Equal(t, 2, p.Version)
	require.Equal(t, map[string]string{"StateMachineArn": machineARN, "ExecutionNamePrefix": "my-prefix",
		"InputType": "Literal", "Input": `{"IsHelloWorldExample": true}`}, p.Stages[1].Actions[0].Configuration)
	pageShot(t, ctx, dir, "38-tutorial-saved")

	// Release change, then Release; wait for success.
	require.NoError(t, chromedp.Do(ctx,
		press("link", "Release change", ""),
		chromedp.WaitVisible("Release", byRole("button", "Release", "")),
	))
	pageShot(t, ctx, dir, "39-tutorial-release")
	require.NoError(t, chromedp.Do(ctx,
		press("button", "Release", ""),
		chromedp.WaitNotPresent("Release", byRole("button", "Release", "")),
	))
	done := b.waitDone(t, before.ID)
	require.Equal(t, plan.StatusSucceeded, done.Status)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Reload(),
		chromedp.WaitVisible("Succeeded", byRole("link", "AWS Step Functions", "Invoke")),
	))
	stage, err := chromedp.Run(ctx, chromedp.Text("Invoke", byRole("region", "Invoke", "")))
	require.NoError(t, err)
	require.Contains(t, stage, "Succeeded", "status as text")
	pageShot(t, ctx, dir, "40-tutorial-succeeded")

	// The Step Functions action leads to the execution it started.
	require.NoError(t, chromedp.Do(ctx,
		press("link", "AWS Step Functions", "Invoke"),
		chromedp.WaitVisible("#execution"),
		chromedp.WaitVisible(`#exec-status .badge.tone-ok`),
	))
	page, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	require.NoError(t, err)
	require.Contains(t, page, "HelloWorld")
	require.Contains(t, page, "my-prefix-")
	pageShot(t, ctx, dir, "41-tutorial-execution")

	// The editor and the pipeline in dark mode.
	require.NoError(t, chromedp.Do(ctx,
		darkMode(true),
		chromedp.Navigate(srv.URL+"/_console/pipelines/MyPipeline/edit"),
		press("button", "Edit stage", "Invoke"),
		press("button", "Edit action Invoke", "Invoke"),
		chromedp.WaitVisible("State machine ARN", byRole("combobox", "State machine ARN", "")),
	))
	pageShot(t, ctx, dir, "42-tutorial-action-dark")

	// A stage left without actions: Save's refusal is shown in that stage.
	require.NoError(t, chromedp.Do(ctx,
		press("button", "Cancel", "Invoke"),
		press("button", "Delete action Invoke", "Invoke"),
		chromedp.WaitNotPresent("Edit action Invoke", byRole("button", "Edit action Invoke", "Invoke")),
		press("button", "Done", "Invoke"),
		chromedp.WaitVisible("Edit stage", byRole("button", "Edit stage", "Invoke")),
		press("button", "Save", ""),
		chromedp.WaitVisible("Save pipeline changes", byRole("alertdialog", "Save pipeline changes", "")),
		press("button", "Save", ""),
		chromedp.WaitVisible("#stage-1-error"),
	))
	msg, err := chromedp.Run(ctx, chromedp.Text("Invoke", byRole("region", "Invoke", "")))
	require.NoError(t, err)
	require.Contains(t, msg, "Pipeline should contain at least 1 action whose category is not Source")
	pageShot(t, ctx, dir, "43-tutorial-save-error-dark")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/pipelines/MyPipeline"),
		chromedp.WaitVisible("Invoke", byRole("region", "Invoke", "")),
	))
	pageShot(t, ctx, dir, "44-tutorial-pipeline-dark")
}
