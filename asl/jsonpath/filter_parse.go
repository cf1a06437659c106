package jsonpath

import (
	"encoding/json"
	"regexp"
	"strings"

	"stepline/jsonvalue"
)

// expr is a filter predicate, evaluated for each candidate node.
type expr interface {
	test(root, cur any) bool
}

type orExpr struct{ l, r expr }
type andExpr struct{ l, r expr }
type notExpr struct{ e expr }

// existsExpr is [?(@.x)]: true when the path finds a node (null counts).
type existsExpr struct{ o *operand }

// relExpr is a comparison such as @.x > 1.
type relExpr struct {
	op   string
	l, r *operand
}

func (e *orExpr) test(root, cur any) bool  { return e.l.test(root, cur) || e.r.test(root, cur) }
func (e *andExpr) test(root, cur any) bool { return e.l.test(root, cur) && e.r.test(root, cur) }
func (e *notExpr) test(root, cur any) bool { return !e.e.test(root, cur) }

func (e *existsExpr) test(root, cur any) bool {
	v := e.o.value(root, cur)
	if v == undefined {
		return false
	}
	if !e.o.path.definite {
		l, _ := v.([]any)
		return len(l) > 0
	}
	return true
}

// operand is a literal, a regular expression or a path from @ (the candidate) or $ (the
// document root).
type operand struct {
	lit      any
	re       *regexp.Regexp
	path     *Path
	relative bool
}

// undefinedValue marks a path operand that found nothing; it equals nothing.
type undefinedValue struct{}

var undefined any = undefinedValue{}

func (o *operand) value(root, cur any) any {
	if o.path == nil {
		return o.lit
	}
	start := root
	if o.relative {
		start = cur
	}
	v, err := o.path.get(start, root)
	if err != nil {
		return undefined
	}
	return v
}

var relationalWords = []string{"subsetof", "contains", "noneof", "anyof", "empty", "size", "nin", "in"}

func (ps *parser) orExpr(depth int) (expr, error) {
	l, err := ps.andExpr(depth)
	if err != nil {
		return nil, err
	}
	for {
		ps.skipSpace()
		if !strings.HasPrefix(ps.s[ps.pos:], "||") {
			return l, nil
		}
		ps.pos += 2
		r, err := ps.andExpr(depth)
		if err != nil {
			return nil, err
		}
		l = &orExpr{l, r}
	}
}

func (ps *parser) andExpr(depth int) (expr, error) {
	l, err := ps.unaryExpr(depth)
	if err != nil {
		return nil, err
	}
	for {
		ps.skipSpace()
		if !strings.HasPrefix(ps.s[ps.pos:], "&&") {
			return l, nil
		}
		ps.pos += 2
		r, err := ps.unaryExpr(depth)
		if err != nil {
			return nil, err
		}
		l = &andExpr{l, r}
	}
}

func (ps *parser) unaryExpr(depth int) (expr, error) {
	if depth >= maxFilterDepth {
		return nil, ps.errorf("Filter nesting too deep")
	}
	ps.skipSpace()
	switch ps.peek() {
	case '!':
		ps.pos++
		e, err := ps.unaryExpr(depth + 1)
		if err != nil {
			return nil, err
		}
		return &notExpr{e}, nil
	case '(':
		ps.pos++
		e, err := ps.orExpr(depth + 1)
		if err != nil {
			return nil, err
		}
		ps.skipSpace()
		if ps.peek() != ')' {
			return nil, ps.errorf("Expected ')' at position %d", ps.pos)
		}
		ps.pos++
		return e, nil
	}
	return ps.relation(depth)
}

func (ps *parser) relation(depth int) (expr, error) {
	l, err := ps.operand(depth)
	if err != nil {
		return nil, err
	}
	ps.skipSpace()
	op := ps.operator()
	if op == "" {
		if l.path == nil {
			return nil, ps.errorf("Expected a path for an existence check at position %d", ps.pos)
		}
		return &existsExpr{l}, nil
	}
	r, err := ps.operand(depth)
	if err != nil {
		return nil, err
	}
	if op == "=~" && r.re == nil {
		return nil, ps.errorf("The =~ operator needs a regular expression")
	}
	return &relExpr{op: op, l: l, r: r}, nil
}

func (ps *parser) operator() string {
	rest := ps.s[ps.pos:]
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			ps.pos += len(op)
			return op
		}
	}
	for _, w := range relationalWords {
		if len(rest) > len(w) && strings.EqualFold(rest[:len(w)], w) && !isWordChar(rest[len(w)]) {
			ps.pos += len(w)
			return w
		}
	}
	return ""
}

