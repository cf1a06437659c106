package jsonata

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// floats returns the numbers of an array argument (already checked by the
// signature).
func floats(v any) []float64 {
	items, ok := arrayItems(v)
	if !ok {
		return nil
	}
	out := make([]float64, 0, len(items))
	for _, it := range items {
		if f, ok := toFloat(it); ok {
			out = append(out, f)
		}
	}
	return out
}

// fnSum is $sum; the signature has already checked that the items are numbers.
func fnSum(_ call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	total := 0.0
	for _, it := range items {
		f, _ := toFloat(it)
		total += f
	}
	return total, nil
}

// fnCount is $count; undefined counts as an empty array.
func fnCount(_ call, args []any) (any, error) {
	items, _ := arrayItems(arg(args, 0))
	return float64(len(items)), nil
}

// fnMax is $max: undefined for an empty array.
func fnMax(_ call, args []any) (any, error) {
	nums := floats(arg(args, 0))
	if len(nums) == 0 {
		return undefinedValue{}, nil
	}
	m := math.Inf(-1)
	for _, n := range nums {
		m = math.Max(m, n)
	}
	return m, nil
}

// fnMin is $min: undefined for an empty array.
func fnMin(_ call, args []any) (any, error) {
	nums := floats(arg(args, 0))
	if len(nums) == 0 {
		return undefinedValue{}, nil
	}
	m := math.Inf(1)
	for _, n := range nums {
		m = math.Min(m, n)
	}
	return m, nil
}

// fnAverage is $average: undefined for an empty array.
func fnAverage(_ call, args []any) (any, error) {
	nums := floats(arg(args, 0))
	if len(nums) == 0 {
		return undefinedValue{}, nil
	}
	total := 0.0
	for _, n := range nums {
		total += n
	}
	return total / float64(len(nums)), nil
}

