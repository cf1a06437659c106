package sfn

import (
	"stepline"
	"stepline/asl"
)

// checkDefinition validates a definition for a state machine of type typ and parses
// it, so that a definition is stored only if it can run. Problems are AWS's
// InvalidDefinition ("Invalid State Machine Definition: '...'").
func (s *Service) checkDefinition(def, typ string) (*asl.Machine, error) {
	// The diagnostics of asl/validate come first once that package is wired in here;
	// until then the parser is the only judge.
	m, err := asl.Parse(def)
	if err != nil {
		return nil, stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", err.Error())
	}
	return m, nil
}
