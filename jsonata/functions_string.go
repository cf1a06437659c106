package jsonata

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxStringLength bounds the strings $pad builds, so that one expression cannot
// exhaust memory; JavaScript fails with a RangeError somewhat higher.
const maxStringLength = 1 << 24

// fnString is $string: strings unchanged, other values as JSON (indented when
// prettify is true) with numbers at 15 significant digits.
func fnString(_ call, args []any) (any, error) {
	v := arg(args, 0)
	if isUndef(v) {
		return v, nil
	}
	pretty, _ := arg(args, 1).(bool)
	return stringify(v, pretty)
}

// jsIndex converts a JavaScript slice index (possibly fractional or negative) into
// a position in [0, n].
func jsIndex(f float64, n int) int {
	if math.IsNaN(f) {
		return 0
	}
	f = math.Trunc(f)
	if f < 0 {
		f += float64(n)
		if f < 0 {
			return 0
		}
	}
	if f > float64(n) {
		return n
	}
	return int(f)
}

// fnSubstring works in code points, as jsonata-js does (it splits strings with
// Array.from).
func fnSubstring(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	runes := []rune(s)
	n := len(runes)
	start, ok := toFloat(arg(args, 1))
	if !ok {
		// An undefined start is NaN in jsonata-js: slice(NaN, NaN) is empty.
		if isUndef(arg(args, 2)) {
			return s, nil
		}
		return "", nil
	}
	if float64(n)+start < 0 {
		start = 0
	}
	if l, ok := toFloat(arg(args, 2)); ok {
		if l <= 0 {
			return "", nil
		}
		end := start + l
		if start < 0 {
			end = float64(n) + start + l
		}
		from, to := jsIndex(start, n), jsIndex(end, n)
		if from >= to {
			return "", nil
		}
		return string(runes[from:to]), nil
	}
	return string(runes[jsIndex(start, n):]), nil
}

// fnSubstringBefore is $substringBefore: the whole string when chars does not occur.
func fnSubstringBefore(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[:i], nil
	}
	return s, nil
}

// fnSubstringAfter is $substringAfter: the whole string when chars does not occur.
func fnSubstringAfter(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	chars, _ := arg(args, 1).(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[i+len(chars):], nil
	}
	return s, nil
}

// stringFunc applies f to a string argument; undefined stays undefined.
func stringFunc(args []any, f func(string) any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	return f(s), nil
}

// JavaScript applies Unicode's unconditional special casings, which expand some
// characters (ß to SS); Go's simple case mapping does not, so they are listed.
var (
	upperSpecial = strings.NewReplacer("ß", "SS", "ﬀ", "FF", "ﬁ", "FI", "ﬂ", "FL", "ﬃ", "FFI", "ﬄ", "FFL", "ﬅ", "ST", "ﬆ", "ST", "ŉ", "ʼN", "և", "ԵՒ")
	lowerSpecial = strings.NewReplacer("İ", "i\u0307")
)

// fnLowercase is $lowercase.
func fnLowercase(_ call, args []any) (any, error) {
	return stringFunc(args, func(s string) any { return strings.ToLower(lowerSpecial.Replace(s)) })
}

// fnUppercase is $uppercase.
func fnUppercase(_ call, args []any) (any, error) {
	return stringFunc(args, func(s string) any { return strings.ToUpper(upperSpecial.Replace(s)) })
}

// fnLength is $length, in code points as jsonata-js counts them.
func fnLength(_ call, args []any) (any, error) {
	return stringFunc(args, func(s string) any { return float64(utf8.RuneCountInString(s)) })
}

// fnTrim is $trim: runs of spaces, tabs and line breaks become one space, and the
// ends are stripped.
func fnTrim(_ call, args []any) (any, error) {
	return stringFunc(args, func(s string) any {
		var b strings.Builder
		inSpace := false
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				if !inSpace {
					b.WriteByte(' ')
				}
				inSpace = true
				continue
			}
			inSpace = false
			b.WriteByte(c)
		}
		r := b.String()
		r = strings.TrimPrefix(r, " ")
		return strings.TrimSuffix(r, " ")
	})
}

