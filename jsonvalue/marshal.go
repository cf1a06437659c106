package jsonvalue

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"
)

// Marshal writes v as compact JSON (no spaces), objects in key order, the way AWS
// writes state input and output. Only '"', '\' and control characters are escaped.
// Values outside the model (channels, funcs) are written as null: callers only build
// values of the model.
func Marshal(v any) []byte {
	return Append(nil, v)
}

// MarshalString is Marshal returning a string.
func MarshalString(v any) string { return string(Marshal(v)) }

// Append appends the compact JSON text of v to buf.
func Append(buf []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		if t {
			return append(buf, "true"...)
		}
		return append(buf, "false"...)
	case string:
		return AppendString(buf, t)
	case json.Number:
		return append(buf, t...)
	case float64:
		return AppendFloat(buf, t)
	case int:
		return strconv.AppendInt(buf, int64(t), 10)
	case int64:
		return strconv.AppendInt(buf, t, 10)
	case []any:
		buf = append(buf, '[')
		for i, e := range t {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = Append(buf, e)
		}
		return append(buf, ']')
	case *Object:
		buf = append(buf, '{')
		for i, k := range t.Keys() {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendString(buf, k)
			buf = append(buf, ':')
			buf = Append(buf, t.m[k])
		}
		return append(buf, '}')
	default:
		return append(buf, "null"...)
	}
}

// AppendFloat writes f as JavaScript's JSON.stringify does (JSONata's output
// format): integers without a fraction below 1e21, shortest round-trip digits
// otherwise, exponent form outside [1e-6, 1e21). NaN and infinities become null.
func AppendFloat(buf []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(buf, "null"...)
	}
	if f == 0 {
		return append(buf, '0')
	}
	abs := math.Abs(f)
	if abs >= 1e-6 && abs < 1e21 {
		return strconv.AppendFloat(buf, f, 'f', -1, 64)
	}
	// Exponent form: JS writes 1e+21, 1.5e-7.
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp := s, ""
	for i := 0; i < len(s); i++ {
		if s[i] == 'e' {
			mant, exp = s[:i], s[i+1:]
			break
		}
	}
	sign := exp[0]
	digits := exp[1:]
	for len(digits) > 1 && digits[0] == '0' {
		digits = digits[1:]
	}
	buf = append(buf, mant...)
	buf = append(buf, 'e', sign)
	return append(buf, digits...)
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string literal.
func AppendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			if c < utf8.RuneSelf {
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				buf = append(buf, s[start:i]...)
				buf = append(buf, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		buf = append(buf, s[start:i]...)
		switch c {
		case '"':
			buf = append(buf, '\\', '"')
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		case '\b':
			buf = append(buf, '\\', 'b')
		case '\f':
			buf = append(buf, '\\', 'f')
		default:
			buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
		}
		i++
		start = i
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}
