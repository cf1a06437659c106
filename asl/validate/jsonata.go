package validate

import (
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// isJSONata reports whether s is a JSONata expression string: exactly "{% ... %}",
// nothing outside the delimiters.
func isJSONata(s string) bool {
	return len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// jsonataValue checks every JSONata expression inside a JSONata-mode value
// (Arguments, Output, Assign, Items...). Locations go down to the key, as AWS
// reports them ("INVALID_JSONATA_EXPRESSION: Unexpected end of expression at
// /States/Main/Output").
func (c *checker) jsonataValue(v any, at string) {
	c.jsonataAt(v, at, 0)
}

func (c *checker) jsonataAt(v any, at string, depth int) {
	if depth > maxValueDepth {
		return
	}
	switch t := v.(type) {
	case string:
		if isJSONata(t) {
			c.jsonataExpr(t, at)
		}
	case *jsonvalue.Object:
		t.Range(func(k string, fv any) bool {
			c.jsonataAt(fv, at+"/"+k, depth+1)
			return true
		})
	case []any:
		for i, e := range t {
			c.jsonataAt(e, at+"["+strconv.Itoa(i)+"]", depth+1)
		}
	}
}

// jsonataExpr compiles one "{% expr %}" string.
func (c *checker) jsonataExpr(s, at string) {
	expr := s[2 : len(s)-2]
	if strings.TrimSpace(expr) == "" {
		c.errorf(at, CodeInvalidJSONata, "Unexpected end of expression")
		return
	}
	if msg, bad := compileJSONata(expr); bad {
		c.errorf(at, CodeInvalidJSONata, "%s", msg)
		return
	}
	if name, ok := leadingFieldReference(expr); ok {
		c.errorf(at, CodeUnsupportedJSONata, "Reference to '%s' at the top level is not supported.", name)
	}
}

// leadingFieldReference finds an expression that starts with a bare field name
// (phone, Account.Order): in Step Functions the expression has no context item, so
// AWS refuses such a path at create time (measured: "UNSUPPORTED_JSONATA_EXPRESSION:
// Reference to 'phone' at the top level is not supported." at /States/E/Output/v).
// Only the leading token is examined, so a reference further in is let through
// rather than risk refusing a valid expression.
func leadingFieldReference(expr string) (string, bool) {
	s := strings.TrimLeft(expr, " \t\r\n")
	for strings.HasPrefix(s, "/*") {
		end := strings.Index(s[2:], "*/")
		if end < 0 {
			return "", false
		}
		s = strings.TrimLeft(s[end+4:], " \t\r\n")
	}
	if s == "" {
		return "", false
	}
	if s[0] == '`' {
		end := strings.IndexByte(s[1:], '`')
		if end < 0 {
			return "", false
		}
		return s[1 : end+1], true
	}
	if !isIdentStart(s[0]) {
		return "", false
	}
	i := 0
	for i < len(s) && isIdentByte(s[i]) {
		i++
	}
	switch name := s[:i]; name {
	case "and", "or", "in", "true", "false", "null", "function":
		return "", false
	default:
		rest := strings.TrimLeft(s[i:], " \t\r\n")
		if strings.HasPrefix(rest, "(") {
			return "", false // not a path; the parser reports what it is
		}
		return name, true
	}
}

// jsonataOr checks a field that holds either a literal of some type or, in JSONata,
// a "{% %}" expression. It returns the literal and whether one was given.
func (c *checker) jsonataOr(s *stateCtx, v any, at string) (any, bool) {
	if str, ok := v.(string); ok && s.lang == langJSONata && isJSONata(str) {
		c.jsonataExpr(str, at)
		return nil, false
	}
	return v, true
}
