package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"stepline"
	"stepline/pipeline/plan"
)

// maxDeclarationBytes bounds a pasted declaration; CodePipeline's own limit on a
// pipeline structure is 100 KB
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
const maxDeclarationBytes = 100 << 10

// jsonView is the "Edit JSON" page and the JSON tab of the create page.
type jsonView struct {
	Name  string // the pipeline edited; empty when creating
	JSON  string
	Error string
}

// parseDeclaration reads a pipeline declaration as people paste it: the bare
// declaration that get-pipeline prints under "pipeline", or a whole
// create-pipeline/update-pipeline input ({"pipeline": {...}, "tags": [...]}) as
// --cli-input-json takes it. Unknown fields are refused, as the AWS CLI refuses
// them, so a misspelt field is not silently dropped. The error is for a person: it
// says where the text is wrong.
func parseDeclaration(text string) (plan.Pipeline, error) {
	var p plan.Pipeline
	data := []byte(strings.TrimSpace(text))
	if len(data) == 0 {
		return p, invalid("Enter the pipeline declaration as JSON.")
	}
	if len(data) > maxDeclarationBytes {
		return p, invalidf("The declaration is %d bytes; at most %d are accepted.", len(data), maxDeclarationBytes)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return p, jsonProblem(data, err)
	}
	if inner, ok := top["pipeline"]; ok {
		for k := range top {
			if k != "pipeline" && k != "tags" && k != "metadata" {
				return p, invalidf("Unknown field %q beside \"pipeline\".", k)
			}
		}
		data = inner
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, jsonProblem(data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return p, invalid("There is more text after the declaration's closing brace.")
	}
	return p, nil
}

func invalidf(format string, args ...any) error { return invalid(fmt.Sprintf(format, args...)) }

// jsonProblem turns a decoding error into a message with a line and column.
func jsonProblem(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end"):
		return invalid("The JSON ends too early: a brace or bracket is not closed.")
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset-1) // Offset counts the offending byte
		return invalidf("Line %d, column %d: %s.", line, col, syn.Error())
	case errors.As(err, &typ):
		line, col := lineCol(data, typ.Offset)
		field := typ.Field
		if field == "" {
			field = "the declaration"
		}
		return invalidf("Line %d, column %d: %s must be %s, not %s.", line, col, field, typeWord(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return invalid("The JSON ends too early: a brace or bracket is not closed.")
	}
	// DisallowUnknownFields' error is `json: unknown field "x"`.
	return invalid(strings.TrimPrefix(err.Error(), "json: ") + ".")
}

// messageOf is the text a person reads for a form error.
func messageOf(err error) string {
	var se *stepline.Error
	if errors.As(err, &se) {
		return se.Message
	}
	return err.Error()
}

func typeWord(kind string) string {
	switch kind {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "int", "int64", "int32":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	}
	return kind
}

// lineCol is the 1-based line and column of a byte offset.
func lineCol(data []byte, off int64) (int, int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// pipelineJSONPage is "Edit JSON": the current declaration in a text area.
func (c *Console) pipelineJSONPage(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	_, snap, err := svc.Executions(r.Context(), name) // the declaration with secrets masked
	if err != nil {
		return err
	}
	return c.renderJSON(w, 0, jsonView{Name: name, JSON: declarationJSON(snap.Pipeline)})
}

// pipelineJSONSave updates the pipeline with the edited declaration: a new version.
// Masked secrets left as they were keep their stored values, as UpdatePipeline does.
func (c *Console) pipelineJSONSave(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	name := r.PathValue("name")
	v := jsonView{Name: name, JSON: r.PostFormValue("declaration")}
	p, err := parseDeclaration(v.JSON)
	switch {
	case err != nil:
		v.Error = messageOf(err)
	case p.Name != name:
		v.Error = fmt.Sprintf("The name in the declaration is %q; a pipeline's name cannot change (create a new pipeline instead).", p.Name)
	default:
		_, err = svc.UpdatePipeline(r.Context(), p)
		var se *stepline.Error
		if errors.As(err, &se) {
			v.Error = se.Message
		} else if err != nil {
			return err
		}
	}
	if v.Error != "" {
		return c.renderJSON(w, http.StatusBadRequest, v)
	}
	http.Redirect(w, r, pipelineURL(name)+"?done=updated", http.StatusSeeOther)
	return nil
}

func (c *Console) renderJSON(w http.ResponseWriter, status int, v jsonView) error {
	return c.render(w, status, "pipeline_json", view{
		Title: "Edit " + v.Name + " as JSON", Nav: "pipelines",
		Crumbs: []crumb{{Text: "Pipelines", Href: Prefix + "/pipelines"}, {Text: v.Name, Href: pipelineURL(v.Name)}, {Text: "Edit JSON"}},
		Body:   v,
	})
}
