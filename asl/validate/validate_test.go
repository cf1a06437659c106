package validate

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// conformanceDir holds the cases recorded against AWS; it sits beside the
// repository (../shared/conformance from the repository root) and a user's clone
// does not have it.
const conformanceDir = "../../../shared/conformance/sfn"

// recordedCase is the part of a recorded case these tests read.
type recordedCase struct {
	Kind             string          `json:"kind"`
	StateMachineType string          `json:"state_machine_type"`
	DefinitionRaw    string          `json:"definition_raw"`
	Request          json.RawMessage `json:"request"`
	Expected         struct {
		Error       string `json:"error"`
		Message     string `json:"message"`
		Result      string `json:"result"`
		Diagnostics []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Message  string `json:"message"`
			Location string `json:"location"`
		} `json:"diagnostics"`
	} `json:"expected"`
}

func mustReadCase(tb testing.TB, path string) recordedCase {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	var rc recordedCase
	require.NoError(tb, json.Unmarshal(b, &rc), path)
	return rc
}

func conformanceFiles(t *testing.T, sub string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(conformanceDir, sub, "*.json"))
	require.NoError(t, err)
	if len(files) == 0 {
		t.Skipf("no recorded cases in %s: the conformance folder is absent", filepath.Join(conformanceDir, sub))
	}
	sort.Strings(files)
	return files
}

// mustKnownFailures reads testdata/known_failures.txt: one case file name a line,
// '#' starts a comment.
func mustKnownFailures(t *testing.T) map[string]bool {
	t.Helper()
	f, err := os.Open("testdata/known_failures.txt")
	require.NoError(t, err)
	defer f.Close()
	known := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line != "" {
			known[line] = true
		}
	}
	require.NoError(t, sc.Err())
	return known
}

// checkRecorded compares our answer with a recorded one and returns what differs.
func checkRecorded(rc recordedCase) string {
	typ := rc.StateMachineType
	if rc.Kind == "validate_definition" {
		var req struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(rc.Request, &req)
		typ = req.Type
	}
	diags := Definition(rc.DefinitionRaw, Options{Type: typ})
	switch rc.Kind {
	case "create_invalid":
		if !HasErrors(diags) {
			return "accepted a definition AWS rejects with " + rc.Expected.Error
		}
		// The recording replaced the partition of ARNs with a placeholder.
		got := strings.ReplaceAll(CreateMessage(diags), "arn:aws:", "arn:<partition>:")
		if got != rc.Expected.Message {
			return "message:\n  want " + rc.Expected.Message + "\n  got  " + got
		}
	case "validate_definition":
		// ValidateStateMachineDefinition's default severity filter is ERROR.
		var errs []Diagnostic
		for _, d := range diags {
			if d.Severity == SeverityError {
				errs = append(errs, d)
			}
		}
		result := "OK"
		if len(errs) > 0 {
			result = "FAIL"
		}
		if result != rc.Expected.Result {
			return "result: want " + rc.Expected.Result + ", got " + result + " " + describe(errs)
		}
		if len(errs) != len(rc.Expected.Diagnostics) {
			return "diagnostics: want " + describeRecorded(rc) + ", got " + describe(errs)
		}
		for i, w := range rc.Expected.Diagnostics {
			g := errs[i]
			if g.Code != w.Code || g.Message != w.Message || g.Location != w.Location {
				return "diagnostics: want " + describeRecorded(rc) + ", got " + describe(errs)
			}
		}
	default:
		return "unknown kind " + rc.Kind
	}
	return ""
}

func describe(ds []Diagnostic) string {
	b, _ := json.Marshal(ds)
	return string(b)
}

func describeRecorded(rc recordedCase) string {
	b, _ := json.Marshal(rc.Expected.Diagnostics)
	return string(b)
}

// TestRecordedValidationCases runs every definition AWS rejected or diagnosed and
// compares code, message and location. Cases listed in known_failures.txt may fail;
// one that passes while listed fails the test, so the list stays honest.
func TestRecordedValidationCases(t *testing.T) {
	t.Parallel()
	files := conformanceFiles(t, "validation")
	known := mustKnownFailures(t)
	passed, failed, codes := 0, 0, 0
	for _, path := range files {
		name := filepath.Base(path)
		rc := mustReadCase(t, path)
		if sameVerdict(rc) {
			codes++
		}
		problem := checkRecorded(rc)
		if problem == "" {
			passed++
			if known[name] {
				t.Errorf("%s passes but is listed in known_failures.txt", name)
			}
			continue
		}
		failed++
		if !known[name] {
			t.Errorf("%s: %s", name, problem)
		}
	}
	t.Logf("validation cases: %d passed, %d failed", passed, failed)
	t.Logf("validation cases with the recorded verdict and codes (messages aside): %d of %d", codes, len(files))
}

// sameVerdict reports whether we reach AWS's verdict with the same diagnostic codes,
// whatever the wording: what the conformance runner checks by default.
func sameVerdict(rc recordedCase) bool {
	typ := rc.StateMachineType
	if rc.Kind == "validate_definition" {
		var req struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(rc.Request, &req)
		typ = req.Type
	}
	diags := Definition(rc.DefinitionRaw, Options{Type: typ})
	if rc.Kind == "create_invalid" {
		return HasErrors(diags)
	}
	var got, want []string
	for _, d := range diags {
		if d.Severity == SeverityError {
			got = append(got, d.Code)
		}
	}
	for _, d := range rc.Expected.Diagnostics {
		want = append(want, d.Code)
	}
	sort.Strings(got)
	sort.Strings(want)
	return strings.Join(got, ",") == strings.Join(want, ",")
}

// TestRecordedDefinitionsAccepted checks that no definition AWS accepted and ran
// gets an ERROR: a false positive would stop a working state machine from being
// created at all.
func TestRecordedDefinitionsAccepted(t *testing.T) {
	t.Parallel()
	files := conformanceFiles(t, "cases")
	seen := map[string]bool{}
	for _, path := range files {
		rc := mustReadCase(t, path)
		key := rc.StateMachineType + "\x00" + rc.DefinitionRaw
		if seen[key] {
			continue
		}
		seen[key] = true
		var errs []Diagnostic
		for _, d := range Definition(rc.DefinitionRaw, Options{Type: rc.StateMachineType}) {
			if d.Severity == SeverityError {
				errs = append(errs, d)
			}
		}
		if len(errs) > 0 {
			t.Errorf("%s: %s", filepath.Base(path), describe(errs))
		}
	}
	t.Logf("accepted definitions checked: %d distinct of %d cases", len(seen), len(files))
}
