package jsonpath

import (
	"errors"
	"math"

	"stepline/jsonvalue"
)

// errFunction is a path function applied to a value it does not accept.
var errFunction = errors.New("jsonpath: function not applicable")

// knownFunction lists the Jayway path functions without arguments that we support.
func knownFunction(name string) bool {
	switch name {
	case "length", "size", "min", "max", "avg", "sum", "stddev", "keys", "first", "last":
		return true
	}
	return false
}

// applyFunction runs a Jayway path function (PathFunctionFactory) on v.
func applyFunction(name string, v any) (any, error) {
	switch name {
	case "length", "size":
		switch t := v.(type) {
		case []any:
			return float64(len(t)), nil
		case *jsonvalue.Object:
			return float64(t.Len()), nil
		case string:
			return float64(utf16Len(t)), nil
		}
	case "keys":
		if o, ok := v.(*jsonvalue.Object); ok {
			keys := make([]any, 0, o.Len())
			for _, k := range o.Keys() {
				keys = append(keys, k)
			}
			return keys, nil
		}
	case "first", "last":
		if a, ok := v.([]any); ok && len(a) > 0 {
			if name == "first" {
				return a[0], nil
			}
			return a[len(a)-1], nil
		}
	case "min", "max", "avg", "sum", "stddev":
		return aggregate(name, v)
	}
	return nil, &NotFoundError{Message: "Function " + name + "() cannot be applied to " + jsonvalue.TypeName(v)}
}

// aggregate implements Jayway's numeric functions over the numbers of an array.
func aggregate(name string, v any) (any, error) {
	a, ok := v.([]any)
	if !ok {
		return nil, errFunction
	}
	var nums []float64
	for _, e := range a {
		if f, ok := jsonvalue.Float(e); ok && jsonvalue.IsNumber(e) {
			nums = append(nums, f)
		}
	}
	if len(nums) == 0 {
		return nil, &NotFoundError{Message: "Aggregation function attempted to calculate value using empty array"}
	}
	var sum, sq float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, f := range nums {
		sum += f
		sq += f * f
		lo = math.Min(lo, f)
		hi = math.Max(hi, f)
	}
	n := float64(len(nums))
	switch name {
	case "min":
		return lo, nil
	case "max":
		return hi, nil
	case "sum":
		return sum, nil
	case "avg":
		return sum / n, nil
	}
	return math.Sqrt(sq/n - (sum/n)*(sum/n)), nil
}