func isWordChar(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// operand reads a path, a string, number, boolean, null, JSON array/object or /regex/.
func (ps *parser) operand(depth int) (*operand, error) {
	ps.skipSpace()
	start := ps.pos
	switch c := ps.peek(); {
	case c == '@' || c == '$':
		ps.pos++
		segs, err := ps.segments(true, depth)
		if err != nil {
			return nil, err
		}
		p := &Path{text: ps.s[start:ps.pos], segs: segs, definite: isDefinite(segs), strict: leadingDefinite(segs)}
		p.norm = string(appendNormalized([]byte{c}, segs))
		return &operand{path: p, relative: c == '@'}, nil
	case c == '\'' || c == '"':
		s, err := ps.quoted()
		if err != nil {
			return nil, err
		}
		return &operand{lit: s}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		for ps.pos < len(ps.s) && strings.IndexByte("0123456789-.eE+", ps.s[ps.pos]) >= 0 {
			ps.pos++
		}
		text := ps.s[start:ps.pos]
		v, err := jsonvalue.ParseString(text)
		if _, ok := v.(json.Number); err != nil || !ok {
			return nil, ps.errorf("Invalid number %s at position %d", text, start)
		}
		return &operand{lit: v}, nil
	case c == '/':
		return ps.regex()
	case c == '[' || c == '{':
		v, err := ps.literal(depth)
		if err != nil {
			return nil, err
		}
		return &operand{lit: v}, nil
	}
	for _, w := range []struct {
		word string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(ps.s[ps.pos:], w.word) {
			ps.pos += len(w.word)
			return &operand{lit: w.v}, nil
		}
	}
	return nil, ps.errorf("Could not parse filter operand at position %d", start)
}

// quoted reads a '...' or "..." literal and resolves Java escapes, as Jayway's string
// nodes do.
func (ps *parser) quoted() (string, error) {
	q := ps.s[ps.pos]
	ps.pos++
	var b strings.Builder
	for ps.pos < len(ps.s) {
		c := ps.s[ps.pos]
		switch {
		case c == q:
			ps.pos++
			return b.String(), nil
		case c == '\\' && ps.pos+1 < len(ps.s):
			ps.pos++
			switch e := ps.s[ps.pos]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				if ps.pos+4 < len(ps.s) {
					if v, err := jsonvalue.ParseString(`"\u` + ps.s[ps.pos+1:ps.pos+5] + `"`); err == nil {
						b.WriteString(v.(string))
						ps.pos += 4
						break
					}
				}
				b.WriteByte(e)
			default:
				b.WriteByte(e)
			}
			ps.pos++
		default:
			b.WriteByte(c)
			ps.pos++
		}
	}
	return "", ps.errorf("String literal is not closed")
}

// regex reads /pattern/flags. Jayway matches the whole string (Matcher.matches), so the
// pattern is anchored.
func (ps *parser) regex() (*operand, error) {
	ps.pos++ // '/'
	start := ps.pos
	for ps.pos < len(ps.s) && ps.s[ps.pos] != '/' {
		if ps.s[ps.pos] == '\\' {
			ps.pos++
		}
		ps.pos++
	}
	if ps.pos >= len(ps.s) {
		return nil, ps.errorf("Regular expression is not closed")
	}
	pattern := ps.s[start:ps.pos]
	ps.pos++
	flags := ""
	for ps.pos < len(ps.s) && strings.IndexByte("imsx", ps.s[ps.pos]) >= 0 {
		if ps.s[ps.pos] != 'x' {
			flags += string(ps.s[ps.pos])
		}
		ps.pos++
	}
	if flags != "" {
		pattern = "(?" + flags + ")" + pattern
	}
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	if err != nil {
		return nil, ps.errorf("Invalid regular expression %s", ps.s[start-1:ps.pos])
	}
	return &operand{re: re}, nil
}

// literal reads a JSON array or object written inside a filter; like Jayway's lenient
// JSON parsing it accepts single-quoted strings.
func (ps *parser) literal(depth int) (any, error) {
	if depth >= maxFilterDepth {
		return nil, ps.errorf("Filter nesting too deep")
	}
	c := ps.s[ps.pos]
	ps.pos++
	if c == '[' {
		arr := []any{}
		ps.skipSpace()
		if ps.peek() == ']' {
			ps.pos++
			return arr, nil
		}
		for {
			o, err := ps.literalValue(depth + 1)
			if err != nil {
				return nil, err
			}
			arr = append(arr, o)
			ps.skipSpace()
			switch ps.peek() {
			case ',':
				ps.pos++
				continue
			case ']':
				ps.pos++
				return arr, nil
			}
			return nil, ps.errorf("Expected ',' or ']' at position %d", ps.pos)
		}
	}
	obj := jsonvalue.NewObject(0)
	ps.skipSpace()
	if ps.peek() == '}' {
		ps.pos++
		return obj, nil
	}
	for {
		ps.skipSpace()
		if q := ps.peek(); q != '\'' && q != '"' {
			return nil, ps.errorf("Expected a quoted key at position %d", ps.pos)
		}
		k, err := ps.quoted()
		if err != nil {
			return nil, err
		}
		ps.skipSpace()
		if ps.peek() != ':' {
			return nil, ps.errorf("Expected ':' at position %d", ps.pos)
		}
		ps.pos++
		v, err := ps.literalValue(depth + 1)
		if err != nil {
			return nil, err
		}
		obj.Set(k, v)
		ps.skipSpace()
		switch ps.peek() {
		case ',':
			ps.pos++
			continue
		case '}':
			ps.pos++
			return obj, nil
		}
		return nil, ps.errorf("Expected ',' or '}' at position %d", ps.pos)
	}
}

func (ps *parser) literalValue(depth int) (any, error) {
	ps.skipSpace()
	if c := ps.peek(); c == '@' || c == '$' || c == '/' {
		return nil, ps.errorf("Expected a literal at position %d", ps.pos)
	}
	o, err := ps.operand(depth)
	if err != nil {
		return nil, err
	}
	return o.lit, nil
}
