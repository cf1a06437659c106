package samples_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/asl"
	"stepline/asl/validate"
	"stepline/sfn/samples"
)

// TestTemplatesAreValid checks every template parses and has no validation error.
func TestTemplatesAreValid(t *testing.T) {
	t.Parallel()
	all, err := samples.All()
	require.NoError(t, err)
	require.NotEmpty(t, all)
	for _, tpl := range all {
		for _, d := range validate.Definition(tpl.Definition, validate.Options{}) {
			require.NotEqual(t, validate.SeverityError, d.Severity, "%s: %s %s at %s", tpl.Name, d.Code, d.Message, d.Location)
		}
		_, err := asl.Parse(tpl.Definition)
		require.NoError(t, err, tpl.Name)
	}
	hw, ok, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	require.True(t, ok)
	require.Contains(t, hw.Definition, `"Cause": "Not Hello World"`)
}
