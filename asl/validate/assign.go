package validate

import (
	"strings"

	"stepline/asl/intrinsic"
	"stepline/jsonvalue"
)

// assign checks an Assign block: an object whose keys are variable names (with ".$"
// for JSONPath values), never the reserved $states.
func (c *checker) assign(s *stateCtx, v any, at string) {
	obj, ok := v.(*jsonvalue.Object)
	if !ok {
		c.mustBe(at, "Assign", typeObject)
		return
	}
	for _, k := range obj.Keys() {
		name := k
		if s.lang == langJSONPath {
			name = strings.TrimSuffix(k, ".$")
		}
		if !validVariableName(name) {
			c.schema(at, "The variable name '%s' is not valid", name)
		} else if name == "states" {
			c.schema(at, "The variable name 'states' is reserved")
		}
	}
	if s.lang == langJSONata {
		c.jsonataValue(v, at)
		return
	}
	c.template(v, at)
}

// validVariableName: a letter or underscore, then letters, digits and underscores,
// at most 80 characters
// (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html), as
// the interpreter reads them.
func validVariableName(name string) bool {
	return intrinsic.ValidVariableName(name)
}
