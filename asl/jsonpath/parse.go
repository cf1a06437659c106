package jsonpath

import (
	"fmt"
	"strconv"
	"strings"
)

// maxPathLength bounds the text Compile accepts; AWS limits a path to far less, and the
// bound keeps hostile input from costing more than a moment.
const maxPathLength = 1 << 16

// maxFilterDepth bounds nesting of filters and parentheses inside a path.
const maxFilterDepth = 64

// Compile parses a JSONPath that starts with "$". Surrounding spaces are ignored, as
// Jayway trims them. Context paths ($$...) and variable references ($name...) are not
// JSONPath: the caller resolves the prefix and compiles the "$..." rest.
func Compile(path string) (*Path, error) {
	text := strings.TrimSpace(path)
	if len(text) > maxPathLength {
		return nil, &SyntaxError{Path: path, Message: "Path is too long"}
	}
	if text == "" {
		return nil, &SyntaxError{Path: path, Message: "Path may not be null empty"}
	}
	if text[0] != '$' {
		return nil, &SyntaxError{Path: path, Message: "Path must start with '$'"}
	}
	if strings.HasSuffix(text, ".") {
		return nil, &SyntaxError{Path: path, Message: "Path must not end with a '.' or '..'"}
	}
	ps := &parser{s: text, pos: 1}
	if ps.pos < len(text) && text[1] != '.' && text[1] != '[' {
		return nil, &SyntaxError{Path: path, Message: "Illegal character at position 1 expected '.' or '['"}
	}
	segs, err := ps.segments(false, 0)
	if err != nil {
		return nil, err
	}
	if ps.pos != len(text) {
		return nil, ps.errorf("Illegal character at position %d", ps.pos)
	}
	p := &Path{text: text, segs: segs, definite: isDefinite(segs), strict: leadingDefinite(segs)}
	p.norm = string(appendNormalized([]byte{'$'}, segs))
	return p, nil
}

// MustCompile is Compile for paths known to be valid (tests, constants).
func MustCompile(path string) *Path {
	p, err := Compile(path)
	if err != nil {
		panic(err)
	}
	return p
}

type parser struct {
	s   string
	pos int
}

func (ps *parser) errorf(format string, args ...any) error {
	return &SyntaxError{Path: ps.s, Message: fmt.Sprintf(format, args...)}
}

func (ps *parser) skipSpace() {
	for ps.pos < len(ps.s) && ps.s[ps.pos] == ' ' {
		ps.pos++
	}
}

func (ps *parser) peek() byte {
	if ps.pos < len(ps.s) {
		return ps.s[ps.pos]
	}
	return 0
}

// stopsFilterPath reports the characters that end a path inside a filter expression,
// as Jayway's FilterCompiler.readPath does (relational operator characters, a space,
// a closing parenthesis), plus the logical operators and a comma.
func stopsFilterPath(c byte) bool {
	switch c {
	case ' ', ')', '<', '>', '=', '~', '!', '&', '|', ',':
		return true
	}
	return false
}

// segments reads steps until the text ends or, inside a filter, a character that cannot
// continue a path.
func (ps *parser) segments(inFilter bool, depth int) ([]segment, error) {
	var segs []segment
	for ps.pos < len(ps.s) {
		c := ps.s[ps.pos]
		if inFilter && stopsFilterPath(c) {
			break
		}
		scan := false
		switch c {
		case '.':
			if ps.pos+1 < len(ps.s) && ps.s[ps.pos+1] == '.' {
				scan = true
				ps.pos += 2
			} else {
				ps.pos++
			}
			if ps.pos >= len(ps.s) || (inFilter && stopsFilterPath(ps.s[ps.pos])) {
				return nil, ps.errorf("Path must not end with a '.' or '..'")
			}
			if ps.s[ps.pos] == '.' {
				return nil, ps.errorf("Character '.' on position %d is not valid.", ps.pos)
			}
		case '[':
		default:
			return nil, ps.errorf("Illegal character at position %d", ps.pos)
		}
		seg, err := ps.step(inFilter, depth)
		if err != nil {
			return nil, err
		}
		seg.scan = scan
		segs = append(segs, seg)
	}
	return segs, nil
}

// step reads one step after its dots: a bracket, a wildcard or a property name. The
// Jayway release AWS runs has no path functions: "$.a.length()" names a property
// "length()", which is why AWS users cannot count an array with a path, so a name runs
// through parentheses.
func (ps *parser) step(inFilter bool, depth int) (segment, error) {
	switch ps.s[ps.pos] {
	case '[':
		return ps.bracket(depth)
	case '*':
		ps.pos++
		return segment{kind: segWildcard}, nil
	}
	start := ps.pos
	parens := 0
	for ps.pos < len(ps.s) {
		c := ps.s[ps.pos]
		if parens > 0 {
			if c == ')' {
				parens--
			}
			ps.pos++
			continue
		}
		if c == '.' || c == '[' {
			break
		}
		if c == '(' {
			parens++
			ps.pos++
			continue
		}
		if inFilter && stopsFilterPath(c) {
			break
		}
		if c == ' ' {
			return segment{}, ps.errorf("Use bracket notion ['my prop'] if your property contains blank characters. position: %d", ps.pos)
		}
		ps.pos++
	}
	name := ps.s[start:ps.pos]
	if name == "" {
		return segment{}, ps.errorf("Could not parse token starting at position %d", start)
	}
	return segment{kind: segName, names: []string{name}}, nil
}

