package intrinsic

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"stepline/jsonvalue"
)

// ErrSyntax is wrapped by every error Parse returns.
var ErrSyntax = errors.New("intrinsic: invalid intrinsic function call")

// maxNesting bounds nested calls. AWS allows 10 levels; the parser accepts more and
// leaves the limit to validation, but never recurses without bound.
const maxNesting = 64

// Call is a parsed intrinsic function call. It is immutable and safe to share.
type Call struct {
	Name string // "States.Format"
	Args []Arg
	text string
	fn   *function
}

// argKind tells what an argument is.
type argKind uint8

const (
	argLiteral argKind = iota // number, true, false, null
	argString                 // '...'
	argRef                    // $..., $$..., $name...
	argCall                   // a nested call
)

// Arg is one argument of a call.
type Arg struct {
	kind argKind
	lit  any
	str  *stringLit
	ref  *Ref
	call *Call
}

// stringLit is a quoted literal: its value with escapes resolved, and where the
// unescaped "{}" placeholders are (an escaped \{ is a literal brace for States.Format).
type stringLit struct {
	value string
	holes []int // byte offsets in value of each "{}" placeholder
}

// IsIntrinsic reports whether s is written as an intrinsic call ("States.Name(...)"),
// which is how a ".$" value chooses between a path and a function.
func IsIntrinsic(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "States.") && strings.Contains(s, "(")
}

// String returns the call as written.
func (c *Call) String() string { return c.text }

// Parse parses an intrinsic function call.
func Parse(expr string) (*Call, error) {
	p := &callParser{s: expr}
	p.skipSpace()
	c, err := p.call(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		return nil, p.errorf("unexpected %q after the call", p.s[p.pos:])
	}
	return c, nil
}

// MustParse is Parse for calls known to be valid (tests, constants).
func MustParse(expr string) *Call {
	c, err := Parse(expr)
	if err != nil {
		panic(err)
	}
	return c
}

type callParser struct {
	s   string
	pos int
}

func (p *callParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w %q at offset %d: %s", ErrSyntax, p.s, p.pos, fmt.Sprintf(format, args...))
}

func (p *callParser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

func (p *callParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *callParser) call(depth int) (*Call, error) {
	if depth >= maxNesting {
		return nil, p.errorf("calls nested too deeply")
	}
	start := p.pos
	if !strings.HasPrefix(p.s[p.pos:], "States.") {
		return nil, p.errorf("expected States.<function>(")
	}
	for p.pos < len(p.s) && p.s[p.pos] != '(' && p.s[p.pos] != ' ' {
		p.pos++
	}
	name := p.s[start:p.pos]
	fn := lookup(name)
	if fn == nil {
		return nil, p.errorf("unknown function %s", name)
	}
	p.skipSpace()
	if p.peek() != '(' {
		return nil, p.errorf("expected '(' after %s", name)
	}
	p.pos++
	c := &Call{Name: name, fn: fn}
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
		c.text = p.s[start:p.pos]
		return c, nil
	}
	for {
		a, err := p.arg(depth)
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, a)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
			continue
		case ')':
			p.pos++
			c.text = p.s[start:p.pos]
			return c, nil
		}
		return nil, p.errorf("expected ',' or ')'")
	}
}

func (p *callParser) arg(depth int) (Arg, error) {
	p.skipSpace()
	c := p.peek()
	switch {
	case c == '\'':
		s, err := p.stringLit()
		if err != nil {
			return Arg{}, err
		}
		return Arg{kind: argString, str: s}, nil
	case c == '$':
		text := p.pathText()
		r, err := ParseRef(text)
		if err != nil {
			return Arg{}, p.errorf("invalid path %s: %v", text, err)
		}
		return Arg{kind: argRef, ref: r}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		for p.pos < len(p.s) && strings.IndexByte("0123456789-+.eE", p.s[p.pos]) >= 0 {
			p.pos++
		}
		v, err := jsonvalue.ParseString(p.s[start:p.pos])
		if _, ok := v.(json.Number); err != nil || !ok {
			return Arg{}, p.errorf("invalid number %s", p.s[start:p.pos])
		}
		return Arg{kind: argLiteral, lit: v}, nil
	case strings.HasPrefix(p.s[p.pos:], "States."):
		call, err := p.call(depth + 1)
		if err != nil {
			return Arg{}, err
		}
		return Arg{kind: argCall, call: call}, nil
	}
	for _, w := range []struct {
		word string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(p.s[p.pos:], w.word) {
			p.pos += len(w.word)
			return Arg{kind: argLiteral, lit: w.v}, nil
		}
	}
	return Arg{}, p.errorf("unexpected argument")
}

// stringLit reads a single-quoted literal. AWS accepts only the escapes \' \{ \} \\;
// any other backslash makes the definition invalid.
func (p *callParser) stringLit() (*stringLit, error) {
	p.pos++ // opening quote
	var b strings.Builder
	lit := &stringLit{}
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch c {
		case '\'':
			p.pos++
			lit.value = b.String()
			return lit, nil
		case '\\':
			if p.pos+1 >= len(p.s) {
				return nil, p.errorf("unterminated escape")
			}
			e := p.s[p.pos+1]
			switch e {
			case '\'', '{', '}', '\\':
				b.WriteByte(e)
			default:
				return nil, p.errorf("invalid escape \\%c", e)
			}
			p.pos += 2
		case '{':
			if p.pos+1 < len(p.s) && p.s[p.pos+1] == '}' {
				lit.holes = append(lit.holes, b.Len())
				b.WriteString("{}")
				p.pos += 2
				continue
			}
			b.WriteByte(c)
			p.pos++
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return nil, p.errorf("unterminated string literal")
}

// pathText reads a path argument up to the ',' or ')' that ends it, keeping brackets,
// quoted names and parentheses (filters, path functions) whole.
func (p *callParser) pathText() string {
	start := p.pos
	brackets, parens := 0, 0
	var quote byte
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if quote != 0 {
			if c == '\\' {
				p.pos++
			} else if c == quote {
				quote = 0
			}
			p.pos++
			continue
		}
		switch c {
		case '\'', '"':
			if brackets > 0 {
				quote = c
			}
		case '[':
			brackets++
		case ']':
			brackets--
		case '(':
			parens++
		case ')':
			if parens == 0 && brackets <= 0 {
				return strings.TrimSpace(p.s[start:p.pos])
			}
			parens--
		case ',':
			if parens == 0 && brackets <= 0 {
				return strings.TrimSpace(p.s[start:p.pos])
			}
		}
		p.pos++
	}
	if p.pos > len(p.s) {
		p.pos = len(p.s)
	}
	return strings.TrimSpace(p.s[start:p.pos])
}
