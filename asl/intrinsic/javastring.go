package intrinsic

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// appendJava writes v as Java's toString would print the value Jackson decoded it to,
// which is how States.Format renders non-string arguments: objects as {k=v, k2=[]},
// arrays as [a, b], strings unquoted, numbers as Integer/Long/BigInteger or Double.
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
		return append(b, javaNumber(t)...)
	case int:
		return strconv.AppendInt(b, int64(t), 10)
	case int64:
		return strconv.AppendInt(b, t, 10)
	case float64:
		return append(b, javaDouble(t)...)
	}
	return append(b, "null"...)
}

// isIntegerText reports whether a JSON number is written without fraction or exponent,
// which Jackson decodes to an integer type rather than a double.
func isIntegerText(n json.Number) bool {
	return !strings.ContainsAny(string(n), ".eE")
}

// javaNumber prints a parsed JSON number as Jackson would write it back: integers as
// digits (-0 is 0), others as a Java double.
func javaNumber(n json.Number) string {
	if isIntegerText(n) {
		if i, ok := new(big.Int).SetString(string(n), 10); ok {
			return i.String()
		}
		return string(n)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !math.IsInf(f, 0) {
		return string(n)
	}
	return javaDouble(f)
}

// javaDouble is Java's Double.toString: plain notation with at least one fractional
// digit for 1e-3 <= |f| < 1e7, otherwise d.dddE±n.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	abs := math.Abs(f)
	if abs >= 1e-3 && abs < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	exp = strings.TrimLeft(exp[1:], "0")
	if exp == "" {
		exp = "0"
	}
	return mant + "E" + sign + exp
}

// jacksonNumbers rewrites the numbers of a freshly parsed value the way Jackson would
// print them after decoding (States.StringToJson("-0") is 0, "1e2" is 100.0). It
// changes v in place: callers pass values they own.
func jacksonNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		return json.Number(javaNumber(t))
	case []any:
		for i, e := range t {
			t[i] = jacksonNumbers(e)
		}
	case *jsonvalue.Object:
		for _, k := range t.Keys() {
			e, _ := t.Get(k)
			t.Set(k, jacksonNumbers(e))
		}
	}
	return v
}
