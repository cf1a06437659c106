package jsonata

import (
	"regexp"
	"strings"
)

// signature is a parsed function signature such as "<s-nn?:s>": one parameter per
// type symbol, with '?' optional, '+' repeated, '-' "use the context value when
// omitted", a<x> and f<...> type parameters and (xy) choices. Validation works as
// jsonata-js's does: the argument types are spelled as a string of symbols and
// matched against a regular expression built from the parameters.
type signature struct {
	params []sigParam
	re     *regexp.Regexp
	text   string
}

type sigParam struct {
	typ          string // s n b l o a f j x or (choice)
	regex        string
	context      bool
	contextRegex *regexp.Regexp
	subtype      string
}

// mustSignature parses a signature written in this package's source; it panics
// only on a typo in a built-in's constant signature, caught by any test run.
func mustSignature(s string) *signature {
	sig, err := parseSignature(s)
	if err != nil {
		panic("jsonata: bad built-in signature " + s + ": " + err.Error())
	}
	return sig
}

func parseSignature(text string) (*signature, *Error) {
	var params []sigParam
	var param sigParam
	prev := -1 // index in params of the previous parameter
	next := func() {
		params = append(params, param)
		prev = len(params) - 1
		param = sigParam{}
	}
	for pos := 1; pos < len(text); pos++ {
		sym := text[pos]
		if sym == ':' {
			break
		}
		switch sym {
		case 's', 'n', 'b', 'l', 'o':
			param.regex = "[" + string(sym) + "m]"
			param.typ = string(sym)
			next()
		case 'a':
			param.regex = "[asnblfom]"
			param.typ = "a"
			next()
		case 'f':
			param.regex = "f"
			param.typ = "f"
			next()
		case 'j':
			param.regex = "[asnblom]"
			param.typ = "j"
			next()
		case 'x':
			param.regex = "[asnblfom]"
			param.typ = "x"
			next()
		case '-':
			if prev >= 0 {
				p := &params[prev]
				p.context = true
				p.contextRegex = regexp.MustCompile("^" + p.regex)
				p.regex += "?"
			}
		case '?', '+':
			if prev >= 0 {
				params[prev].regex += string(sym)
			}
		case '(':
			end := closingBracket(text, pos, '(', ')')
			choice := text[pos+1 : min(end, len(text))]
			if strings.Contains(choice, "<") {
				e := withInfo("S0402", errInfo{value: choice, hasValue: true})
				e.Position = pos
				return nil, e
			}
			param.regex = "[" + choice + "m]"
			param.typ = "(" + choice + ")"
			pos = end
			next()
		case '<':
			if prev >= 0 && (params[prev].typ == "a" || params[prev].typ == "f") {
				end := closingBracket(text, pos, '<', '>')
				params[prev].subtype = text[pos+1 : min(end, len(text))]
				pos = end
			} else {
				typ := ""
				if prev >= 0 {
					typ = params[prev].typ
				}
				e := withInfo("S0401", errInfo{value: typ, hasValue: true})
				e.Position = pos
				return nil, e
			}
		}
	}
	var b strings.Builder
	b.WriteString("^")
	for _, p := range params {
		b.WriteString("(" + p.regex + ")")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		e := newErr("S0402", 0, "")
		return nil, e
	}
	return &signature{params: params, re: re, text: text}, nil
}

func closingBracket(s string, start int, open, closing byte) int {
	depth := 1
	pos := start
	for pos < len(s) {
		pos++
		if pos >= len(s) {
			break
		}
		switch s[pos] {
		case closing:
			depth--
			if depth == 0 {
				return pos
			}
		case open:
			depth++
		}
	}
	return pos
}

// typeSymbol is the signature symbol of a value's type; 'm' is missing (undefined).
func typeSymbol(v any) byte {
	switch v.(type) {
	case undefinedValue:
		return 'm'
	case nil:
		return 'l'
	case string:
		return 's'
	case bool:
		return 'b'
	case []any, *array:
		return 'a'
	case *lambda, *native, *matcher, *transformer:
		return 'f'
	}
	if isNumber(v) {
		return 'n'
	}
	return 'o'
}

func arrayTypeName(sub string) string {
	switch sub {
	case "a":
		return "arrays"
	case "b":
		return "booleans"
	case "f":
		return "functions"
	case "n":
		return "numbers"
	case "o":
		return "objects"
	case "s":
		return "strings"
	}
	return ""
}

// validate checks args against the signature and returns them coerced: the
// context value inserted for an omitted '-' parameter, single values wrapped
// into arrays for array parameters.
func (s *signature) validate(args []any, context any) ([]any, error) {
	var sb strings.Builder
	for _, a := range args {
		sb.WriteByte(typeSymbol(a))
	}
	supplied := sb.String()
	m := s.re.FindStringSubmatch(supplied)
	if m == nil {
		return nil, s.validationError(args, supplied)
	}
	out := make([]any, 0, len(s.params))
	argIndex := 0
	for i, p := range s.params {
		match := m[i+1]
		if match == "" {
			if p.context && p.contextRegex != nil {
				if p.contextRegex.MatchString(string(typeSymbol(context))) {
					out = append(out, context)
				} else {
					e := withInfo("T0411", errInfo{value: context, hasValue: true, index: argIndex + 1})
					return nil, e
				}
			} else {
				out = append(out, arg(args, argIndex))
				argIndex++
			}
			continue
		}
		for _, single := range []byte(match) {
			a := arg(args, argIndex)
			if p.typ == "a" {
				if single == 'm' {
					a = undefinedValue{}
				} else {
					ok := true
					if p.subtype != "" {
						if single != 'a' && match != p.subtype {
							ok = false
						} else if single == 'a' {
							items, _ := arrayItems(a)
							if len(items) > 0 {
								itemType := typeSymbol(items[0])
								if string(itemType) != p.subtype[:1] {
									ok = false
								} else {
									for _, it := range items {
										if typeSymbol(it) != itemType {
											ok = false
											break
										}
									}
								}
							}
						}
					}
					if !ok {
						return nil, withInfo("T0412", errInfo{value: a, hasValue: true, index: argIndex + 1, extra: arrayTypeName(p.subtype)})
					}
					if single != 'a' {
						a = []any{a}
					}
				}
			}
			out = append(out, a)
			argIndex++
		}
	}
	return out, nil
}

func (s *signature) validationError(args []any, supplied string) error {
	partial := "^"
	goodTo := 0
	for _, p := range s.params {
		partial += p.regex
		re, err := regexp.Compile(partial)
		if err != nil {
			break
		}
		loc := re.FindStringIndex(supplied)
		if loc == nil {
			return withInfo("T0410", errInfo{value: arg(args, goodTo), hasValue: true, index: goodTo + 1})
		}
		goodTo = loc[1]
	}
	return withInfo("T0410", errInfo{value: arg(args, goodTo), hasValue: true, index: goodTo + 1})
}
