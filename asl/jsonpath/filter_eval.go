package jsonpath

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"stepline/jsonvalue"
)

// test applies Jayway's relational evaluators (EvaluatorFactory): comparisons between
// different kinds are false rather than errors, and a missing path equals nothing.
func (e *relExpr) test(root, cur any) bool {
	l := e.l.value(root, cur)
	if e.op == "=~" {
		return matchRegex(e.r, l)
	}
	r := e.r.value(root, cur)
	switch e.op {
	case "==":
		return valueEqual(l, r)
	case "!=":
		// A missing path matches no comparison, != included, as in the Jayway
		// version AWS runs.
		return l != undefined && r != undefined && !valueEqual(l, r)
	case "<":
		c, ok := order(l, r)
		return ok && c < 0
	case "<=":
		c, ok := order(l, r)
		return ok && c <= 0
	case ">":
		c, ok := order(l, r)
		return ok && c > 0
	case ">=":
		c, ok := order(l, r)
		return ok && c >= 0
	case "in":
		return listContains(r, l)
	case "nin":
		return l != undefined && r != undefined && !listContains(r, l)
	case "contains":
		if s, ok := l.(string); ok {
			sub, ok := r.(string)
			return ok && strings.Contains(s, sub)
		}
		return listContains(l, r)
	case "size":
		n, ok := jsonvalue.Int(r)
		if !ok {
			return false
		}
		switch t := l.(type) {
		case string:
			return int64(utf16Len(t)) == n
		case []any:
			return int64(len(t)) == n
		}
		return false
	case "empty":
		want, ok := r.(bool)
		if !ok {
			return false
		}
		switch t := l.(type) {
		case string:
			return (t == "") == want
		case []any:
			return (len(t) == 0) == want
		case *jsonvalue.Object:
			return (t.Len() == 0) == want
		}
		return false
	case "subsetof", "anyof", "noneof":
		return setRelation(e.op, l, r)
	}
	return false
}

func setRelation(op string, l, r any) bool {
	left, ok1 := l.([]any)
	_, ok2 := r.([]any)
	if !ok1 || !ok2 {
		return false
	}
	switch op {
	case "subsetof":
		for _, v := range left {
			if !listContains(r, v) {
				return false
			}
		}
		return true
	case "anyof":
		for _, v := range left {
			if listContains(r, v) {
				return true
			}
		}
		return false
	default: // noneof
		for _, v := range left {
			if listContains(r, v) {
				return false
			}
		}
		return true
	}
}

func listContains(list, v any) bool {
	l, ok := list.([]any)
	if !ok {
		return false
	}
	for _, e := range l {
		if valueEqual(v, e) {
			return true
		}
	}
	return false
}

// valueEqual is Jayway's ValueNode equality: numbers compare by value and also equal a
// string holding the same number; a string equals a number whose text it is; arrays
// and objects compare as JSON.
func valueEqual(l, r any) bool {
	if l == undefined || r == undefined {
		return false
	}
	switch x := l.(type) {
	case nil:
		return r == nil
	case bool:
		y, ok := r.(bool)
		return ok && x == y
	case string:
		switch y := r.(type) {
		case string:
			return x == y
		default:
			if jsonvalue.IsNumber(y) {
				return x == numberText(y)
			}
		}
		return false
	case []any, *jsonvalue.Object:
		switch r.(type) {
		case []any, *jsonvalue.Object:
			return jsonvalue.Equal(l, r)
		}
		return false
	}
	if !jsonvalue.IsNumber(l) {
		return false
	}
	switch y := r.(type) {
	case string:
		n, ok := parseDecimal(y)
		return ok && compareNumbers(l, n) == 0
	default:
		if jsonvalue.IsNumber(y) {
			return compareNumbers(l, y) == 0
		}
	}
	return false
}

// order compares two numbers or two strings; other pairs are unordered.
func order(l, r any) (int, bool) {
	if jsonvalue.IsNumber(l) && jsonvalue.IsNumber(r) {
		return compareNumbers(l, r), true
	}
	ls, ok1 := l.(string)
	rs, ok2 := r.(string)
	if ok1 && ok2 {
		return CompareUTF16(ls, rs), true
	}
	return 0, false
}

// compareNumbers compares exactly, as Jayway's BigDecimal comparison does, so that
// integers beyond 2^53 still order correctly.
func compareNumbers(l, r any) int {
	lf, lok := jsonvalue.Float(l)
	rf, rok := jsonvalue.Float(r)
	if !lok || !rok {
		return 0
	}
	if lf != rf {
		if lf < rf {
			return -1
		}
		return 1
	}
	ln, lIsText := l.(json.Number)
	rn, rIsText := r.(json.Number)
	if !lIsText && !rIsText {
		return 0
	}
	lb, ok1 := new(big.Float).SetPrec(256).SetString(numberText(pick(lIsText, ln, l)))
	rb, ok2 := new(big.Float).SetPrec(256).SetString(numberText(pick(rIsText, rn, r)))
	if !ok1 || !ok2 {
		return 0
	}
	return lb.Cmp(rb)
}

func pick(isText bool, n json.Number, v any) any {
	if isText {
		return n
	}
	return v
}

func parseDecimal(s string) (json.Number, bool) {
	if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err != nil {
		return "", false
	}
	return json.Number(strings.TrimSpace(s)), true
}

func numberText(v any) string {
	switch t := v.(type) {
	case json.Number:
		return string(t)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		return string(jsonvalue.AppendFloat(nil, t))
	}
	return ""
}

func matchRegex(o *operand, l any) bool {
	if o.re == nil {
		return false
	}
	switch t := l.(type) {
	case string:
		return o.re.MatchString(t)
	case bool:
		return o.re.MatchString(strconv.FormatBool(t))
	}
	if jsonvalue.IsNumber(l) {
		return o.re.MatchString(numberText(l))
	}
	return false
}

// CompareUTF16 orders strings as Java's String.compareTo does, by UTF-16 code units:
// -1, 0 or 1.
func CompareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			x, y := utf16Key(ra), utf16Key(rb)
			if x == y {
				// Same high surrogate: the low surrogates order as the runes do.
				x, y = ra, rb
			}
			if x < y {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case b != "":
		return -1
	case a != "":
		return 1
	}
	return 0
}

// utf16Key maps a rune to the first UTF-16 code unit Java would compare: supplementary
// characters start with a surrogate (0xD800-0xDBFF), below U+E000..U+FFFF.
func utf16Key(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + ((r - 0x10000) >> 10)
	}
	return r
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
