package jsonpath

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// AppendJava writes v as Java's toString would print the value Jackson decoded it to:
// objects as {k=v, k2=[]}, arrays as [a, b], strings unquoted, numbers as
// Integer/Long/BigInteger or Double (see JavaNumber). States.Format renders its
// non-string arguments this way.
func AppendJava(b []byte, v any) []byte {
	return appendJava(b, v, JavaNumber)
}

// appendJavaMessage writes v as Jayway shows a node in its messages ({k=1, l=[1, 2]}).
// Unlike AppendJava it keeps a number's text when it is an integer or does not fit a
// double, as the messages always have.
func appendJavaMessage(b []byte, v any) []byte {
	return appendJava(b, v, numberAsWritten)
}

func numberAsWritten(n json.Number) string {
	if IsIntegerText(n) {
		return string(n)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil {
		return string(n)
	}
	return JavaDouble(f)
}

func appendJava(b []byte, v any, number func(json.Number) string) []byte {
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
			b = appendJava(b, e, number)
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
			b = appendJava(b, e, number)
		}
		return append(b, '}')
	case json.Number:
		return append(b, number(t)...)
	case int:
		return strconv.AppendInt(b, int64(t), 10)
	case int64:
		return strconv.AppendInt(b, t, 10)
	case float64:
		return append(b, JavaDouble(t)...)
	}
	return append(b, "null"...)
}

// IsIntegerText reports whether a JSON number is written without fraction or exponent,
// which Jackson decodes to an integer type rather than a double.
func IsIntegerText(n json.Number) bool {
	return !strings.ContainsAny(string(n), ".eE")
}

// JavaNumber prints a parsed JSON number as Jackson would write it back: integers as
// digits (-0 is 0), others as a Java double (1e400 is Infinity).
func JavaNumber(n json.Number) string {
	if IsIntegerText(n) {
		if i, ok := new(big.Int).SetString(string(n), 10); ok {
			return i.String()
		}
		return string(n)
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil && !math.IsInf(f, 0) {
		return string(n)
	}
	return JavaDouble(f)
}

// JavaDouble is Java's Double.toString: plain notation with at least one fractional
// digit for 1e-3 <= |f| < 1e7, otherwise d.dddE±n.
func JavaDouble(f float64) string {
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
