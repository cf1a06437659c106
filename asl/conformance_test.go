package asl

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// The conformance test runs the execution cases recorded on AWS
// (../shared/conformance/sfn/cases) through the harness and compares status,
// output/error/cause and the event type sequence, as the suite's run.py does over HTTP.
// asl/testdata/conformance_known_failures.txt lists the cases expected to fail, so the
// test fails only on regressions.

const conformanceDir = "../../shared/conformance/sfn/cases"

type confCase struct {
	ID            string           `json:"id"`
	Kind          string           `json:"kind"`
	Type          string           `json:"state_machine_type"`
	DefinitionRaw string           `json:"definition_raw"`
	InputRaw      *string          `json:"input_raw"`
	ExecutionName *string          `json:"execution_name"`
	Expected      confExpected     `json:"expected"`
	EventTypes    []string         `json:"expected_event_types"`
	EventOrder    string           `json:"event_order"`
	Comparable    *bool            `json:"history_comparable"`
	Normalise     json.RawMessage  `json:"normalise"`
	Events        []map[string]any `json:"expected_events"`
}

type confExpected struct {
	Status     string          `json:"status"`
	Output     json.RawMessage `json:"output"`
	OutputForm string          `json:"output_form"`
	Error      json.RawMessage `json:"error"`
	ErrorForm  string          `json:"error_form"`
	Cause      json.RawMessage `json:"cause"`
	CauseForm  string          `json:"cause_form"`
}

func TestConformance(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(conformanceDir, "*.json"))
	if len(files) == 0 {
		t.Skipf("no conformance cases in %s", conformanceDir)
	}
	known := loadKnownFailures(t)
	var passed, failed, skipped, exact, exactOf int
	var newFailures, fixed []string
	var failures []string
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		b, err := os.ReadFile(file)
		require.NoError(t, err)
		var c confCase
		require.NoError(t, json.Unmarshal(b, &c))
		if c.Kind != "execution" {
			continue
		}
		if reason := needsAWS(c.DefinitionRaw); reason != "" {
			skipped++
			continue
		}
		problem, detail := runConformanceCase(t, &c)
		if detail != "skip" {
			exactOf++
			if detail == "" {
				exact++
			} else if os.Getenv("ASL_CONFORMANCE_VERBOSE") != "" {
				t.Logf("events differ: %s: %s", name, detail)
			}
		}
		if problem == "" {
			passed++
			if known[name] {
				fixed = append(fixed, name)
			}
			continue
		}
		failed++
		failures = append(failures, name+": "+problem)
		if !known[name] {
			newFailures = append(newFailures, name+": "+problem)
		}
	}
	t.Logf("asl conformance: %d passed, %d failed, %d skipped", passed, failed, skipped)
	t.Logf("asl conformance: full events (details; ids and previousEventId where the order is fixed) match in %d of %d recorded histories", exact, exactOf)
	if os.Getenv("ASL_CONFORMANCE_VERBOSE") != "" {
		for _, f := range failures {
			t.Log(f)
		}
	}
	if *update {
		writeKnownFailures(t, failures)
		return
	}
	if len(fixed) > 0 {
		t.Logf("%d known failures now pass; run with -update to shrink the list", len(fixed))
	}
	require.Empty(t, newFailures, "regressions against asl/testdata/conformance_known_failures.txt")
}

const knownFailuresFile = "testdata/conformance_known_failures.txt"

func loadKnownFailures(t *testing.T) map[string]bool {
	known := map[string]bool{}
	f, err := os.Open(knownFailuresFile)
	if err != nil {
		return known
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		known[strings.SplitN(line, " ", 2)[0]] = true
	}
	return known
}

func writeKnownFailures(t *testing.T, failures []string) {
	sort.Strings(failures)
	var b strings.Builder
	b.WriteString("# Conformance cases the interpreter does not pass yet, one per line: name, then why.\n")
	b.WriteString("# Regenerate with: go test ./asl -run TestConformance -update\n")
	for _, f := range failures {
		name, why, _ := strings.Cut(f, ": ")
		if len(why) > 200 {
			why = why[:200] + "..."
		}
		why = strings.ReplaceAll(why, "\n", " ")
		fmt.Fprintf(&b, "%s # %s\n", name, why)
	}
	require.NoError(t, os.WriteFile(knownFailuresFile, []byte(b.String()), 0o644))
}

