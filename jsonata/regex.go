package jsonata

import (
	"regexp"
	"strings"

	"stepline/jsonvalue"
)

// JSONata regex literals (/pattern/flags) use JavaScript syntax. They are
// translated to Go's RE2 syntax, which covers what expressions in practice use:
// classes, groups (named ones too), lazy and possessive-free quantifiers, anchors,
// \b, \d, \w, \s and \uXXXX escapes, and the i and m flags. RE2 cannot express
// lookahead ((?=, (?!), lookbehind ((?<=, (?<!) or backreferences (\1); such a
// literal fails to compile with error S0303 instead of being evaluated
// differently. Matching positions are byte offsets internally and are reported
// in UTF-16 code units, as JavaScript reports them.

// jsSpaces is the contents of a class matching what JavaScript's \s matches.
const jsSpaces = `\t\n\v\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`

// regex is a compiled regex literal.
type regex struct {
	re     *regexp.Regexp
	source string
}

// compileRegex compiles a regex literal with its i and m flags.
func compileRegex(pattern, flags string) (*regex, *Error) {
	translated, ok := translateRegex(pattern)
	if !ok {
		return nil, withInfo("S0303", errInfo{value: pattern, hasValue: true})
	}
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "i"
	}
	if strings.Contains(flags, "m") {
		prefix += "m"
	}
	if prefix != "" {
		translated = "(?" + prefix + ")" + translated
	}
	re, err := regexp.Compile(translated)
	if err != nil {
		return nil, withInfo("S0303", errInfo{value: pattern, hasValue: true})
	}
	return &regex{re: re, source: pattern}, nil
}

// translateRegex rewrites the JavaScript-only parts of a pattern into RE2 syntax.
// It reports false for constructs RE2 cannot express.
func translateRegex(p string) (string, bool) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n == 'u' && isHex4(p[i+2:min(i+6, len(p))]):
				b.WriteString(`\x{` + p[i+2:i+6] + `}`)
				i += 5
				continue
			case n >= '1' && n <= '9' && !inClass:
				return "", false
			case n == 's':
				// JavaScript's \s also matches \v and the Unicode spaces.
				if inClass {
					b.WriteString(jsSpaces)
				} else {
					b.WriteString("[" + jsSpaces + "]")
				}
			case n == 'd' || n == 'D' || n == 'w' || n == 'W' || n == 'S' || n == 'b' || n == 'B':
				b.WriteByte('\\')
				b.WriteByte(n)
			case n == '/':
				b.WriteByte('/')
			case n == '0':
				b.WriteString(`\x00`)
			default:
				b.WriteByte('\\')
				b.WriteByte(n)
			}
			i++
		case c == '[' && !inClass:
			inClass = true
			if strings.HasPrefix(p[i:], "[^]") {
				b.WriteString(`[\s\S]`)
				i += 2
				inClass = false
				continue
			}
			b.WriteByte(c)
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '(' && !inClass && strings.HasPrefix(p[i:], "(?"):
			rest := p[i+2:]
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "!") ||
				strings.HasPrefix(rest, "<=") || strings.HasPrefix(rest, "<!") {
				return "", false
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// isHex4 reports whether s is four hexadecimal digits.
func isHex4(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// matcher is the function a regex literal evaluates to.
type matcher struct {
	re  *regex
	pos int
}

// regexMatch is one match: byte offsets into the subject and the groups.
type regexMatch struct {
	match      string
	start, end int
	groups     []any
}

// matchAll returns the successive matches of m in s, as jsonata-js's regex closure
// and its next() produce them: iteration stops at the end of the string, and a
// further match that is empty is error D1004.
func (m *matcher) matchAll(s string, limit int) ([]regexMatch, error) {
	locs := m.re.re.FindAllStringSubmatchIndex(s, -1)
	var out []regexMatch
	for k, loc := range locs {
		if limit >= 0 && len(out) >= limit {
			break
		}
		if k > 0 {
			prev := out[len(out)-1]
			if prev.end >= len(s) {
				break
			}
			if prev.start == prev.end || loc[0] == loc[1] {
				e := withInfo("D1004", errInfo{value: m.re.source, hasValue: true})
				e.Position = m.pos
				return nil, e
			}
		}
		rm := regexMatch{match: s[loc[0]:loc[1]], start: loc[0], end: loc[1], groups: make([]any, 0, len(loc)/2-1)}
		for g := 2; g+1 < len(loc); g += 2 {
			if loc[g] < 0 {
				// An unmatched group is undefined in JavaScript.
				rm.groups = append(rm.groups, undefinedValue{})
			} else {
				rm.groups = append(rm.groups, s[loc[g]:loc[g+1]])
			}
		}
		out = append(out, rm)
	}
	return out, nil
}

// call applies a regex as a function: /re/(str) returns the first match as an
// object {match, start, end, groups}.
func (m *matcher) call(args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	ms, err := m.matchAll(s, 1)
	if err != nil || len(ms) == 0 {
		return undefinedValue{}, err
	}
	return matchObject(s, ms[0], true), nil
}

// matchObject is the object a match is shown as: {match, index, groups} for
// $match, {match, start, end, groups} for custom matchers and replacement functions.
func matchObject(s string, rm regexMatch, withEnd bool) *jsonvalue.Object {
	o := jsonvalue.NewObject(4)
	o.Set("match", rm.match)
	if withEnd {
		o.Set("start", float64(utf16Len(s[:rm.start])))
		o.Set("end", float64(utf16Len(s[:rm.end])))
	} else {
		o.Set("index", float64(utf16Len(s[:rm.start])))
	}
	o.Set("groups", append([]any{}, rm.groups...))
	return o
}

// utf16Len is the length of s in UTF-16 code units, JavaScript's string length.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// findMatches runs a matcher argument of $match, $replace, $split or $contains.
// A regex literal is matched directly; any other function is called with the
// string and must return a match object, else T1010.
func (c call) findMatches(fn any, s string, limit int) ([]regexMatch, error) {
	if m, ok := fn.(*matcher); ok {
		return m.matchAll(s, limit)
	}
	// A custom matcher returns {match, start, end, groups, next}; next() gives
	// the following match.
	var out []regexMatch
	res, err := c.ev.apply(fn, []any{s}, nil, c.env, "", 0)
	for err == nil && !isUndef(res) && (limit < 0 || len(out) < limit) {
		o, ok := res.(*jsonvalue.Object)
		if !ok {
			return nil, newErr("T1010", 0, "")
		}
		start, ok1 := o.Get("start")
		_, ok2 := o.Get("groups")
		next, _ := o.Get("next")
		if !ok1 && !ok2 && !isFunction(next) {
			return nil, newErr("T1010", 0, "")
		}
		mv, _ := o.Get("match")
		ms, _ := mv.(string)
		st, _ := toFloat(start)
		bstart := byteOffset(s, int(st))
		rm := regexMatch{match: ms, start: bstart, end: min(bstart+len(ms), len(s))}
		if g, ok := o.Get("groups"); ok {
			rm.groups, _ = arrayItems(g)
		}
		out = append(out, rm)
		if !isFunction(next) {
			break
		}
		res, err = c.ev.apply(next, nil, nil, c.env, "", 0)
	}
	return out, err
}

// byteOffset converts a UTF-16 offset into a byte offset of s.
func byteOffset(s string, units int) int {
	n := 0
	for i, r := range s {
		if n >= units {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}