// fnPad is $pad: padded on the right for a positive width, on the left for a
// negative one, with a padding string that may be longer than one character.
func fnPad(_ call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	width, _ := toFloat(arg(args, 1))
	char, _ := arg(args, 2).(string)
	if char == "" {
		char = " "
	}
	if math.Abs(width) > maxStringLength {
		// JavaScript cannot build such a string either (RangeError).
		return nil, valErr("D1001", width)
	}
	padLength := int(math.Abs(width)) - utf8.RuneCountInString(s)
	if padLength <= 0 {
		return s, nil
	}
	padding := strings.Repeat(char, padLength)
	if utf8.RuneCountInString(char) > 1 {
		padding = string([]rune(padding)[:padLength])
	}
	if width > 0 {
		return s + padding, nil
	}
	return padding + s, nil
}

// limitArg reads an optional limit argument: -1 when absent, an error when negative.
func limitArg(args []any, i int, code string) (int, error) {
	l, ok := toFloat(arg(args, i))
	if !ok {
		return -1, nil
	}
	if l < 0 {
		return 0, withInfo(code, errInfo{value: l, hasValue: true, index: i + 1})
	}
	if l > math.MaxInt32 {
		return math.MaxInt32, nil
	}
	return int(math.Ceil(l)), nil
}

// fnContains is $contains, with a string or a regex.
func fnContains(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	if tok, ok := arg(args, 1).(string); ok {
		return strings.Contains(s, tok), nil
	}
	ms, err := c.findMatches(arg(args, 1), s, 1)
	if err != nil {
		return nil, err
	}
	return len(ms) > 0, nil
}

// fnMatch is $match: {match, index, groups} for each match, up to a limit.
func fnMatch(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	limit, err := limitArg(args, 2, "D3040")
	if err != nil {
		return nil, err
	}
	result := newSeq(0)
	if limit == 0 {
		return result, nil
	}
	ms, err := c.findMatches(arg(args, 1), s, limit)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		result.items = append(result.items, matchObject(s, m, false))
	}
	return result, nil
}

// fnReplace is $replace: every match (up to a limit) replaced by a string, where
// $0, $1... and $$ refer to the match, or by the result of a function of the match
// object.
func fnReplace(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	pattern := arg(args, 1)
	if p, ok := pattern.(string); ok && p == "" {
		return nil, withInfo("D3010", errInfo{value: p, hasValue: true, index: 2})
	}
	limit, err := limitArg(args, 3, "D3011")
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		return s, nil
	}
	replacement := arg(args, 2)
	if p, ok := pattern.(string); ok {
		rs, _ := stringify(replacement, false)
		if limit < 0 {
			return strings.ReplaceAll(s, p, rs), nil
		}
		return strings.Replace(s, p, rs, limit), nil
	}
	ms, err := c.findMatches(pattern, s, limit)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return s, nil
	}
	var b strings.Builder
	pos := 0
	for _, m := range ms {
		b.WriteString(s[pos:m.start])
		if rs, ok := replacement.(string); ok {
			b.WriteString(expandReplacement(rs, m))
		} else {
			v, err := c.ev.apply(replacement, []any{matchObject(s, m, true)}, nil, c.env, "", 0)
			if err != nil {
				return nil, err
			}
			vs, ok := v.(string)
			if !ok {
				return nil, valErr("D3012", v)
			}
			b.WriteString(vs)
		}
		pos = m.start + len(m.match)
	}
	b.WriteString(s[pos:])
	return b.String(), nil
}

