package intrinsic

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

var update = flag.Bool("update", false, "rewrite the expected results in testdata")

// goldenCase is one call evaluated against one input in testdata/*.json: either Want
// or the Failure's Error and Cause.
type goldenCase struct {
	Expr  string          `json:"expr"`
	Input json.RawMessage `json:"input,omitempty"`
	Want  json.RawMessage `json:"want,omitempty"`
	Error string          `json:"error,omitempty"`
	Cause string          `json:"cause,omitempty"`
}

type goldenFile struct {
	Comment string       `json:"comment"`
	Cases   []goldenCase `json:"cases"`
}

// TestGolden evaluates testdata/*.json. Run with -update to record the current results,
// then review the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		var g goldenFile
		require.NoError(t, json.Unmarshal(data, &g))
		for i := range g.Cases {
			c := &g.Cases[i]
			input := any(jsonvalue.NewObject(0))
			if len(c.Input) > 0 {
				input = jsonvalue.MustParse(string(c.Input))
			}
			call, err := Parse(c.Expr)
			require.NoError(t, err, c.Expr)
			got, err := call.Eval(Env{Input: input, Rand: counter(), Field: "value.$"})
			var f *Failure
			if err != nil {
				require.True(t, errors.As(err, &f), "%s: %v", c.Expr, err)
			}
			if *update {
				c.Want, c.Error, c.Cause = nil, "", ""
				if f != nil {
					c.Error, c.Cause = f.Name, f.Cause
				} else {
					c.Want = json.RawMessage(jsonvalue.Marshal(got))
				}
				continue
			}
			if c.Error != "" {
				require.NotNil(t, f, c.Expr)
				require.Equal(t, c.Error, f.Name, c.Expr)
				require.Equal(t, c.Cause, f.Cause, c.Expr)
				continue
			}
			require.Nil(t, f, c.Expr)
			require.Equal(t, compact(t, c.Want), jsonvalue.MarshalString(got), c.Expr)
		}
		if *update {
			out, err := json.MarshalIndent(g, "", "  ")
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(file, append(out, '\n'), 0o644))
		}
	}
}

func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	return jsonvalue.MarshalString(jsonvalue.MustParse(string(raw)))
}
