// Package validate is the static checker for Amazon States Language definitions: the
// source of CreateStateMachine's and UpdateStateMachine's InvalidDefinition errors, of
// ValidateStateMachineDefinition's diagnostics and of `stepline validate`.
//
// It is pure: no I/O, no clock. It reports every problem it finds, in a stable order,
// with AWS's codes and texts where they are known.
package validate

import "strings"

// Severities of a Diagnostic, as ValidateStateMachineDefinition reports them.
const (
	SeverityError   = "ERROR"
	SeverityWarning = "WARNING"
)

// Diagnostic codes AWS documents for ValidateStateMachineDefinition
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html).
const (
	CodeInvalidJSON        = "INVALID_JSON_DESCRIPTION"
	CodeMissingDescription = "MISSING_DESCRIPTION"
	CodeSchema             = "SCHEMA_VALIDATION_FAILED"
	CodeInvalidResource    = "INVALID_RESOURCE"
	CodeMissingEndState    = "MISSING_END_STATE"
	CodeDuplicateStateName = "DUPLICATE_STATE_NAME"
	CodeInvalidStateName   = "INVALID_STATE_NAME"
	CodeDuplicateLabelName = "DUPLICATE_LABEL_NAME"
	CodeInvalidLabelName   = "INVALID_LABEL_NAME"
	CodeMissingTransition  = "MISSING_TRANSITION_TARGET"
	CodeTooDeeplyNested    = "TOO_DEEPLY_NESTED"
	// Codes AWS reports for JSONata expressions beyond the documented list: one
	// that does not parse, and one it refuses to run (a path without a context).
	CodeInvalidJSONata       = "INVALID_JSONATA_EXPRESSION"
	CodeUnsupportedJSONata   = "UNSUPPORTED_JSONATA_EXPRESSION"
	CodeWarnNoDollar         = "NO_DOLLAR"
	CodeWarnNoPath           = "NO_PATH"
	CodeWarnPassResultStatic = "PASS_RESULT_IS_STATIC"
)

// Diagnostic is one problem found in a definition. Severity is ERROR (the definition
// cannot be created) or WARNING; Location is a JSON pointer into the definition such
// as /States/FailState/ErrorPath, empty when AWS gives none.
type Diagnostic struct {
	Severity string
	Code     string
	Message  string
	Location string
}

// Options says how to check a definition. Type is STANDARD or EXPRESS (empty means
// STANDARD), because Express machines may not use .sync, .waitForTaskToken or
// activities.
type Options struct {
	Type string
}

// Definition checks a definition and returns every problem found, errors and
// warnings, in a stable order (document order of what they concern).
func Definition(definition string, opts Options) []Diagnostic {
	c := newChecker(opts)
	c.run(definition)
	return c.diags
}

// HasErrors reports whether any diagnostic has severity ERROR, which is what decides
// between ValidateStateMachineDefinition's OK and FAIL.
func HasErrors(diags []Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// CreateMessage returns the message of the InvalidDefinition error CreateStateMachine
// and UpdateStateMachine return for diags: the ERROR diagnostics as
// "<CODE>: <message> at <location>", joined with ", ", inside
// "Invalid State Machine Definition: '...'". For example
// "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'".
func CreateMessage(diags []Diagnostic) string {
	parts := make([]string, 0, len(diags))
	for _, d := range diags {
		if d.Severity != SeverityError {
			continue
		}
		// AWS prints a diagnostic without a location as "at null" (measured:
		// "MISSING_END_STATE: Workflow has no terminal state at null").
		at := d.Location
		if at == "" {
			at = "null"
		}
		parts = append(parts, d.Code+": "+d.Message+" at "+at)
	}
	return "Invalid State Machine Definition: '" + strings.Join(parts, ", ") + "'"
}
