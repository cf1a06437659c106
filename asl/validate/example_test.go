package validate_test

import (
	"fmt"

	"stepline/asl/validate"
)

// A definition whose Next names no state, which leaves another state unreachable:
// CreateStateMachine's message lists both, as AWS does.
func ExampleCreateMessage() {
	def := `{"StartAt":"pass1","States":{
		"pass1":{"Type":"Pass","Next":"pass3"},
		"pass2":{"Type":"Pass","End":true}}}`
	diags := validate.Definition(def, validate.Options{Type: "STANDARD"})
	if validate.HasErrors(diags) {
		fmt.Println(validate.CreateMessage(diags))
	}
	// Output:
	// Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2'
}

// Diagnostics carry a code, a message and a JSON pointer, as
// ValidateStateMachineDefinition returns them.
func ExampleDefinition() {
	def := `{"StartAt":"Publish","States":{"Publish":{"Type":"Task",
		"Resource":"arn:aws:states:::sns:publish.waitForTaskToken","End":true}}}`
	for _, d := range validate.Definition(def, validate.Options{Type: "EXPRESS"}) {
		fmt.Printf("%s %s %q at %s\n", d.Severity, d.Code, d.Message, d.Location)
	}
	// Output:
	// ERROR SCHEMA_VALIDATION_FAILED "Express state machine does not support '.waitForTaskToken' service integration " at /States/Publish/Resource
}
