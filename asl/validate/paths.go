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
// variable path ($name...) with well-formed segments. It is Jayway-lenient: dot
// segments may hold any character but '.', '[' and ']', as Jayway accepts them.
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
	if compiled, known := compileJSONPath(s); known {
		if !compiled {
			return "invalid"
		}
		if !reference {
			return ""
		}
	}
	if !strings.HasPrefix(s, "$") {
		return "must start with $"
	}
	rest := s[1:]
	switch {
	case strings.HasPrefix(rest, "$"):
		rest = rest[1:]
	case rest != "" && isIdentStart(rest[0]):
		i := 0
		for i < len(rest) && isIdentByte(rest[i]) {
			i++
		}
		rest = rest[i:]
	}
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			if strings.HasPrefix(rest, ".") {
				if reference {
					return "deep scan"
				}
				rest = rest[1:]
				if strings.HasPrefix(rest, "[") {
					continue
				}
			}
			i := 0
			for i < len(rest) && rest[i] != '.' && rest[i] != '[' {
				if rest[i] == ']' {
					return "unexpected ]"
				}
				i++
			}
			seg := rest[:i]
			if seg == "" {
				return "empty segment"
			}
			if reference && (seg == "*" || strings.ContainsAny(seg, "@?")) {
				return "wildcard"
			}
			rest = rest[i:]
		case '[':
			end := bracketEnd(rest)
			if end < 0 {
				return "unclosed ["
			}
			inner := strings.TrimSpace(rest[1:end])
			if inner == "" {
				return "empty brackets"
			}
			if reference && !singleSelector(inner) {
				return "not a single node"
			}
			rest = rest[end+1:]
		default:
			return "unexpected character"
		}
	}
	return ""
}

// bracketEnd returns the index of the ']' closing the '[' at s[0], skipping quoted
// strings and nested brackets and parentheses, or -1.
func bracketEnd(s string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if quote != 0 {
			switch ch {
			case '\\':
				i++
			case quote:
				quote = 0
			}
			continue
		}
		switch ch {
		case '\'', '"':
			quote = ch
		case '[', '(':
			depth++
		case ']', ')':
			depth--
			if depth == 0 {
				if ch != ']' {
					return -1
				}
				return i
			}
			if depth < 0 {
				return -1
			}
		}
	}
	return -1
}

// singleSelector reports whether a bracket's content selects one node: an index or
// one quoted name.
func singleSelector(inner string) bool {
	if q := inner[0]; q == '\'' || q == '"' {
		return len(inner) >= 2 && inner[len(inner)-1] == q && !strings.ContainsRune(unquoteInner(inner), rune(q))
	}
	if inner[0] == '-' {
		inner = inner[1:]
	}
	if inner == "" {
		return false
	}
	for i := 0; i < len(inner); i++ {
		if inner[i] < '0' || inner[i] > '9' {
			return false
		}
	}
	return true
}

// unquoteInner drops the quotes and escaped characters of a quoted bracket name, so
// that an unescaped quote inside (a union 'a','b') can be detected.
func unquoteInner(q string) string {
	var b strings.Builder
	body := q[1 : len(q)-1]
	for i := 0; i < len(body); i++ {
		if body[i] == '\\' {
			i++
			continue
		}
		b.WriteByte(body[i])
	}
	return b.String()
}
