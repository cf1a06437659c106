package jsonata

import (
	"encoding/json"
	"math"
	"strconv"

	"stepline/jsonvalue"
)

// undefinedValue stands for JavaScript's undefined inside the evaluator: the result
// of a path that matched nothing, which is not JSON null (nil).
type undefinedValue struct{}

// isUndef reports whether v is undefined.
func isUndef(v any) bool {
	_, ok := v.(undefinedValue)
	return ok
}

// IsUndefined reports whether a host function argument is undefined (a missing
// argument or an expression that produced nothing).
func IsUndefined(v any) bool { return isUndef(v) }

// array is an array built by the evaluator, carrying the hidden flags jsonata-js
// sets on its arrays. Plain JSON arrays from the input stay []any.
type array struct {
	items []any
	// seq marks a result sequence: a singleton collapses to its item and an
	// empty one to undefined when it leaves evaluate.
	seq bool
	// cons marks an array built by an array constructor in a path, which path
	// steps keep as one value instead of flattening.
	cons          bool
	keepSingleton bool
	tupleStream   bool
	outerWrapper  bool
}

// newSeq is an empty result sequence.
func newSeq(capacity int) *array { return &array{items: make([]any, 0, capacity), seq: true} }

// seqOf is a sequence of one value.
func seqOf(v any) *array { return &array{items: []any{v}, seq: true} }

// arrayItems returns the elements of an array value of either representation.
func arrayItems(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case *array:
		return t.items, true
	}
	return nil, false
}

// isSequence reports whether v is a result sequence.
func isSequence(v any) bool {
	a, ok := v.(*array)
	return ok && a.seq
}

// toFloat returns a number value as float64.
func toFloat(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil && !math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	}
	return 0, false
}

// isNumber reports whether v is a number of any representation.
func isNumber(v any) bool {
	switch v.(type) {
	case float64, json.Number, int, int64:
		return true
	}
	return false
}

// isNumeric is jsonata-js's isNumeric: a number that is not NaN. An infinite
// value is an error (D1001) wherever one is tested.
func isNumeric(v any) (bool, error) {
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) {
		return false, nil
	}
	if math.IsInf(f, 0) {
		return false, valErr("D1001", f)
	}
	return true, nil
}

// jsType is JavaScript's typeof for a value of the model.
func jsType(v any) string {
	switch v.(type) {
	case undefinedValue:
		return "undefined"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, json.Number, int, int64:
		return "number"
	case *lambda, *native, *matcher, *transformer:
		return "function"
	}
	return "object"
}

// isFunction reports whether v is a function value (lambda, built-in, regex or transform).
func isFunction(v any) bool {
	switch v.(type) {
	case *lambda, *native, *matcher, *transformer:
		return true
	}
	return false
}

// strictEqual is JavaScript's ===: numbers by value, containers by identity.
func strictEqual(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case *jsonvalue.Object:
		y, ok := b.(*jsonvalue.Object)
		return ok && x == y
	case undefinedValue:
		return isUndef(b)
	}
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	return false
}

// deepEqual is jsonata-js's isDeepEqual.
func deepEqual(a, b any) bool {
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		return ok && fa == fb
	}
	if ai, ok := arrayItems(a); ok {
		bi, ok := arrayItems(b)
		if !ok || len(ai) != len(bi) {
			return false
		}
		for i := range ai {
			if !deepEqual(ai[i], bi[i]) {
				return false
			}
		}
		return true
	}
	if ao, ok := a.(*jsonvalue.Object); ok {
		bo, ok := b.(*jsonvalue.Object)
		if !ok || ao.Len() != bo.Len() {
			return false
		}
		for _, k := range ao.Keys() {
			av, _ := ao.Get(k)
			bv, ok := bo.Get(k)
			if !ok || !deepEqual(av, bv) {
				return false
			}
		}
		return true
	}
	switch a.(type) {
	case *lambda, *native, *matcher, *transformer:
		return a == b
	}
	return strictEqual(a, b)
}

// externalize converts an evaluator value into the jsonvalue model: internal arrays
// become []any, and functions (which JSON cannot hold) are dropped from objects and
// become null in arrays. It copies only what needs changing.
func externalize(v any) any {
	switch t := v.(type) {
	case *array:
		out := make([]any, 0, len(t.items))
		for _, e := range t.items {
			out = append(out, externalizeItem(e))
		}
		return out
	case []any:
		if !needsExternalize(t) {
			return t
		}
		out := make([]any, 0, len(t))
		for _, e := range t {
			out = append(out, externalizeItem(e))
		}
		return out
	case *jsonvalue.Object:
		if !needsExternalize(t) {
			return t
		}
		o := jsonvalue.NewObject(t.Len())
		t.Range(func(k string, e any) bool {
			if !isFunction(e) && !isUndef(e) {
				o.Set(k, externalize(e))
			}
			return true
		})
		return o
	}
	return v
}

// externalizeItem converts an array item: JSON.stringify writes undefined and
// functions in arrays as null.
func externalizeItem(v any) any {
	if isFunction(v) || isUndef(v) {
		return nil
	}
	return externalize(v)
}

// needsExternalize reports whether v holds anything outside the jsonvalue model.
func needsExternalize(v any) bool {
	switch t := v.(type) {
	case *array, *lambda, *native, *matcher, *transformer, undefinedValue:
		return true
	case []any:
		for _, e := range t {
			if needsExternalize(e) {
				return true
			}
		}
	case *jsonvalue.Object:
		found := false
		t.Range(func(_ string, e any) bool {
			found = needsExternalize(e)
			return !found
		})
		return found
	}
	return false
}
