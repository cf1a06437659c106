package jsonata

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// tokenKind classifies a lexical token as jsonata-js's tokenizer does.
type tokenKind int

const (
	tokEnd tokenKind = iota
	tokOperator
	tokString
	tokNumber
	tokValue // true, false, null
	tokName
	tokVariable
	tokRegex
)

// token is one lexical token. Position is the offset just past the token, the
// convention jsonata-js uses when it reports errors.
type token struct {
	kind  tokenKind
	str   string // operator, name, variable, string value or regex pattern
	num   float64
	value any // for tokValue: true, false or nil
	flags string
	pos   int
}

// operators maps each operator to its binding power (jsonata-js parser.js).
func operatorPower(op string) (int, bool) {
	switch op {
	case ".":
		return 75, true
	case "[", "(", "@", "#", ";", ":":
		return 80, true
	case "{":
		return 70, true
	case "]", "}", ")", ",", "!", "~":
		return 0, true
	case "?", "|", "..":
		return 20, true
	case "+", "-", "&":
		return 50, true
	case "*", "/", "%", "**":
		return 60, true
	case "=", "<", ">", "^", "!=", "<=", ">=", "~>", "in":
		return 40, true
	case ":=":
		return 10, true
	case "and":
		return 30, true
	case "or":
		return 25, true
	}
	return 0, false
}

// isSingleOperator reports whether c is a one-character operator, which also ends a name.
func isSingleOperator(c byte) bool {
	return strings.IndexByte(".[]{}(),@#;:?+-*/%|=<>^&!~", c) >= 0
}

// lexer turns an expression into tokens on demand; the parser tells it whether a
// '/' may start a regex literal.
type lexer struct {
	src string
	pos int
}

// isSpace is the whitespace jsonata-js skips between tokens.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' }

// next returns the next token. prefix is true when the previous token was an
// operand, so that '/' means division; otherwise '/' starts a regex literal.
func (l *lexer) next(prefix bool) (token, error) {
	src := l.src
	for l.pos < len(src) && isSpace(src[l.pos]) {
		l.pos++
	}
	if l.pos >= len(src) {
		return token{kind: tokEnd, pos: len(src)}, nil
	}
	c := src[l.pos]
	if c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '*' {
		start := l.pos
		end := strings.Index(src[l.pos+2:], "*/")
		if end < 0 {
			return token{}, newErr("S0106", start, "")
		}
		l.pos += 2 + end + 2
		return l.next(prefix)
	}
	if !prefix && c == '/' {
		l.pos++
		return l.scanRegex()
	}
	if l.pos+1 < len(src) {
		two := src[l.pos : l.pos+2]
		switch two {
		case "..", ":=", "!=", ">=", "<=", "**", "~>":
			l.pos += 2
			return token{kind: tokOperator, str: two, pos: l.pos}, nil
		}
	}
	if isSingleOperator(c) {
		l.pos++
		return token{kind: tokOperator, str: string(c), pos: l.pos}, nil
	}
	if c == '"' || c == '\'' {
		return l.scanString(c)
	}
	if n := scanNumber(src[l.pos:]); n > 0 {
		text := src[l.pos : l.pos+n]
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return token{}, newErr("S0102", l.pos, text)
		}
		l.pos += n
		return token{kind: tokNumber, num: f, pos: l.pos}, nil
	}
	if c == '`' {
		end := strings.IndexByte(src[l.pos+1:], '`')
		if end < 0 {
			l.pos = len(src)
			return token{}, newErr("S0105", l.pos, "")
		}
		name := src[l.pos+1 : l.pos+1+end]
		l.pos += end + 2
		return token{kind: tokName, str: name, pos: l.pos}, nil
	}
	i := l.pos
	for i < len(src) && !isSpace(src[i]) && !isSingleOperator(src[i]) {
		i++
	}
	word := src[l.pos:i]
	l.pos = i
	if strings.HasPrefix(word, "$") {
		return token{kind: tokVariable, str: word[1:], pos: i}, nil
	}
	switch word {
	case "or", "in", "and":
		return token{kind: tokOperator, str: word, pos: i}, nil
	case "true":
		return token{kind: tokValue, value: true, pos: i}, nil
	case "false":
		return token{kind: tokValue, value: false, pos: i}, nil
	case "null":
		return token{kind: tokValue, value: nil, pos: i}, nil
	}
	return token{kind: tokName, str: word, pos: i}, nil
}