// needsAWS says why a definition cannot run without real AWS services (any Task state
// does: its result comes from the service), or "" when it runs in-process.
func needsAWS(def string) string {
	if strings.Contains(def, `"Resource"`) {
		return "Task resource"
	}
	return ""
}

func runConformanceCase(t *testing.T, c *confCase) (problem, eventsDetail string) {
	eventsDetail = "skip"
	defer func() {
		if p := recover(); p != nil {
			problem = fmt.Sprintf("panic: %v", p)
		}
	}()
	problem = runConformanceOutcome(t, c, &eventsDetail)
	if problem == "" && eventsDetail != "" && eventsDetail != "skip" {
		problem = "events: " + eventsDetail
	}
	return problem, eventsDetail
}

func runConformanceOutcome(t *testing.T, c *confCase, eventsDetail *string) string {
	m, err := Parse(c.DefinitionRaw)
	if err != nil {
		return "parse: " + err.Error()
	}
	var input any = jsonvalue.NewObject(0)
	inputText := ""
	if c.InputRaw != nil {
		inputText = *c.InputRaw
		if input, err = jsonvalue.ParseString(*c.InputRaw); err != nil {
			return "input: " + err.Error()
		}
	}
	var norm struct {
		RoleARN   string   `json:"role_arn"`
		Wildcards []string `json:"wildcards"`
		Regex     []struct {
			Pattern     string `json:"pattern"`
			Replacement string `json:"replacement"`
		} `json:"regex"`
	}
	_ = json.Unmarshal(c.Normalise, &norm)
	info := testInfo()
	info.RoleARN = norm.RoleARN
	if c.Type == "EXPRESS" {
		info.Type = "EXPRESS"
		info.ExecutionARN = "arn:aws:states:us-east-1:111111111111:express:MyMachine:exec-1:0f0e0d0c"
	}
	// Round-trip the snapshot between steps and replay afterwards, so every recorded
	// execution also exercises MarshalState/UnmarshalState and determinism.
	res := runHarnessText(t, m, info, input, inputText, nil, true)
	checkReplay(t, m, res)
	if res.close == nil {
		return "execution did not close"
	}
	exp := c.Expected
	if res.close.Status != exp.Status {
		return fmt.Sprintf("status: expected %s, got %s (%s: %s)", exp.Status, res.close.Status, res.close.Error, res.close.Cause)
	}
	if exp.Status == "SUCCEEDED" {
		wild := map[string]bool{}
		for _, w := range norm.Wildcards {
			wild[w] = true
		}
		out := string(jsonvalue.Marshal(res.close.Output))
		for _, rule := range norm.Regex {
			if rx, err := regexp.Compile(rule.Pattern); err == nil {
				out = rx.ReplaceAllLiteralString(out, rule.Replacement)
			}
		}
		if d := compareField("output", exp.Output, exp.OutputForm, out, wild); d != "" {
			return d
		}
	} else {
		if d := compareText("error", exp.Error, exp.ErrorForm, res.close.Error); d != "" {
			return d
		}
		if d := compareText("cause", exp.Cause, exp.CauseForm, res.close.Cause); d != "" {
			return d
		}
	}
	if len(c.EventTypes) > 0 && (c.Comparable == nil || *c.Comparable) && c.Type != "EXPRESS" {
		var got []string
		for _, e := range res.events {
			got = append(got, e.Type)
		}
		if d := compareTypes(c.EventTypes, got, c.EventOrder); d != "" {
			return d
		}
	}
	// Some recordings dropped events of concurrent branches; compare only complete ones.
	if len(c.Events) > 0 && c.Type != "EXPRESS" && (c.Comparable == nil || *c.Comparable) {
		*eventsDetail = compareEvents(c.Events, res.events, c.EventOrder == "multiset", func(s string) string {
			for _, rule := range norm.Regex {
				if rx, err := regexp.Compile(rule.Pattern); err == nil {
					s = rx.ReplaceAllLiteralString(s, rule.Replacement)
				}
			}
			return s
		}, norm.Wildcards)
	}
	return ""
}

