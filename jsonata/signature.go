package jsonata

import (
	"strings"
)

// signature is a parsed function signature such as "<s-nn?:s>": one parameter per
// type symbol, with '?' optional, '+' repeated, '-' "use the context value when
// omitted", a<x> and f<...> type parameters and (xy) choices. Validation works as
// jsonata-js's does: the argument types are spelled as a string of symbols and
// matched against a regular expression built from the parameters.
type signature struct {
	params []sigParam
	text   string
}

// sigParam is one parameter. Matching follows the regular expression jsonata-js
// builds ([sm], [asnblfom]+, ...) with a small backtracking matcher, which is much
// cheaper than a regexp on every call.
type sigParam struct {
	typ      string // s n b l o a f j x or (choice)
	mask     uint16 // the type symbols accepted
	optional bool   // '?' or '-'
	lazy     bool   // a second '?' makes the option lazy
	plus     bool   // '+'
	context  bool   // '-': the context value stands in when omitted
	ctxMask  uint16 // the types the context value may have
	subtype  string
}

// symBit is the bit of a type symbol in a mask.
func symBit(c byte) uint16 {
	if i := strings.IndexByte("asnblfom", c); i >= 0 {
		return 1 << i
	}
	return 0
}

// symMask is the mask of a list of type symbols.
func symMask(symbols string) uint16 {
	var m uint16
	for i := 0; i < len(symbols); i++ {
		m |= symBit(symbols[i])
	}
	return m
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

// parseSignature reads a signature such as "<s-nn?:s>"; the return type after ':'
// is not checked, as in jsonata-js.
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
			param.mask = symMask(string(sym) + "m")
			param.typ = string(sym)
			next()
		case 'a':
			param.mask = symMask("asnblfom")
			param.typ = "a"
			next()
		case 'f':
			param.mask = symMask("f")
			param.typ = "f"
			next()
		case 'j':
			param.mask = symMask("asnblom")
			param.typ = "j"
			next()
		case 'x':
			param.mask = symMask("asnblfom")
			param.typ = "x"
			next()
		case '-':
			if prev >= 0 {
				p := &params[prev]
				p.context = true
				p.ctxMask = p.mask
				p.optional = true
			}
		case '?':
			if prev >= 0 {
				if params[prev].optional {
					params[prev].lazy = true
				}
				params[prev].optional = true
			}
		case '+':
			if prev >= 0 {
				params[prev].plus = true
			}
		case '(':
			end := closingBracket(text, pos, '(', ')')
			choice := text[pos+1 : min(end, len(text))]
			if strings.Contains(choice, "<") {
				e := withInfo("S0402", errInfo{value: choice, hasValue: true})
				e.Position = pos
				return nil, e
			}
			param.mask = symMask(choice + "m")
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
	return &signature{params: params, text: text}, nil
}

// match finds how many argument symbols each parameter takes, with a regular
// expression's preferences (greedy unless lazy, earlier parameters first). With
// whole set, all symbols must be consumed; otherwise it reports the end of the
// first way the parameters up to limit can match a prefix.
func (s *signature) match(syms []byte, spans []int, pi, ai, limit int, whole bool) (int, bool) {
	if pi == limit {
		if whole && ai != len(syms) {
			return 0, false
		}
		return ai, true
	}
	p := &s.params[pi]
	n := 0
	for ai+n < len(syms) && p.mask&symBit(syms[ai+n]) != 0 {
		n++
		if !p.plus {
			break
		}
	}
	try := func(k int) (int, bool) {
		spans[pi] = k
		return s.match(syms, spans, pi+1, ai+k, limit, whole)
	}
	if p.optional && p.lazy {
		if end, ok := try(0); ok {
			return end, true
		}
	}
	for k := n; k >= 1; k-- {
		if end, ok := try(k); ok {
			return end, true
		}
	}
	if p.optional && !p.lazy {
		return try(0)
	}
	return 0, false
}

// closingBracket finds the bracket closing the one at start.
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

// arrayTypeName names an array subtype in T0412's message.
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
	var symBuf [8]byte
	var spanBuf [8]int
	syms := symBuf[:0]
	for _, a := range args {
		syms = append(syms, typeSymbol(a))
	}
	spans := spanBuf[:0]
	for range s.params {
		spans = append(spans, 0)
	}
	if _, ok := s.match(syms, spans, 0, 0, len(s.params), true); !ok {
		return nil, s.validationError(args, syms)
	}
	// The output is only copied once it differs from args, which for most calls
	// it never does.
	var out []any
	emitted := 0
	emit := func(v any, fromArg int) {
		if out == nil {
			if fromArg == emitted && emitted < len(args) {
				emitted++
				return
			}
			out = make([]any, emitted, len(s.params)+len(args))
			copy(out, args[:emitted])
		}
		out = append(out, v)
	}
	argIndex := 0
	pos := 0
	for i := range s.params {
		p := &s.params[i]
		match := syms[pos : pos+spans[i]]
		pos += spans[i]
		if len(match) == 0 {
			if p.context {
				if p.ctxMask&symBit(typeSymbol(context)) != 0 {
					emit(context, -1)
				} else {
					e := withInfo("T0411", errInfo{value: context, hasValue: true, index: argIndex + 1})
					return nil, e
				}
			} else {
				emit(arg(args, argIndex), argIndex)
				argIndex++
			}
			continue
		}
		for _, single := range match {
			a := arg(args, argIndex)
			from := argIndex
			if p.typ == "a" {
				if single == 'm' {
					a = undefinedValue{}
				} else {
					ok := true
					if p.subtype != "" {
						if single != 'a' && string(match) != p.subtype {
							ok = false
						} else if single == 'a' {
							items, _ := arrayItems(a)
							if len(items) > 0 {
								itemType := typeSymbol(items[0])
								if itemType != p.subtype[0] {
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
						from = -1
					}
				}
			}
			emit(a, from)
			argIndex++
		}
	}
	if out == nil {
		return args[:emitted], nil
	}
	return out, nil
}

// validationError reports the first argument the signature cannot match (T0410).
func (s *signature) validationError(args []any, syms []byte) error {
	goodTo := 0
	spans := make([]int, len(s.params))
	for i := range s.params {
		end, ok := s.match(syms, spans, 0, 0, i+1, false)
		if !ok {
			return withInfo("T0410", errInfo{value: arg(args, goodTo), hasValue: true, index: goodTo + 1})
		}
		goodTo = end
	}
	return withInfo("T0410", errInfo{value: arg(args, goodTo), hasValue: true, index: goodTo + 1})
}
