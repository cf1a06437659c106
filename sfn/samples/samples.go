// Package samples holds the state machine templates stepline offers to start from:
// the AWS console's Hello World and a few that show tasks, retries and activities.
// The definitions are embedded verbatim, so what a user creates from a template is
// byte for byte the file in templates/.
package samples

import (
	"embed"
	"encoding/json"
	"fmt"
)

//go:embed templates/*.json
var files embed.FS

// Template is one state machine template.
type Template struct {
	Name        string
	Description string
	Definition  string // the ASL text, as stored in templates/
}

// entry is one line of templates/index.json.
type entry struct {
	Name        string `json:"name"`
	File        string `json:"file"`
	Description string `json:"description"`
}

// All returns the templates in the order templates/index.json lists them.
func All() ([]Template, error) {
	b, err := files.ReadFile("templates/index.json")
	if err != nil {
		return nil, fmt.Errorf("read template index: %w", err)
	}
	var index []entry
	if err := json.Unmarshal(b, &index); err != nil {
		return nil, fmt.Errorf("decode template index: %w", err)
	}
	out := make([]Template, 0, len(index))
	for _, e := range index {
		def, err := files.ReadFile("templates/" + e.File)
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", e.Name, err)
		}
		out = append(out, Template{Name: e.Name, Description: e.Description, Definition: string(def)})
	}
	return out, nil
}

// Get returns the template called name; false when there is none.
func Get(name string) (Template, bool, error) {
	all, err := All()
	if err != nil {
		return Template{}, false, err
	}
	for _, t := range all {
		if t.Name == name {
			return t, true, nil
		}
	}
	return Template{}, false, nil
}
