package validate

import (
	"strings"

	"stepline/jsonvalue"
)

// template checks a JSONPath payload template (Parameters, ResultSelector,
// ItemSelector, Credentials...): every key ending in ".$" must hold a path, a
// context or variable path, or an intrinsic call. AWS locates the error at the
// template field itself (recorded: "The value for the field 'parsed.$' must be a
// valid JSONPath or a valid intrinsic function call at /States/X/Parameters").
func (c *checker) template(v any, at string) {
	c.templateAt(v, at, 0)
}

func (c *checker) templateAt(v any, at string, depth int) {
	if depth > maxValueDepth {
		return
	}
	switch t := v.(type) {
	case *jsonvalue.Object:
		t.Range(func(k string, fv any) bool {
			if strings.HasSuffix(k, ".$") {
				s, ok := fv.(string)
				if !ok || (!validPath(s) && !validIntrinsic(s)) {
					c.schema(at, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", k)
				}
				return true
			}
			if s, ok := fv.(string); ok && looksLikePath(s) {
				c.warnf(at, CodeWarnNoDollar, "The value for the field '%s' looks like a JSONPath or an intrinsic function call, but the field name does not end with '.$'", k)
			}
			c.templateAt(fv, at, depth+1)
			return true
		})
	case []any:
		for _, e := range t {
			c.templateAt(e, at, depth+1)
		}
	}
}

// looksLikePath reports strings that are probably meant as a path or intrinsic.
func looksLikePath(s string) bool {
	return strings.HasPrefix(s, "$.") || strings.HasPrefix(s, "$$.") ||
		(strings.HasPrefix(s, "States.") && strings.HasSuffix(s, ")") && validIntrinsic(s))
}

// maxValueDepth bounds the walks over JSON values; jsonvalue.Parse allows no deeper
// nesting, so it only guards values built in code.
const maxValueDepth = 10000
