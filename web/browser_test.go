package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromiumPath finds Debian's chromium; the browser test needs it and never
// downloads one.
func chromiumPath() string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// artifactsDir is where screenshots go: $STEPLINE_ARTIFACTS when set, so they can be
// looked at after the run, else a temporary directory.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("STEPLINE_ARTIFACTS")
	if dir == "" {
		return t.TempDir()
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// newBrowser starts a headless chromium with a fresh profile.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		t.Skip("no chromium binary found (install Debian's chromium: apt-get install -y chromium)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	}
	// The machine running the tests may be busy; a generous bound still ends a hang.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// screenshot saves a full-page PNG under dir. Screenshots are artifacts for people to
// look at, not checks: a capture that stalls (seen on a loaded machine) is retried
// once and then only logged, so it cannot eat the whole test's deadline.
func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var err error
	for range 2 {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		var png []byte
		png, err = chromedp.Run(sctx, chromedp.FullScreenshot(100))
		cancel()
		if err == nil {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644))
			return
		}
	}
	t.Logf("screenshot %s not taken: %v", name, err)
}

// darkMode switches prefers-color-scheme for the page.
func darkMode(dark bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		v := "light"
		if dark {
			v = "dark"
		}
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: v}}})
		return err
	})
}

func TestBrowserHelloWorld(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	b := setup(t)
	srv := httptest.NewServer(b.console)
	t.Cleanup(srv.Close)
	dir := artifactsDir(t)
	ctx := newBrowser(t)

	// Create HelloWorld from its template.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/statemachines"),
		chromedp.WaitVisible(".panel.empty"),
	))
	screenshot(t, ctx, dir, "01-empty-list")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/statemachines/new?template=HelloWorld"),
		chromedp.WaitVisible("#definition"),
	))
	screenshot(t, ctx, dir, "02-create")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`button[value="preview"]`),
		chromedp.WaitVisible(`#preview svg.graph`),
	))
	screenshot(t, ctx, dir, "02b-create-preview")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`form.form button[type="submit"]`),
		chromedp.WaitVisible(`svg.graph g.node[data-state="Parallel State"]`),
	))
	screenshot(t, ctx, dir, "03-state-machine")

	// Start an execution; the page follows it until it succeeds (its Wait takes 3 s).
	require.NoError(t, chromedp.Do(ctx,
		chromedp.SetValue("#exec-input", `{"IsHelloWorldExample": true}`),
		chromedp.Click(`section.start button[type="submit"]`),
		chromedp.WaitVisible("#execution"),
	))
	screenshot(t, ctx, dir, "04-execution-running")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.WaitVisible(`#exec-status .badge.tone-ok`),
		chromedp.WaitVisible(`svg.graph g.node.tone-ok[data-state="Hello World"]`),
	))
	status, err := chromedp.Run(ctx, chromedp.Text("#fact-status"))
	require.NoError(t, err)
	require.Equal(t, "Succeeded", status)
	events, err := chromedp.Run(ctx, chromedp.Text("#events"))
	require.NoError(t, err)
	require.Contains(t, events, "ExecutionSucceeded", "the history grew without a reload")
	output, err := chromedp.Run(ctx, chromedp.Text("#exec-output"))
	require.NoError(t, err)
	require.Contains(t, output, "IsHelloWorldExample")
	screenshot(t, ctx, dir, "05-execution-succeeded")

	// The other way through the Choice fails; the page says so in words and colours
	// the Fail state.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`.crumbs a[href*="stateMachine"]`),
		chromedp.WaitVisible("#exec-input"),
		chromedp.SetValue("#exec-input", `{"IsHelloWorldExample": false}`),
		chromedp.Click(`section.start button[type="submit"]`),
		chromedp.WaitVisible(`#exec-status .badge.tone-bad`),
		chromedp.WaitVisible(`svg.graph g.node.tone-bad[data-state="No"]`),
		chromedp.WaitVisible("#failure"),
	))
	cause, err := chromedp.Run(ctx, chromedp.Text("#exec-cause"))
	require.NoError(t, err)
	require.Equal(t, "Not Hello World", cause)
	screenshot(t, ctx, dir, "05b-execution-failed")

	require.NoError(t, chromedp.Do(ctx, darkMode(true)))
	screenshot(t, ctx, dir, "06-execution-dark")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/statemachines"),
		chromedp.WaitVisible("table.list"),
	))
	screenshot(t, ctx, dir, "07-list-dark")
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(`table.list a`),
		chromedp.WaitVisible(`#exec-title`),
	))
	screenshot(t, ctx, dir, "07b-state-machine-dark")

	// A definition the service rejects shows its diagnostics by the field.
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/_console/statemachines/new"),
		chromedp.WaitVisible("#definition"),
		chromedp.SendKeys("#name", "Broken"),
		chromedp.SetValue("#definition", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}`),
		chromedp.Click(`form.form button[type="submit"]`),
		chromedp.WaitVisible("#definition-error"),
	))
	screenshot(t, ctx, dir, "08-create-error-dark")
}