var (
	decimalNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`)
	prefixNumber  = regexp.MustCompile(`^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$`)
)

// fnNumber is $number: numbers as they are, booleans as 0 or 1, and strings in JSON
// number syntax or with a 0x, 0o or 0b prefix; anything else is D3030.
func fnNumber(_ call, args []any) (any, error) {
	a := arg(args, 0)
	switch t := a.(type) {
	case undefinedValue:
		return a, nil
	case bool:
		if t {
			return 1.0, nil
		}
		return 0.0, nil
	case string:
		if decimalNumber.MatchString(t) {
			f, err := strconv.ParseFloat(t, 64)
			if err == nil && !math.IsInf(f, 0) {
				return f, nil
			}
		} else if prefixNumber.MatchString(t) {
			if n, err := strconv.ParseInt(t[2:], prefixBase(t[1]), 64); err == nil {
				return float64(n), nil
			}
			return math.NaN(), nil
		}
	}
	if f, ok := toFloat(a); ok {
		return f, nil
	}
	return nil, withInfo("D3030", errInfo{value: a, hasValue: true, index: 1})
}

// prefixBase is the radix a 0x, 0o or 0b prefix stands for.
func prefixBase(c byte) int {
	switch c {
	case 'x', 'X':
		return 16
	case 'o', 'O':
		return 8
	}
	return 2
}

// unaryMath applies f to a number argument, keeping undefined.
func unaryMath(args []any, f func(float64) float64) (any, error) {
	a := arg(args, 0)
	x, ok := toFloat(a)
	if !ok {
		return undefinedValue{}, nil
	}
	return f(x), nil
}

// fnFloor is $floor.
func fnFloor(_ call, args []any) (any, error) { return unaryMath(args, math.Floor) }

// fnCeil is $ceil.
func fnCeil(_ call, args []any) (any, error) { return unaryMath(args, math.Ceil) }

// fnAbs is $abs.
func fnAbs(_ call, args []any) (any, error) { return unaryMath(args, math.Abs) }

// fnSqrt is $sqrt; a negative argument is D3060 rather than NaN.
func fnSqrt(_ call, args []any) (any, error) {
	x, ok := toFloat(arg(args, 0))
	if !ok {
		return undefinedValue{}, nil
	}
	if x < 0 {
		return nil, withInfo("D3060", errInfo{value: x, hasValue: true, index: 1})
	}
	return math.Sqrt(x), nil
}

// fnPower is $power; a result JSON cannot hold (infinite or NaN) is D3061.
func fnPower(_ call, args []any) (any, error) {
	x, ok := toFloat(arg(args, 0))
	if !ok {
		return undefinedValue{}, nil
	}
	y, _ := toFloat(arg(args, 1))
	r := math.Pow(x, y)
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return nil, withInfo("D3061", errInfo{value: x, hasValue: true, index: 1, extra: jsNumberString(y)})
	}
	return r, nil
}

// fnRandom is $random, from the evaluation's seeded source. Step Functions replaces
// it with its own through Env.Funcs.
func fnRandom(c call, _ []any) (any, error) { return c.ev.random().Float64(), nil }

// jsRound is JavaScript's Math.round: halves go towards +Infinity.
func jsRound(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	r := math.Floor(x)
	if x-r >= 0.5 {
		r++
	}
	return r
}

// jsNumberString is JavaScript's Number.prototype.toString() for base 10.
func jsNumberString(f float64) string {
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 1) {
		return "Infinity"
	}
	if math.IsInf(f, -1) {
		return "-Infinity"
	}
	return string(jsonvalue.AppendFloat(nil, f))
}

// shiftDecimal multiplies x by 10^n through its decimal text, as jsonata-js's
// round does, to avoid binary rounding errors.
func shiftDecimal(x float64, n int) float64 {
	s := jsNumberString(x)
	mant, exp := s, 0
	if i := strings.IndexByte(s, 'e'); i >= 0 {
		mant = s[:i]
		exp, _ = strconv.Atoi(s[i+1:])
	}
	f, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp+n), 64)
	if err != nil {
		return x
	}
	return f
}

// fnRound rounds half to even, at a precision of decimal places.
func fnRound(_ call, args []any) (any, error) {
	x, ok := toFloat(arg(args, 0))
	if !ok {
		return undefinedValue{}, nil
	}
	precision := 0
	if p, ok := toFloat(arg(args, 1)); ok {
		precision = int(p)
	}
	if precision != 0 {
		x = shiftDecimal(x, precision)
	}
	result := jsRound(x)
	if math.Abs(result-x) == 0.5 && math.Abs(math.Mod(result, 2)) == 1 {
		result--
	}
	if precision != 0 {
		result = shiftDecimal(result, -precision)
	}
	if result == 0 {
		result = 0 // no negative zero
	}
	return result, nil
}

// fnFormatBase is $formatBase: the rounded value in a radix from 2 to 36 (D3100
// otherwise), lower-case digits as JavaScript's toString(radix) writes them.
func fnFormatBase(_ call, args []any) (any, error) {
	x, ok := toFloat(arg(args, 0))
	if !ok {
		return undefinedValue{}, nil
	}
	r, err := fnRound(call{}, []any{x})
	if err != nil {
		return nil, err
	}
	x = r.(float64)
	radix := 10.0
	if rv, ok := toFloat(arg(args, 1)); ok {
		rr, _ := fnRound(call{}, []any{rv})
		radix = rr.(float64)
	}
	if radix < 2 || radix > 36 {
		return nil, valErr("D3100", radix)
	}
	neg := x < 0
	s := strconv.FormatUint(uint64(math.Abs(x)), int(radix))
	if math.Abs(x) >= 1<<53 {
		s = jsRadixString(math.Abs(x), int(radix))
	}
	if neg {
		s = "-" + s
	}
	return s, nil
}

// fnBoolean is $boolean, JSONata's truthiness (see toBoolean).
func fnBoolean(_ call, args []any) (any, error) {
	b, err := toBoolean(arg(args, 0))
	if err != nil {
		return nil, err
	}
	switch b {
	case bTrue:
		return true, nil
	case bFalse:
		return false, nil
	}
	return undefinedValue{}, nil
}

// fnNot is $not: the negated truthiness, undefined for undefined.
func fnNot(_ call, args []any) (any, error) {
	b, err := toBoolean(arg(args, 0))
	if err != nil {
		return nil, err
	}
	switch b {
	case bTrue:
		return false, nil
	case bFalse:
		return true, nil
	}
	return undefinedValue{}, nil
}

// fnExists is $exists: whether the argument is defined (null exists).
func fnExists(_ call, args []any) (any, error) { return !isUndef(arg(args, 0)), nil }

// fnType is $type: the JSON type name, or "function"; undefined for undefined.
func fnType(_ call, args []any) (any, error) {
	v := arg(args, 0)
	switch v.(type) {
	case undefinedValue:
		return v, nil
	case nil:
		return "null", nil
	case string:
		return "string", nil
	case bool:
		return "boolean", nil
	case []any, *array:
		return "array", nil
	case *jsonvalue.Object:
		return "object", nil
	}
	if isFunction(v) {
		return "function", nil
	}
	if isNumber(v) {
		return "number", nil
	}
	return "object", nil
}

// fnError is $error: it always fails, with code D3137 and the given message.
func fnError(_ call, args []any) (any, error) {
	msg, _ := arg(args, 0).(string)
	if msg == "" {
		msg = "$error() function evaluated"
	}
	return nil, withInfo("D3137", errInfo{extra: msg})
}

// fnAssert is $assert: D3141 with the message unless the condition is true.
func fnAssert(_ call, args []any) (any, error) {
	if b, _ := arg(args, 0).(bool); b {
		return undefinedValue{}, nil
	}
	msg, _ := arg(args, 1).(string)
	if msg == "" {
		msg = "$assert() statement failed"
	}
	return nil, withInfo("D3141", errInfo{extra: msg})
}

// jsRadixString writes a large whole number in radix as V8's
// DoubleToRadixCString does: digits below the double's precision are zeros.
func jsRadixString(x float64, radix int) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return jsNumberString(x)
	}
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var out []byte
	r := float64(radix)
	for x/r >= 1<<53 {
		x /= r
		out = append(out, '0')
	}
	for {
		rem := math.Mod(x, r)
		out = append(out, digits[int(rem)])
		x = (x - rem) / r
		if x <= 0 {
			break
		}
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
