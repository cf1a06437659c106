package jsonata

import (
	"math"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// tribool is the result of $boolean, which is undefined for an undefined argument.
type tribool int

const (
	bUndef tribool = iota
	bFalse
	bTrue
)

// toBoolean is jsonata-js's fn.boolean: the truthiness JSONata gives each type.
func toBoolean(v any) (tribool, error) {
	switch t := v.(type) {
	case undefinedValue:
		return bUndef, nil
	case nil:
		return bFalse, nil
	case bool:
		if t {
			return bTrue, nil
		}
		return bFalse, nil
	case string:
		if t != "" {
			return bTrue, nil
		}
		return bFalse, nil
	case *jsonvalue.Object:
		if t.Len() > 0 {
			return bTrue, nil
		}
		return bFalse, nil
	case []any, *array:
		items, _ := arrayItems(v)
		switch len(items) {
		case 0:
			return bFalse, nil
		case 1:
			b, err := toBoolean(items[0])
			if b == bUndef {
				b = bFalse
			}
			return b, err
		}
		for _, it := range items {
			b, err := toBoolean(it)
			if err != nil {
				return bFalse, err
			}
			if b == bTrue {
				return bTrue, nil
			}
		}
		return bFalse, nil
	case *lambda, *native, *matcher, *transformer:
		return bFalse, nil
	}
	if num, err := isNumeric(v); err != nil {
		return bFalse, err
	} else if num {
		f, _ := toFloat(v)
		if f != 0 {
			return bTrue, nil
		}
	}
	return bFalse, nil
}

// stringify is $string's conversion: strings as they are, functions as "", other
// values as JSON with numbers rounded to 15 significant digits (JSON.stringify
// with jsonata-js's replacer).
func stringify(v any, pretty bool) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case *lambda, *native, *matcher, *transformer:
		return "", nil
	}
	if f, ok := toFloat(v); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
		return "", valErr("D3001", f)
	}
	// Nested infinities fail jsonata-js's isNumeric check in its replacer.
	if err := checkFinite(v); err != nil {
		return "", err
	}
	if a, ok := v.(*array); ok && a.outerWrapper && len(a.items) > 0 {
		v = a.items[0]
	}
	var b []byte
	b = appendJSON(b, v, pretty, 0)
	return string(b), nil
}

// formatNumber15 writes a number the way JSON.stringify(Number(n.toPrecision(15)))
// does.
func appendNumber15(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, "null"...)
	}
	// Rounding to 15 significant digits hides binary noise: 0.1+0.2 prints as 0.3.
	r, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	if err != nil {
		r = f
	}
	return jsonvalue.AppendFloat(b, r)
}

// appendJSON writes v as JSON.stringify with jsonata-js's replacer would.
func appendJSON(b []byte, v any, pretty bool, indent int) []byte {
	switch t := v.(type) {
	case undefinedValue:
		return append(b, "null"...)
	case nil:
		return append(b, "null"...)
	case bool:
		if t {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case string:
		return jsonvalue.AppendString(b, t)
	case *lambda, *native, *matcher, *transformer:
		return append(b, `""`...)
	case *jsonvalue.Object:
		if t.Len() == 0 {
			return append(b, "{}"...)
		}
		b = append(b, '{')
		first := true
		t.Range(func(k string, e any) bool {
			if isUndef(e) {
				return true
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			if pretty {
				b = newline(b, indent+1)
			}
			b = jsonvalue.AppendString(b, k)
			b = append(b, ':')
			if pretty {
				b = append(b, ' ')
			}
			b = appendJSON(b, e, pretty, indent+1)
			return true
		})
		if pretty && !first {
			b = newline(b, indent)
		}
		return append(b, '}')
	}
	if items, ok := arrayItems(v); ok {
		if len(items) == 0 {
			return append(b, "[]"...)
		}
		b = append(b, '[')
		for i, e := range items {
			if i > 0 {
				b = append(b, ',')
			}
			if pretty {
				b = newline(b, indent+1)
			}
			b = appendJSON(b, e, pretty, indent+1)
		}
		if pretty {
			b = newline(b, indent)
		}
		return append(b, ']')
	}
	if f, ok := toFloat(v); ok {
		return appendNumber15(b, f)
	}
	return append(b, "null"...)
}

// newline starts an indented line of pretty-printed JSON.
func newline(b []byte, indent int) []byte {
	b = append(b, '\n')
	return append(b, strings.Repeat("  ", indent)...)
}

// checkFinite reports an infinite number anywhere in v (D1001).
func checkFinite(v any) error {
	switch t := v.(type) {
	case float64:
		if math.IsInf(t, 0) {
			return valErr("D1001", t)
		}
	case *jsonvalue.Object:
		var err error
		t.Range(func(_ string, e any) bool {
			err = checkFinite(e)
			return err == nil
		})
		return err
	case []any, *array:
		items, _ := arrayItems(v)
		for _, e := range items {
			if err := checkFinite(e); err != nil {
				return err
			}
		}
	}
	return nil
}
