package validate

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func warnings(diags []Diagnostic) []Diagnostic {
	var out []Diagnostic
	for _, d := range diags {
		if d.Severity == SeverityWarning {
			out = append(out, d)
		}
	}
	return out
}

// TestWarnings covers AWS's three warning codes; none of them fails a definition.
func TestWarnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, def string
		code, at  string
	}{
		{"NoDollar", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x":"$.input"},"End":true}}}`, CodeWarnNoDollar, "/States/A/Parameters"},
		{"NoPath", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"$.error"}}}`, CodeWarnNoPath, "/States/F/Error"},
		{"PassResultIsStatic", `{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x.$":"$.y"},"End":true}}}`, CodeWarnPassResultStatic, "/States/A/Result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			diags := Definition(tt.def, Options{})
			require.False(t, HasErrors(diags), "%+v", diags)
			w := warnings(diags)
			require.Len(t, w, 1)
			require.Equal(t, tt.code, w[0].Code)
			require.Equal(t, tt.at, w[0].Location)
		})
	}
}

// TestNoWarningsOnPlainDefinitions checks that literal values that merely contain a
// dollar sign are left alone.
func TestNoWarningsOnPlainDefinitions(t *testing.T) {
	t.Parallel()
	def := `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"price":"$5","x.$":"$.y"},"Result":{"cost":"$10"},"End":true}}}`
	require.Empty(t, Definition(def, Options{}))
}

// TestDuplicateLabels checks that two Map states cannot share a Label.
func TestDuplicateLabels(t *testing.T) {
	t.Parallel()
	mapState := func(next string) string {
		return `{"Type":"Map","Label":"same","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"I` + next + `","States":{"I` + next + `":{"Type":"Pass","End":true}}},` + map[bool]string{true: `"End":true`, false: `"Next":"B"`}[next == "B"] + `}`
	}
	def := `{"StartAt":"A","States":{"A":` + mapState("A") + `,"B":` + mapState("B") + `}}`
	diags := Definition(def, Options{})
	require.Equal(t, []Diagnostic{{Severity: SeverityError, Code: CodeDuplicateLabelName, Message: "Duplicate Label name: same", Location: "/States/B/Label"}}, diags)
}