// expandReplacement substitutes $0, $1... and $$ in a replacement string, reading
// as many digits as the number of groups allows, as jsonata-js does.
func expandReplacement(repl string, m regexMatch) string {
	var b strings.Builder
	pos := 0
	index := strings.IndexByte(repl, '$')
	for index >= 0 && pos < len(repl) {
		b.WriteString(repl[pos:index])
		pos = index + 1
		var dollar byte
		if pos < len(repl) {
			dollar = repl[pos]
		}
		switch {
		case dollar == '$':
			b.WriteByte('$')
			pos++
		case dollar == '0':
			b.WriteString(m.match)
			pos++
		default:
			maxDigits := 1
			if len(m.groups) > 0 {
				maxDigits = int(math.Floor(math.Log10(float64(len(m.groups))))) + 1
			}
			idx, ok := leadingInt(repl[pos:min(pos+maxDigits, len(repl))])
			if maxDigits > 1 && idx > len(m.groups) {
				idx, ok = leadingInt(repl[pos:min(pos+maxDigits-1, len(repl))])
			}
			if ok {
				if len(m.groups) > 0 && idx >= 1 && idx <= len(m.groups) {
					if g, ok := m.groups[idx-1].(string); ok {
						b.WriteString(g)
					}
				}
				pos += len(strconv.Itoa(idx))
			} else {
				b.WriteByte('$')
			}
		}
		next := strings.IndexByte(repl[min(pos, len(repl)):], '$')
		if next < 0 {
			index = -1
		} else {
			index = pos + next
		}
	}
	if pos < len(repl) {
		b.WriteString(repl[pos:])
	}
	return b.String()
}

// leadingInt is parseInt(s, 10): the leading decimal digits of s.
func leadingInt(s string) (int, bool) {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 {
		return 0, false
	}
	v, err := strconv.Atoi(s[:n])
	return v, err == nil
}

// fnSplit is $split, by a string or a regex, up to a limit.
func fnSplit(c call, args []any) (any, error) {
	s, ok := arg(args, 0).(string)
	if !ok {
		return undefinedValue{}, nil
	}
	limit, err := limitArg(args, 2, "D3020")
	if err != nil {
		return nil, err
	}
	result := []any{}
	if limit == 0 {
		return result, nil
	}
	if sep, ok := arg(args, 1).(string); ok {
		var parts []string
		if sep == "" {
			for _, r := range s {
				parts = append(parts, string(r))
			}
		} else {
			parts = strings.Split(s, sep)
		}
		if l, ok := toFloat(arg(args, 2)); ok {
			// String.prototype.split truncates its limit.
			limit = int(math.Min(l, math.MaxInt32))
		}
		for _, p := range parts {
			if limit >= 0 && len(result) >= limit {
				break
			}
			result = append(result, p)
		}
		return result, nil
	}
	ms, err := c.findMatches(arg(args, 1), s, limit)
	if err != nil {
		return nil, err
	}
	start := 0
	for _, m := range ms {
		result = append(result, s[start:m.start])
		start = m.end
	}
	if limit < 0 || len(ms) < limit {
		result = append(result, s[start:])
	}
	return result, nil
}

// fnJoin is $join; the signature has checked that the items are strings.
func fnJoin(_ call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	sep, _ := arg(args, 1).(string)
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i], _ = it.(string)
	}
	return strings.Join(parts, sep), nil
}

// fnBase64Encode encodes the string's UTF-16 code units as Latin-1 bytes, what
// Buffer.from(str, 'binary') does in jsonata-js.
func fnBase64Encode(_ call, args []any) (any, error) {
	return stringFunc(args, func(s string) any {
		b := make([]byte, 0, len(s))
		for _, r := range s {
			if r >= 0x10000 {
				r -= 0x10000
				b = append(b, byte((0xD800+(r>>10))&0xFF), byte((0xDC00+(r&0x3FF))&0xFF))
				continue
			}
			b = append(b, byte(r))
		}
		return base64.StdEncoding.EncodeToString(b)
	})
}

// fnBase64Decode is $base64decode: the decoded bytes read as Latin-1, what
// Buffer.toString('binary') does in jsonata-js.
func fnBase64Decode(_ call, args []any) (any, error) {
	return stringFunc(args, func(s string) any {
		clean := strings.Map(func(r rune) rune {
			if r == '=' || r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, s)
		b, err := base64.RawStdEncoding.DecodeString(clean)
		if err != nil {
			b, _ = base64.RawURLEncoding.DecodeString(clean)
		}
		runes := make([]rune, len(b))
		for i, c := range b {
			runes[i] = rune(c)
		}
		return string(runes)
	})
}