// bracket reads [*], ['a','b'], [0,1], [1:3] or [?(expr)].
func (ps *parser) bracket(depth int) (segment, error) {
	open := ps.pos
	ps.pos++ // '['
	ps.skipSpace()
	switch c := ps.peek(); {
	case c == '*':
		ps.pos++
		ps.skipSpace()
		if ps.peek() != ']' {
			return segment{}, ps.errorf("Expected ']' at position %d", ps.pos)
		}
		ps.pos++
		return segment{kind: segWildcard}, nil
	case c == '?':
		return ps.filterStep(depth)
	case c == '\'' || c == '"':
		return ps.names()
	case c == '-' || c == ':' || (c >= '0' && c <= '9'):
		return ps.indexes(open)
	}
	return segment{}, ps.errorf("Could not parse token starting at position %d. Expected ?, ', 0-9, * ", open)
}

// names reads quoted property names. As in the Jayway version AWS runs, a backslash
// only stops the next character from closing the name; the name keeps its text as
// written ($['Test\"Name'] selects the key Test\"Name).
func (ps *parser) names() (segment, error) {
	var names []string
	for {
		ps.skipSpace()
		q := ps.peek()
		if q != '\'' && q != '"' {
			return segment{}, ps.errorf("Expected a quoted property name at position %d", ps.pos)
		}
		ps.pos++
		start := ps.pos
		for {
			if ps.pos >= len(ps.s) {
				return segment{}, ps.errorf("Property has not been closed - missing closing %c", q)
			}
			c := ps.s[ps.pos]
			if c == '\\' {
				ps.pos += 2
				continue
			}
			if c == q {
				break
			}
			ps.pos++
		}
		names = append(names, ps.s[start:ps.pos])
		ps.pos++
		ps.skipSpace()
		switch ps.peek() {
		case ',':
			ps.pos++
			continue
		case ']':
			ps.pos++
			return segment{kind: segName, names: names}, nil
		}
		return segment{}, ps.errorf("Property must be separated by comma or Property must be terminated close square bracket at index %d", ps.pos)
	}
}

// indexes reads [0], [-1], [0,2], [1:3], [:2] or [1:].
func (ps *parser) indexes(open int) (segment, error) {
	end := strings.IndexByte(ps.s[ps.pos:], ']')
	if end < 0 {
		return segment{}, ps.errorf("Could not find matching ']' for '[' at position %d", open)
	}
	body := ps.s[ps.pos : ps.pos+end]
	ps.pos += end + 1
	if strings.Contains(body, ":") {
		parts := strings.Split(body, ":")
		if len(parts) != 2 {
			return segment{}, ps.errorf("Failed to parse SliceOperation: %s", body)
		}
		seg := segment{kind: segSlice}
		var err error
		if f := strings.TrimSpace(parts[0]); f != "" {
			if seg.from, err = parseIndex(f); err != nil {
				return segment{}, ps.errorf("Failed to parse SliceOperation: %s", body)
			}
			seg.hasFrom = true
		}
		if t := strings.TrimSpace(parts[1]); t != "" {
			if seg.to, err = parseIndex(t); err != nil {
				return segment{}, ps.errorf("Failed to parse SliceOperation: %s", body)
			}
			seg.hasTo = true
		}
		return seg, nil
	}
	seg := segment{kind: segIndex}
	for _, part := range strings.Split(body, ",") {
		n, err := parseIndex(strings.TrimSpace(part))
		if err != nil {
			return segment{}, ps.errorf("Failed to parse array index: %s", body)
		}
		seg.indexes = append(seg.indexes, n)
	}
	return seg, nil
}

func parseIndex(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("array index %q: %w", s, err)
	}
	return int(n), nil
}

// filterStep reads ?(expr) and the closing bracket.
func (ps *parser) filterStep(depth int) (segment, error) {
	if depth >= maxFilterDepth {
		return segment{}, ps.errorf("Filter nesting too deep")
	}
	ps.pos++ // '?'
	ps.skipSpace()
	if ps.peek() != '(' {
		return segment{}, ps.errorf("Expected '(' after '?' at position %d", ps.pos)
	}
	ps.pos++
	e, err := ps.orExpr(depth + 1)
	if err != nil {
		return segment{}, err
	}
	ps.skipSpace()
	if ps.peek() != ')' {
		return segment{}, ps.errorf("Expected ')' at position %d", ps.pos)
	}
	ps.pos++
	ps.skipSpace()
	if ps.peek() != ']' {
		return segment{}, ps.errorf("Expected ']' at position %d", ps.pos)
	}
	ps.pos++
	return segment{kind: segFilter, filter: e}, nil
}
