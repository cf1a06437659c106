package payload

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

// goldenCase is one template (or, with Field set, one path field) evaluated against an
// input and context object: either Want or the Failure's Error and Cause.
type goldenCase struct {
	Name     string          `json:"name"`
	Template json.RawMessage `json:"template,omitempty"`
	Path     string          `json:"path,omitempty"`
	Field    string          `json:"field,omitempty"`
	Input    json.RawMessage `json:"input"`
	Want     json.RawMessage `json:"want,omitempty"`
	Error    string          `json:"error,omitempty"`
	Cause    string          `json:"cause,omitempty"`
}

type goldenFile struct {
	Comment string          `json:"comment"`
	Context json.RawMessage `json:"context"`
	Vars    json.RawMessage `json:"vars"`
	Cases   []goldenCase    `json:"cases"`
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
		vars := jsonvalue.MustParse(string(g.Vars)).(*jsonvalue.Object)
		for i := range g.Cases {
			c := &g.Cases[i]
			env := Env{
				Input:   jsonvalue.MustParse(string(c.Input)),
				Context: jsonvalue.MustParse(string(g.Context)),
				Var:     vars.Get,
				Rand:    func() uint64 { return 7 },
			}
			var got any
			if c.Field != "" {
				got, err = SelectEnv(c.Path, env, c.Field)
			} else {
				got, err = Expand(jsonvalue.MustParse(string(c.Template)), env, "Parameters")
			}
			var f *Failure
			if err != nil {
				require.True(t, errors.As(err, &f), "%s: %v", c.Name, err)
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
				require.NotNil(t, f, c.Name)
				require.Equal(t, c.Error, f.Name, c.Name)
				require.Equal(t, c.Cause, f.Cause, c.Name)
				continue
			}
			require.Nil(t, f, c.Name)
			require.Equal(t, jsonvalue.MarshalString(jsonvalue.MustParse(string(c.Want))), jsonvalue.MarshalString(got), c.Name)
		}
		if *update {
			out, err := json.MarshalIndent(g, "", "  ")
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(file, append(out, '\n'), 0o644))
		}
	}
}
