package validate

import (
	"strings"
)

// pathKind says which path forms a field accepts.
type pathKind int

const (
	// pathAny: a JSONPath, a context path ($$...) or a variable path ($name...).
	pathAny pathKind = iota
	// pathReference: like pathAny, but it must name one node (no filters, wildcards,
	// unions or slices), e.g. ItemsPath, SecondsPath, Choice Variable.
	pathReference
	// pathResult: a reference path into the state's input only (ResultPath, Catch
	// ResultPath): no context object, no variables.
	pathResult
	// pathOrIntrinsic: pathAny or an intrinsic function call (Fail ErrorPath/CausePath).
	pathOrIntrinsic
)

// pathField checks a field whose value is a path.
func (c *checker) pathField(v any, at, field string, kind pathKind) {
	s, ok := v.(string)
	if !ok {
		c.mustBe(at, field, typeString)
		return
	}
	switch kind {
	case pathAny:
		if !validPath(s) {
			c.schema(at, "The value for the field '%s' must be a valid JSONPath", field)
		}
	case pathReference:
		if !validReferencePath(s) {
			c.schema(at, "The value for the field '%s' must be a valid ReferencePath", field)
		}
	case pathResult:
		if strings.HasPrefix(s, "$$") || !strings.HasPrefix(s, "$") || isVariablePath(s) || !validReferencePath(s) {
			c.schema(at, "The value for the field '%s' must be a valid ReferencePath", field)
		}
	case pathOrIntrinsic:
		if !validPath(s) && !validIntrinsic(s) {
			c.schema(at, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", field)
		}
	}
}

// isVariablePath reports whether s reads a variable: $name, $name.field, $name[0].
func isVariablePath(s string) bool {
	return len(s) > 1 && s[0] == '$' && isIdentStart(s[1])
}

func isIdentStart(b byte) bool {
	return b == '_' || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0x80
}

func isIdentByte(b byte) bool {
	return isIdentStart(b) || (b >= '0' && b <= '9')
}

// validPath reports whether s is a JSONPath ($...), a context path ($$...) or a
// variable path ($name...) whose JSONPath part Jayway's grammar accepts.
func validPath(s string) bool {
	return pathErr(s, false) == ""
}

// validReferencePath is validPath for paths that must name a single node: AWS
// forbids "@ , : ?" and wildcards in reference paths
// (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
func validReferencePath(s string) bool {
	return pathErr(s, true) == ""
}

// pathErr returns why s is not a valid path, or "".
func pathErr(s string, reference bool) string {
	valid, ref := parseRef(s)
	switch {
	case !valid:
		return "invalid"
	case reference && !ref:
		return "not a reference path"
	}
	return ""
}
