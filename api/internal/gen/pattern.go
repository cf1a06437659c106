package main

import (
	"fmt"
	"regexp"
	"strings"
)

// javaDot is what an unescaped "." matches in a Java regular expression
// without DOTALL: anything but a line terminator.
const javaDot = `[^\n\r\x{85}\x{2028}\x{2029}]`

// translatePattern turns a model pattern (a Java regular expression that must
// match the whole value) into RE2 expressions that must all match. RE2 has no
// lookahead, so a leading "^(?=X)rest" becomes two expressions: X anchored at
// the start, and rest matching the whole value.
func translatePattern(java string) ([]string, error) {
	var out []string
	rest := java
	for strings.HasPrefix(rest, "^(?=") {
		end, err := closingParen(rest, 1)
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", java, err)
		}
		look, err := convertJava(rest[len("^(?="):end])
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", java, err)
		}
		out = append(out, `\A(?:`+look+`)`)
		rest = "^" + rest[end+1:]
	}
	body, err := convertJava(rest)
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %w", java, err)
	}
	out = append(out, `\A(?:`+body+`)\z`)
	for _, re := range out {
		if _, err := regexp.Compile(re); err != nil {
			return nil, fmt.Errorf("pattern %q needs a hand translation: %w", java, err)
		}
	}
	return out, nil
}

// closingParen returns the index of the parenthesis closing the one at open.
func closingParen(s string, open int) (int, error) {
	depth, inClass := 0, false
	for i := open; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("unbalanced parenthesis")
}

// convertJava rewrites the Java-only pieces of a pattern the models use:
// \p{ASCII} and the line-terminator-excluding ".". Anything else RE2 cannot
// compile is reported by the caller.
func convertJava(p string) (string, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			if strings.HasPrefix(p[i:], `\p{ASCII}`) {
				if inClass {
					b.WriteString(`\x00-\x7F`)
				} else {
					b.WriteString(`[\x00-\x7F]`)
				}
				i += len(`\p{ASCII}`) - 1
				continue
			}
			b.WriteString(p[i : i+2])
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			// A "]" right after "[" or "[^" is a literal in Java too.
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
		case c == '.':
			b.WriteString(javaDot)
		default:
			b.WriteByte(c)
		}
	}
	if inClass {
		return "", fmt.Errorf("unterminated character class")
	}
	return b.String(), nil
}