// compareEvents compares whole events (ids, previousEventId, details) with the recorded
// ones, in the recorded form: JSON texts starting with '{' parsed, generated values
// normalised.
func compareEvents(want []map[string]any, got []Event, multiset bool, rewrite func(string) string, wildcards []string) string {
	wild := map[string]bool{}
	for _, w := range wildcards {
		wild[w] = true
	}
	if len(want) != len(got) {
		return fmt.Sprintf("expected %d events, got %d", len(want), len(got))
	}
	var actual []map[string]any
	for _, e := range got {
		a := map[string]any{"id": float64(e.ID), "previousEventId": float64(e.PreviousEventID), "type": e.Type, "timestamp": "timestamp"}
		if e.Details != nil {
			var d any
			if err := json.Unmarshal([]byte(normaliseActual(rewrite(string(e.Details)))), &d); err != nil {
				return fmt.Sprintf("event %d: bad details %s", e.ID, e.Details)
			}
			a[detailsKey(e.Type)] = snapshotForm(d)
		}
		actual = append(actual, a)
	}
	if multiset {
		// Concurrent branches interleave differently on every run: compare what was
		// recorded, not where or with which ids.
		strip := func(m map[string]any) map[string]any {
			c := map[string]any{}
			for k, v := range m {
				if k != "id" && k != "previousEventId" {
					c[k] = v
				}
			}
			return c
		}
		used := make([]bool, len(actual))
	next:
		for _, w := range want {
			sw := strip(w)
			for j, a := range actual {
				if !used[j] && diffJSON(sw, strip(a), "", wild) == "" {
					used[j] = true
					continue next
				}
			}
			b, _ := json.Marshal(sw)
			return fmt.Sprintf("no recorded match for event %.300s", b)
		}
		return ""
	}
	for i, w := range want {
		e := got[i]
		a := map[string]any{"id": float64(e.ID), "previousEventId": float64(e.PreviousEventID), "type": e.Type, "timestamp": "timestamp"}
		if e.Details != nil {
			var d any
			if err := json.Unmarshal([]byte(normaliseActual(rewrite(string(e.Details)))), &d); err != nil {
				return fmt.Sprintf("event %d: bad details %s", e.ID, e.Details)
			}
			a[detailsKey(e.Type)] = snapshotForm(d)
		}
		if d := diffJSON(w, a, fmt.Sprintf("event[%d]", i+1), wild); d != "" {
			return d
		}
	}
	return ""
}

func detailsKey(typ string) string {
	switch {
	case strings.HasSuffix(typ, "StateEntered"):
		return "stateEnteredEventDetails"
	case strings.HasSuffix(typ, "StateExited"):
		return "stateExitedEventDetails"
	}
	return strings.ToLower(typ[:1]) + typ[1:] + "EventDetails"
}

// snapshotForm parses JSON texts that start with '{', as the recorded snapshots store them.
func snapshotForm(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = snapshotForm(x)
		}
	case string:
		if strings.HasPrefix(t, "{") {
			var p any
			if json.Unmarshal([]byte(t), &p) == nil {
				return p
			}
		}
	}
	return v
}

func compareTypes(want, got []string, order string) string {
	if order == "multiset" {
		w := append([]string(nil), want...)
		g := append([]string(nil), got...)
		sort.Strings(w)
		sort.Strings(g)
		want, got = w, g
	}
	for i := 0; i < len(want) && i < len(got); i++ {
		if want[i] != got[i] {
			return fmt.Sprintf("history: event #%d expected %s, got %s", i+1, want[i], got[i])
		}
	}
	if len(want) != len(got) {
		return fmt.Sprintf("history: expected %d events, got %d", len(want), len(got))
	}
	return ""
}

