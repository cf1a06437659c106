package sfn

import (
	"stepline"
	"stepline/asl"
	"stepline/asl/validate"
)

// checkDefinition validates a definition for a state machine of type typ and parses
// it, so that a definition is stored only if it can run. Problems are AWS's
// InvalidDefinition ("Invalid State Machine Definition: '<CODE>: <message> at <location>'").
func (s *Service) checkDefinition(def, typ string) (*asl.Machine, error) {
	if diags := validate.Definition(def, validate.Options{Type: typ}); validate.HasErrors(diags) {
		return nil, stepline.Errorf("InvalidDefinition", "%s", validate.CreateMessage(diags))
	}
	// The validator accepted it; the parser failing now is a gap between the two, still
	// the caller's definition that cannot run, so it is reported the same way.
	m, err := asl.Parse(def)
	if err != nil {
		return nil, stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", err.Error())
	}
	return m, nil
}
