package validate

import "strings"

// intrinsicFunctions are the States.* functions AWS defines
// (https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html).
func isIntrinsicFunction(name string) bool {
	switch name {
	case "Format", "StringToJson", "JsonToString", "Array", "ArrayPartition", "ArrayContains",
		"ArrayRange", "ArrayGetItem", "ArrayLength", "ArrayUnique", "Base64Encode", "Base64Decode",
		"Hash", "JsonMerge", "MathRandom", "MathAdd", "StringSplit", "UUID":
		return true
	}
	return false
}

// maxIntrinsicNesting is AWS's limit on nested intrinsic calls.
const maxIntrinsicNesting = 10

// validIntrinsic reports whether s is one well-formed intrinsic function call, such
// as States.Format('Hello {}', $.name). Inside a quoted argument only \' \{ \} and \\
// are escapes; AWS rejects any other backslash sequence at create time (recorded:
// States.Format('He said, \"Hello\"') is "not a valid intrinsic function call").
//
// The interpreter's parser decides; the local one adds AWS's limit of 10 nested calls,
// which the interpreter leaves to validation.
func validIntrinsic(s string) bool {
	p := &intrinsicParser{s: strings.TrimSpace(s)}
	if !p.call(0) {
		return false
	}
	p.space()
	return p.pos == len(p.s) && parseIntrinsic(s)
}

type intrinsicParser struct {
	s   string
	pos int
}

func (p *intrinsicParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

func (p *intrinsicParser) call(depth int) bool {
	if depth >= maxIntrinsicNesting || !strings.HasPrefix(p.s[p.pos:], "States.") {
		return false
	}
	p.pos += len("States.")
	start := p.pos
	for p.pos < len(p.s) && isIdentByte(p.s[p.pos]) {
		p.pos++
	}
	if !isIntrinsicFunction(p.s[start:p.pos]) {
		return false
	}
	p.space()
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return false
	}
	p.pos++
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == ')' {
		p.pos++
		return true
	}
	for {
		p.space()
		if !p.arg(depth) {
			return false
		}
		p.space()
		if p.pos >= len(p.s) {
			return false
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return true
		default:
			return false
		}
	}
}

func (p *intrinsicParser) arg(depth int) bool {
	if p.pos >= len(p.s) {
		return false
	}
	rest := p.s[p.pos:]
	switch ch := rest[0]; {
	case ch == '\'':
		return p.quoted()
	case ch == '$':
		return p.path()
	case strings.HasPrefix(rest, "States."):
		return p.call(depth + 1)
	case ch == '-' || (ch >= '0' && ch <= '9'):
		start := p.pos
		p.pos++
		for p.pos < len(p.s) && strings.IndexByte("0123456789.eE+-", p.s[p.pos]) >= 0 {
			p.pos++
		}
		return p.pos > start
	default:
		for _, w := range []string{"true", "false", "null"} {
			if strings.HasPrefix(rest, w) {
				p.pos += len(w)
				return true
			}
		}
		return false
	}
}

// quoted reads a single-quoted string argument.
func (p *intrinsicParser) quoted() bool {
	p.pos++
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case '\\':
			if p.pos+1 >= len(p.s) || strings.IndexByte(`'{}\`, p.s[p.pos+1]) < 0 {
				return false
			}
			p.pos += 2
		case '\'':
			p.pos++
			return true
		default:
			p.pos++
		}
	}
	return false
}

// path reads a path argument up to the ',' or ')' that ends it.
func (p *intrinsicParser) path() bool {
	start := p.pos
	depth := 0
	var quote byte
	for p.pos < len(p.s) {
		ch := p.s[p.pos]
		if quote != 0 {
			if ch == '\\' {
				p.pos++
			} else if ch == quote {
				quote = 0
			}
			p.pos++
			continue
		}
		switch ch {
		case '\'', '"':
			quote = ch
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')':
			if depth == 0 {
				return validPath(strings.TrimSpace(p.s[start:p.pos]))
			}
			depth--
		case ',':
			if depth == 0 {
				return validPath(strings.TrimSpace(p.s[start:p.pos]))
			}
		}
		p.pos++
	}
	return false
}