// scanNumber returns the length of the JSON-style number at the start of s
// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?), or 0.
func scanNumber(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) || s[i] < '0' || s[i] > '9' {
		return 0
	}
	if s[i] == '0' {
		i++
	} else {
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	return i
}

// scanString reads a string literal in single or double quotes, with JSON escapes
// (S0103 for others, S0104 for a bad \\u, S0101 when unterminated).
func (l *lexer) scanString(quote byte) (token, error) {
	src := l.src
	l.pos++
	var b strings.Builder
	for l.pos < len(src) {
		c := src[l.pos]
		switch {
		case c == '\\':
			l.pos++
			if l.pos >= len(src) {
				return token{}, newErr("S0103", l.pos, "")
			}
			e := src[l.pos]
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := hex4(src, l.pos+1)
				if !ok {
					return token{}, newErr("S0104", l.pos, "")
				}
				l.pos += 4
				// A surrogate pair arrives as two escapes; join them as JavaScript's
				// UTF-16 strings would.
				if utf16.IsSurrogate(r) && strings.HasPrefix(src[l.pos+1:], "\\u") {
					if r2, ok := hex4(src, l.pos+3); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							l.pos += 6
						}
					}
				}
				if utf16.IsSurrogate(r) {
					// A lone surrogate has no UTF-8 form; keep it as WTF-8 bytes so
					// that the URL functions can reject it as JavaScript does.
					b.WriteByte(byte(0xE0 | r>>12))
					b.WriteByte(byte(0x80 | (r>>6)&0x3F))
					b.WriteByte(byte(0x80 | r&0x3F))
				} else {
					b.WriteRune(r)
				}
			default:
				_, size := utf8.DecodeRuneInString(src[l.pos:])
				return token{}, newErr("S0103", l.pos, src[l.pos:l.pos+size])
			}
			l.pos++
		case c == quote:
			l.pos++
			return token{kind: tokString, str: b.String(), pos: l.pos}, nil
		default:
			b.WriteByte(c)
			l.pos++
		}
	}
	return token{}, newErr("S0101", l.pos, "")
}

// hex4 reads four hexadecimal digits at s[at:].
func hex4(s string, at int) (rune, bool) {
	if at+4 > len(s) {
		return 0, false
	}
	v, err := strconv.ParseUint(s[at:at+4], 16, 32)
	if err != nil || strings.ContainsAny(s[at:at+4], "+-") {
		return 0, false
	}
	return rune(v), true
}

// scanRegex reads a regex literal after its opening '/': the pattern runs to the
// next unescaped '/' outside any bracket, followed by the flags i and m.
func (l *lexer) scanRegex() (token, error) {
	src := l.src
	start := l.pos
	depth := 0
	for l.pos < len(src) {
		c := src[l.pos]
		if c == '/' && depth == 0 {
			bs := 0
			for l.pos-bs-1 >= 0 && src[l.pos-bs-1] == '\\' {
				bs++
			}
			if bs%2 == 0 {
				pattern := src[start:l.pos]
				if pattern == "" {
					return token{}, newErr("S0301", l.pos, "")
				}
				l.pos++
				fs := l.pos
				for l.pos < len(src) && (src[l.pos] == 'i' || src[l.pos] == 'm') {
					l.pos++
				}
				return token{kind: tokRegex, str: pattern, flags: src[fs:l.pos], pos: l.pos}, nil
			}
		}
		prevEscaped := l.pos > 0 && src[l.pos-1] == '\\'
		if (c == '(' || c == '[' || c == '{') && !prevEscaped {
			depth++
		}
		if (c == ')' || c == ']' || c == '}') && !prevEscaped {
			depth--
		}
		l.pos++
	}
	return token{}, newErr("S0302", l.pos, "")
}
