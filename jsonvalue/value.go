// Package jsonvalue is the JSON value model shared by the pure packages (asl, jsonata)
// and the engines above them.
//
// A value is one of:
//
//	nil          JSON null
//	bool         true / false
//	string       a string
//	json.Number  a number as parsed, its text kept so that untouched numbers
//	             (large integers, 1.0) leave exactly as they came in
//	float64      a number computed by an expression (int and int64 are accepted too)
//	[]any        an array
//	*Object      an object, keeping its keys in insertion order as AWS does
//
// Key order matters because Step Functions echoes objects in the order it received or
// built them, and users compare outputs as text.
package jsonvalue

import (
	"encoding/json"
	"math"
	"strconv"
)

// Object is a JSON object that remembers the order its keys were first set in.
// The zero value is an empty object ready to use.
type Object struct {
	keys []string
	m    map[string]any
}

// NewObject returns an empty object with room for n keys.
func NewObject(n int) *Object {
	return &Object{keys: make([]string, 0, n), m: make(map[string]any, n)}
}

// ObjectOf builds an object from alternating keys and values, for tests and literals.
func ObjectOf(kv ...any) *Object {
	o := NewObject(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// Len reports the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

// Get returns the value stored under k.
func (o *Object) Get(k string) (any, bool) {
	if o == nil || o.m == nil {
		return nil, false
	}
	v, ok := o.m[k]
	return v, ok
}

// Set stores v under k. A new key goes last; an existing key keeps its position.
func (o *Object) Set(k string, v any) {
	if o.m == nil {
		o.m = make(map[string]any)
	}
	if _, ok := o.m[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.m[k] = v
}

// Delete removes k, keeping the order of the other keys.
func (o *Object) Delete(k string) {
	if o == nil || o.m == nil {
		return
	}
	if _, ok := o.m[k]; !ok {
		return
	}
	delete(o.m, k)
	for i, key := range o.keys {
		if key == k {
			o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
			break
		}
	}
}

// Keys returns the keys in order. The slice must not be modified.
func (o *Object) Keys() []string {
	if o == nil {
		return nil
	}
	return o.keys
}

// Range calls f for each key in order until f returns false.
func (o *Object) Range(f func(k string, v any) bool) {
	if o == nil {
		return
	}
	for _, k := range o.keys {
		if !f(k, o.m[k]) {
			return
		}
	}
}

// Clone returns a shallow copy: the keys and the map are new, the values are shared.
func (o *Object) Clone() *Object {
	c := NewObject(o.Len())
	o.Range(func(k string, v any) bool { c.Set(k, v); return true })
	return c
}

// DeepCopy returns a copy of v that shares no object or array with it.
func DeepCopy(v any) any {
	switch t := v.(type) {
	case *Object:
		c := NewObject(t.Len())
		t.Range(func(k string, v any) bool { c.Set(k, DeepCopy(v)); return true })
		return c
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = DeepCopy(e)
		}
		return c
	default:
		return v
	}
}

// MarshalJSON lets encoding/json write an Object (compactly, in order).
func (o *Object) MarshalJSON() ([]byte, error) {
	return Marshal(o), nil
}

// IsNumber reports whether v is one of the number representations.
func IsNumber(v any) bool {
	switch v.(type) {
	case json.Number, float64, int, int64:
		return true
	}
	return false
}

// Float returns v as a float64 when v is a number.
func Float(v any) (float64, bool) {
	switch t := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			// Out of range: ParseFloat returns ±Inf with the error, which is what
			// a Java double would hold too.
			return f, !math.IsNaN(f)
		}
		return f, true
	case float64:
		return t, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	}
	return 0, false
}

// Int returns v as an int64 when v is a number with no fractional part that fits.
func Int(v any) (int64, bool) {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i, true
		}
	case int:
		return int64(t), true
	case int64:
		return t, true
	}
	f, ok := Float(v)
	if !ok || f != math.Trunc(f) || f < -9.223372036854775e18 || f > 9.223372036854775e18 {
		return 0, false
	}
	return int64(f), true
}

// TypeName names v's JSON type: null, boolean, number, string, array or object.
func TypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case *Object:
		return "object"
	}
	if IsNumber(v) {
		return "number"
	}
	return "unknown"
}

// Equal reports whether a and b are the same JSON value. Numbers compare by value
// (1 equals 1.0), objects ignore key order.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.keys {
			yv, ok := y.Get(k)
			if !ok || !Equal(x.m[k], yv) {
				return false
			}
		}
		return true
	}
	fa, ok1 := Float(a)
	fb, ok2 := Float(b)
	return ok1 && ok2 && fa == fb
}
