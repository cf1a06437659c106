package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// conformanceDir is where CI keeps the Step Functions cases recorded against AWS,
// relative to the repository root (this test runs in cmd/stepline).
const conformanceDir = "../../../shared/conformance/sfn"

var summaryLine = regexp.MustCompile(`(?m)^\d+ passed, (\d+) failed$`)

// TestConformance runs the AWS-recorded cases against a real server and logs the
// score. Every case passes today, so a failing case is a regression and fails the test.
func TestConformance(t *testing.T) {
	dir, err := filepath.Abs(conformanceDir)
	require.NoError(t, err)
	if _, err := os.Stat(filepath.Join(dir, "run.py")); err != nil {
		t.Skipf("no conformance cases at %s (they live beside the repository in CI)", dir)
	}
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	bin := mustBuildBinary(t)
	srv := startServe(t, bin, freePort(t), t.TempDir())
	for _, run := range []struct {
		name string
		args []string
	}{
		{"executions", []string{filepath.Join(dir, "cases"), "--endpoint", srv.url}},
		{"validation", []string{filepath.Join(dir, "validation"), "--endpoint", srv.url, "--validate-only"}},
	} {
		cmd := exec.Command("python3", append([]string{filepath.Join(dir, "run.py")}, run.args...)...)
		out, err := cmd.CombinedOutput()
		m := summaryLine.FindSubmatch(out)
		if m == nil {
			t.Fatalf("%s: the runner did not finish (%v):\n%s", run.name, err, tail(out, 4000))
		}
		t.Logf("conformance %s: %s", run.name, m[0])
		if string(m[1]) != "0" {
			t.Errorf("conformance %s: %s\n%s", run.name, m[0], failedLines(out))
		} else if testing.Verbose() {
			t.Logf("%s", tail(out, 4000))
		}
	}
}

// tail returns at most the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// failedLines returns the runner's FAIL lines, which name each failing case.
func failedLines(out []byte) []byte {
	lines := regexp.MustCompile(`(?m)^FAIL.*$`).FindAll(out, -1)
	return tail(bytes.Join(lines, []byte("\n")), 8000)
}
