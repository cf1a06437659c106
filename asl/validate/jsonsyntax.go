package validate

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"stepline/jsonvalue"
)

// parse decodes the definition, reporting the problems AWS reports before looking at
// any field: an empty text, a JSON syntax error (INVALID_JSON_DESCRIPTION, in the
// words of the Jackson parser AWS runs) and a document that is not an object.
func (c *checker) parse(definition string) (*jsonvalue.Object, bool) {
	if strings.TrimSpace(definition) == "" {
		// Recorded: ValidateStateMachineDefinition with an empty definition.
		c.schema("", "Definition must be a valid JSON object")
		return nil, false
	}
	v, err := jsonvalue.ParseString(definition)
	if err != nil {
		c.errorf("", CodeInvalidJSON, "%s", jacksonMessage(definition))
		return nil, false
	}
	obj, ok := v.(*jsonvalue.Object)
	if !ok {
		c.schema("", "Definition must be a valid JSON object")
		return nil, false
	}
	return obj, true
}

// jacksonMessage describes the first syntax error in text the way Jackson does,
// location included, e.g. "Unrecognized token 'not': was expecting (JSON String,
// Number, Array, Object or token 'null', 'true' or 'false')\n at [Source:
// (String)"not json"; line: 1, column: 4]".
func jacksonMessage(text string) string {
	s := &jscan{text: text}
	s.space()
	if s.value(0) && s.err == "" {
		s.space()
		if s.pos < len(s.text) {
			s.unexpected("expected end-of-input")
		}
	}
	if s.err == "" {
		// Our parser and this scanner disagree (a limit of depth, say): still say
		// something Jackson-like rather than nothing.
		s.fail("Unexpected end-of-input")
	}
	return s.err + "\n at " + s.source(s.errPos)
}

const valueExpected = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"

// jscan is a JSON scanner whose only product is the first error, phrased as Jackson
// phrases it.
type jscan struct {
	text   string
	pos    int
	err    string
	errPos int
}

func (s *jscan) fail(msg string) bool {
	if s.err == "" {
		s.err, s.errPos = msg, s.pos
	}
	return false
}

// unexpected reports the character at pos; Jackson's position is just past it.
func (s *jscan) unexpected(what string) bool {
	r, n := utf8.DecodeRuneInString(s.text[s.pos:])
	s.pos += n
	return s.fail(fmt.Sprintf("Unexpected character (%s): %s", charDesc(r), what))
}

func charDesc(r rune) string {
	if r < 0x20 {
		return fmt.Sprintf("CTRL-CHAR, code %d", r)
	}
	return fmt.Sprintf("'%c' (code %d)", r, r)
}

