package validate

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// ownCase is one file of testdata/cases: a definition (an object, or definition_raw
// for text that is not JSON) and the ERROR diagnostics expected, in order.
type ownCase struct {
	Type       string
	Definition string
	Want       []Diagnostic
}

func mustLoadOwnCase(t *testing.T, path string) ownCase {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	v, err := jsonvalue.Parse(b)
	require.NoError(t, err, path)
	obj, ok := v.(*jsonvalue.Object)
	require.True(t, ok, path)
	var oc ownCase
	if s, ok := str(obj, "type"); ok {
		oc.Type = s
	}
	if raw, ok := str(obj, "definition_raw"); ok {
		oc.Definition = raw
	} else {
		d, ok := obj.Get("definition")
		require.True(t, ok, "%s: definition or definition_raw", path)
		oc.Definition = jsonvalue.MarshalString(d)
	}
	wv, _ := obj.Get("want")
	list, _ := wv.([]any)
	for _, e := range list {
		w, ok := e.(*jsonvalue.Object)
		require.True(t, ok, path)
		code, _ := str(w, "code")
		msg, _ := str(w, "message")
		at, _ := str(w, "location")
		oc.Want = append(oc.Want, Diagnostic{Severity: SeverityError, Code: code, Message: msg, Location: at})
	}
	return oc
}

// TestOwnCases runs testdata/cases/*.json: what the recorded cases do not cover.
func TestOwnCases(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/cases/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	sort.Strings(files)
	for _, path := range files {
		oc := mustLoadOwnCase(t, path)
		t.Run(filepath.Base(path), func(t *testing.T) {
			t.Parallel()
			var got []Diagnostic
			for _, d := range Definition(oc.Definition, Options{Type: oc.Type}) {
				if d.Severity == SeverityError {
					got = append(got, d)
				}
			}
			require.Equal(t, oc.Want, got)
		})
	}
}

// TestCreateMessageJoinsErrors pins the InvalidDefinition text: errors only, joined
// with ", ", "at null" without a location.
func TestCreateMessageJoinsErrors(t *testing.T) {
	t.Parallel()
	msg := CreateMessage([]Diagnostic{
		{Severity: SeverityError, Code: CodeMissingTransition, Message: "Missing 'Next' target: pass3", Location: "/States/pass1/Next"},
		{Severity: SeverityWarning, Code: CodeWarnNoDollar, Message: "ignored", Location: "/States/pass1"},
		{Severity: SeverityError, Code: CodeMissingEndState, Message: "Workflow has no terminal state"},
	})
	require.Equal(t, "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_END_STATE: Workflow has no terminal state at null'", msg)
}

// TestDefinitionIsStable checks that the same definition always gives the same
// diagnostics in the same order.
func TestDefinitionIsStable(t *testing.T) {
	t.Parallel()
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X","Foo":1},"B":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:query","End":true},"C":{"Type":"Wait","End":true}}}`
	first := Definition(def, Options{})
	require.NotEmpty(t, first)
	for i := 0; i < 20; i++ {
		require.Equal(t, first, Definition(def, Options{}))
	}
}

// FuzzDefinition checks that no input makes Definition panic, and that a definition
// without errors parses as JSON.
func FuzzDefinition(f *testing.F) {
	seeds := []string{
		``, `{}`, `not json`, `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsNull":true},"Next":"A"}]}}}`,
		`{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`,
		`{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input %}","End":true}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"a.$":"States.Format('{}', $.x)"},"End":true}}}`,
		`[1,2`, `{"a":"\u00`, `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}}}`,
	}
	if files, _ := filepath.Glob("testdata/cases/*.json"); len(files) > 0 {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, string(b))
			}
		}
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, def string) {
		diags := Definition(def, Options{})
		if !HasErrors(diags) {
			_, err := jsonvalue.ParseString(def)
			require.NoError(t, err)
		}
		_ = CreateMessage(diags)
		_ = Definition(def, Options{Type: "EXPRESS"})
	})
}
