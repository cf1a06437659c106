package sfnapi

import (
	"context"

	"stepline/asl/validate"
)

// validateMaxResultsDefault is the number of diagnostics returned when maxResults is
// 0 or absent (API_ValidateStateMachineDefinition).
const validateMaxResultsDefault = 100

// validateStateMachineDefinition checks a definition without creating anything. An
// invalid definition is a 200 with result FAIL, never an error. severity ERROR (the
// default) returns errors only; WARNING returns errors and warnings. result is FAIL
// only when there are errors, whatever is returned.
func (h *handlers) validateStateMachineDefinition(_ context.Context, in *ValidateStateMachineDefinitionInput) (*ValidateStateMachineDefinitionOutput, error) {
	diags := validate.Definition(in.Definition, validate.Options{Type: deref(in.Type)})
	out := &ValidateStateMachineDefinitionOutput{Result: "OK", Diagnostics: []ValidateStateMachineDefinitionDiagnostic{}}
	if validate.HasErrors(diags) {
		out.Result = "FAIL"
	}
	withWarnings := deref(in.Severity) == "WARNING"
	limit := int(deref(in.MaxResults))
	if limit <= 0 {
		limit = validateMaxResultsDefault
	}
	truncated := false
	for _, d := range diags {
		if d.Severity != validate.SeverityError && !withWarnings {
			continue
		}
		if len(out.Diagnostics) == limit {
			truncated = true
			break
		}
		out.Diagnostics = append(out.Diagnostics, ValidateStateMachineDefinitionDiagnostic{
			Severity: d.Severity, Code: d.Code, Message: d.Message, Location: optString(d.Location)})
	}
	out.Truncated = ptr(truncated)
	return out, nil
}