func (s *jscan) space() {
	for s.pos < len(s.text) {
		switch s.text[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

func (s *jscan) eof(what string) bool {
	return s.fail("Unexpected end-of-input" + what)
}

func (s *jscan) value(depth int) bool {
	if depth > 1000 {
		return s.fail("Maximum nesting depth exceeded")
	}
	if s.pos >= len(s.text) {
		return s.eof(": expected a valid value " + valueExpected)
	}
	switch ch := s.text[s.pos]; {
	case ch == '{':
		return s.container(depth, '}', "Object")
	case ch == '[':
		return s.container(depth, ']', "Array")
	case ch == '"':
		return s.str()
	case ch == '-' || (ch >= '0' && ch <= '9'):
		return s.num()
	case isWordByte(ch):
		return s.word()
	default:
		return s.unexpected("expected a valid value " + valueExpected)
	}
}

func isWordByte(ch byte) bool {
	return ch == '_' || ch == '$' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch >= 0x80
}

// word reads a bare token: true, false, null, or one Jackson calls unrecognized.
func (s *jscan) word() bool {
	start := s.pos
	for s.pos < len(s.text) && isWordByte(s.text[s.pos]) {
		s.pos++
	}
	switch w := s.text[start:s.pos]; w {
	case "true", "false", "null":
		return true
	default:
		return s.fail(fmt.Sprintf("Unrecognized token '%s': was expecting %s", w, valueExpected))
	}
}

func (s *jscan) num() bool {
	start := s.pos
	if s.text[s.pos] == '-' {
		s.pos++
	}
	digits := func() int {
		n := 0
		for s.pos < len(s.text) && s.text[s.pos] >= '0' && s.text[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	intStart := s.pos
	if digits() == 0 {
		if s.pos >= len(s.text) {
			return s.eof(" in a Number value")
		}
		return s.unexpected("expected digit (0-9) to follow minus sign, for valid numeric value")
	}
	if s.text[intStart] == '0' && s.pos-intStart > 1 {
		return s.fail("Invalid numeric value: Leading zeroes not allowed")
	}
	if s.pos < len(s.text) && s.text[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			if s.pos >= len(s.text) {
				return s.eof(" in a Number value")
			}
			return s.unexpected("Decimal point not followed by a digit")
		}
	}
	if s.pos < len(s.text) && (s.text[s.pos] == 'e' || s.text[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.text) && (s.text[s.pos] == '+' || s.text[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			if s.pos >= len(s.text) {
				return s.eof(" in a Number value")
			}
			return s.unexpected("Exponent indicator not followed by a digit")
		}
	}
	_ = start
	return true
}

func (s *jscan) str() bool {
	s.pos++ // opening quote
	for s.pos < len(s.text) {
		ch := s.text[s.pos]
		switch {
		case ch == '"':
			s.pos++
			return true
		case ch == '\\':
			s.pos++
			if s.pos >= len(s.text) {
				return s.eof(": was expecting closing quote for a string value")
			}
			e := s.text[s.pos]
			switch e {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				s.pos++
				for i := 0; i < 4; i++ {
					if s.pos >= len(s.text) {
						return s.eof(" in character escape sequence")
					}
					if !isHex(s.text[s.pos]) {
						return s.unexpected("expected a hex-digit for character escape sequence")
					}
					s.pos++
				}
			default:
				return s.unexpected("Unrecognized character escape")
			}
		case ch < 0x20:
			s.pos++
			return s.fail(fmt.Sprintf("Illegal unquoted character ((%s)): has to be escaped using backslash to be included in string value", charDesc(rune(ch))))
		default:
			s.pos++
		}
	}
	return s.eof(": was expecting closing quote for a string value")
}

func isHex(ch byte) bool {
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')
}

// container scans an object or an array.
func (s *jscan) container(depth int, closer byte, kind string) bool {
	open := s.pos
	s.pos++
	s.space()
	endOfInput := func() bool {
		return s.eof(": expected close marker for " + kind + " (start marker at " + s.source(open) + ")")
	}
	if s.pos < len(s.text) && s.text[s.pos] == closer {
		s.pos++
		return true
	}
	for {
		if s.pos >= len(s.text) {
			return endOfInput()
		}
		if kind == "Object" {
			if s.text[s.pos] != '"' {
				return s.unexpected("was expecting double-quote to start field name")
			}
			if !s.str() {
				return false
			}
			s.space()
			if s.pos >= len(s.text) {
				return endOfInput()
			}
			if s.text[s.pos] != ':' {
				return s.unexpected("was expecting a colon to separate field name and value")
			}
			s.pos++
			s.space()
		}
		if !s.value(depth + 1) {
			return false
		}
		s.space()
		if s.pos >= len(s.text) {
			return endOfInput()
		}
		switch s.text[s.pos] {
		case ',':
			s.pos++
			s.space()
		case closer:
			s.pos++
			return true
		default:
			return s.unexpected("was expecting comma to separate " + kind + " entries")
		}
	}
}

// source is Jackson's location suffix for byte offset pos (the position just past
// what it read): [Source: (String)"<text>"; line: L, column: C]. Jackson shows at
// most 500 characters of the text.
func (s *jscan) source(pos int) string {
	line, col := 1, 1
	for i, r := range s.text {
		if i >= pos {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	shown := s.text
	suffix := ""
	if n := utf8.RuneCountInString(shown); n > 500 {
		cut := 0
		for i := range shown {
			if cut == 500 {
				shown = shown[:i]
				break
			}
			cut++
		}
		suffix = fmt.Sprintf("[truncated %d chars]", n-500)
	}
	return fmt.Sprintf("[Source: (String)\"%s\"%s; line: %d, column: %d]", shown, suffix, line, col)
}