var (
	isoRe   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:?(?:[0-5]\d)?)`)
	tokenRe = regexp.MustCompile(`<[^<>\s:]+:\d+>|<[A-Za-z0-9_]+idx>`)
)

// normaliseActual rewrites values AWS generates as the recorded cases do.
func normaliseActual(s string) string {
	s = strings.ReplaceAll(s, "arn:aws:", "arn:<partition>:")
	s = strings.ReplaceAll(s, "us-east-1", "<region>")
	return isoRe.ReplaceAllStringFunc(s, func(m string) string {
		// Only real dates are AWS-generated; invalid ones are test data.
		if _, err := time.Parse("2006-01-02", m[:10]); err != nil {
			return m
		}
		return "date"
	})
}

func compareText(name string, exp json.RawMessage, form, actual string) string {
	if form == "absent" {
		if actual != "" {
			return fmt.Sprintf("%s: expected none, got %q", name, actual)
		}
		return ""
	}
	var want string
	if err := json.Unmarshal(exp, &want); err != nil {
		return compareField(name, exp, "object", actual, nil)
	}
	if !matchString(want, normaliseActual(actual)) {
		return fmt.Sprintf("%s: expected %q, got %q", name, want, actual)
	}
	return ""
}

func compareField(name string, exp json.RawMessage, form, actualJSON string, wild map[string]bool) string {
	var want, got any
	if err := json.Unmarshal(exp, &want); err != nil {
		return name + ": bad expectation"
	}
	if err := json.Unmarshal([]byte(normaliseActual(actualJSON)), &got); err != nil {
		return name + ": bad actual JSON"
	}
	if form == "text" {
		if s, ok := want.(string); ok {
			var parsed any
			if json.Unmarshal([]byte(s), &parsed) == nil {
				want = parsed
			}
		}
	}
	if d := diffJSON(want, got, name, wild); d != "" {
		return d
	}
	return ""
}

func matchString(want, got string) bool {
	if want == got {
		return true
	}
	locs := tokenRe.FindAllStringIndex(want, -1)
	if len(locs) == 0 {
		return false
	}
	var rx strings.Builder
	rx.WriteString("(?s)^")
	pos := 0
	for _, l := range locs {
		rx.WriteString(regexp.QuoteMeta(want[pos:l[0]]))
		rx.WriteString(".*?")
		pos = l[1]
	}
	rx.WriteString(regexp.QuoteMeta(want[pos:]))
	rx.WriteString("$")
	ok, _ := regexp.MatchString(rx.String(), got)
	return ok
}

func diffJSON(want, got any, path string, wild map[string]bool) string {
	if gs, ok := got.(string); ok {
		if _, wantString := want.(string); !wantString {
			// Some recordings parsed JSON texts other than objects too.
			var parsed any
			if json.Unmarshal([]byte(gs), &parsed) == nil {
				got = parsed
			}
		}
	}
	switch w := want.(type) {
	case string:
		if wild[w] {
			return ""
		}
		g, ok := got.(string)
		if ok && (matchString(w, g) || tokenRe.MatchString(w) && tokenRe.FindString(w) == w) {
			return ""
		}
	case map[string]any:
		g, ok := got.(map[string]any)
		if ok && len(g) == len(w) {
			for k, v := range w {
				gv, ok := g[k]
				if !ok {
					return fmt.Sprintf("%s: missing key %q", path, k)
				}
				if strings.Contains(strings.ToLower(k), "timestamp") && v == "timestamp" {
					continue // the recorder blanks every key named like a timestamp
				}
				if d := diffJSON(v, gv, path+"."+k, wild); d != "" {
					return d
				}
			}
			return ""
		}
	case []any:
		g, ok := got.([]any)
		if ok && len(g) == len(w) {
			for i := range w {
				if d := diffJSON(w[i], g[i], fmt.Sprintf("%s[%d]", path, i), wild); d != "" {
					return d
				}
			}
			return ""
		}
	default:
		if fmt.Sprint(want) == fmt.Sprint(got) {
			return ""
		}
	}
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	return fmt.Sprintf("%s: expected %.200s, got %.200s", path, wb, gb)
}
