package jsonpath

import (
	"encoding/json"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// appendJava writes v as Java's toString prints the maps, lists and scalars Jackson
// decodes JSON to ({k=1, l=[1, 2]}), which is how Jayway shows a node in its messages.
func appendJava(b []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return append(b, t...)
	case bool:
		return strconv.AppendBool(b, t)
	case []any:
		b = append(b, '[')
		for i, e := range t {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJava(b, e)
		}
		return append(b, ']')
	case *jsonvalue.Object:
		b = append(b, '{')
		for i, k := range t.Keys() {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = append(b, k...)
			b = append(b, '=')
			e, _ := t.Get(k)
			b = appendJava(b, e)
		}
		return append(b, '}')
	case json.Number:
		if !strings.ContainsAny(string(t), ".eE") {
			return append(b, t...)
		}
		if f, err := strconv.ParseFloat(string(t), 64); err == nil {
			return appendJavaDouble(b, f)
		}
		return append(b, t...)
	case float64:
		return appendJavaDouble(b, t)
	}
	return jsonvalue.Append(b, v)
}

// appendJavaDouble approximates Double.toString: a fractional part is always shown.
func appendJavaDouble(b []byte, f float64) []byte {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if f >= 1e7 || f <= -1e7 || (f != 0 && f < 1e-3 && f > -1e-3) {
		s = strconv.FormatFloat(f, 'E', -1, 64)
		mant, exp, _ := strings.Cut(s, "E")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		exp = strings.TrimPrefix(exp, "+")
		neg := strings.HasPrefix(exp, "-")
		exp = strings.TrimLeft(strings.TrimPrefix(exp, "-"), "0")
		if neg {
			exp = "-" + exp
		}
		return append(append(append(b, mant...), 'E'), exp...)
	}
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return append(b, s...)
}
