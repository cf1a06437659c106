package web

import (
	"errors"
	"testing"

	"stepline"
)

// declarationSeeds are the shapes people paste: bare declarations, CLI input
// documents, and the mistakes the create and edit pages must explain.
var declarationSeeds = []string{
	``,
	`{}`,
	`{"name": "p", "stages": []}`,
	`{"pipeline": {"name": "p"}, "tags": []}`,
	`{"pipeline": {"name": "p"}, "other": 1}`,
	`{"name": "p",`,
	"{\n  \"name\": 5\n}",
	`{"name": "p"} {"name": "q"}`,
	`[1, 2]`,
	`{"name": "p", "stages": [{"name": "S", "actions": [{"name": "A", "actionTypeId": {"category": "Source"}, "runOrder": "x"}]}]}`,
	`{"name": "\u00e9", "unknown": true}`,
	`"just a string"`,
}

// FuzzParseDeclaration checks that any text gives a declaration or a person's
// error (a *stepline.Error), never a panic.
func FuzzParseDeclaration(f *testing.F) {
	for _, s := range declarationSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		_, err := parseDeclaration(text)
		var se *stepline.Error
		if err != nil && (!errors.As(err, &se) || se.Message == "") {
			t.Fatalf("error %v is not a message for a person", err)
		}
	})
}

// TestParseDeclarationSeeds runs the seed corpus in the normal test run.
func TestParseDeclarationSeeds(t *testing.T) {
	t.Parallel()
	for _, s := range declarationSeeds {
		_, err := parseDeclaration(s)
		var se *stepline.Error
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("%q: %v", s, err)
		}
	}
	if _, err := parseDeclaration(`{"pipeline": {"name": "p", "stages": []}}`); err != nil {
		t.Fatalf("a CLI input document: %v", err)
	}
}
