package jsonpath

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

var update = flag.Bool("update", false, "rewrite the expected results in testdata")

// goldenCase is one path evaluated against one document in testdata/*.json. Exactly
// one of Want and Error is set: Error holds the message of a definite path that found
// nothing (or "syntax" for a path that does not compile).
type goldenCase struct {
	Path  string          `json:"path"`
	Doc   string          `json:"doc,omitempty"` // a document name from the file's docs
	Want  json.RawMessage `json:"want,omitempty"`
	Error string          `json:"error,omitempty"`
}

type goldenFile struct {
	Comment string                     `json:"comment"`
	Docs    map[string]json.RawMessage `json:"docs"`
	Cases   []goldenCase               `json:"cases"`
}

// TestGolden evaluates the cases of testdata/*.json. Run with -update to record the
// current results, then review the diff.
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
			doc := jsonvalue.MustParse(string(g.Docs[c.Doc]))
			got, gotErr := evalGolden(c.Path, doc)
			if *update {
				c.Want, c.Error = nil, ""
				if gotErr != "" {
					c.Error = gotErr
				} else {
					c.Want = json.RawMessage(got)
				}
				continue
			}
			if c.Error != "" {
				require.Equal(t, c.Error, gotErr, "%s: %s", file, c.Path)
				continue
			}
			require.Empty(t, gotErr, "%s: %s", file, c.Path)
			require.JSONEq(t, string(c.Want), got, "%s: %s", file, c.Path)
		}
		if *update {
			out, err := json.MarshalIndent(g, "", "  ")
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(file, append(out, '\n'), 0o644))
		}
	}
}

func evalGolden(path string, doc any) (string, string) {
	p, err := Compile(path)
	if err != nil {
		return "", "syntax"
	}
	v, err := p.Get(doc)
	if err != nil {
		return "", err.Error()
	}
	return jsonvalue.MarshalString(v), ""
}
