package jsonata

import (
	"stepline/jsonvalue"
)

// fnKeys is $keys: an object's keys in order, or the distinct keys of an array of
// objects.
func fnKeys(_ call, args []any) (any, error) {
	result := newSeq(0)
	a := arg(args, 0)
	if items, ok := arrayItems(a); ok {
		seen := map[string]bool{}
		for _, it := range items {
			if o, ok := it.(*jsonvalue.Object); ok {
				for _, k := range o.Keys() {
					if !seen[k] {
						seen[k] = true
						result.items = append(result.items, k)
					}
				}
			}
		}
	} else if o, ok := a.(*jsonvalue.Object); ok {
		for _, k := range o.Keys() {
			result.items = append(result.items, k)
		}
	}
	return result, nil
}

// fnLookup is $lookup: a field of an object, or of each object in an array.
func fnLookup(_ call, args []any) (any, error) {
	key, _ := arg(args, 1).(string)
	return lookupField(arg(args, 0), key), nil
}

// spread splits objects into one-entry objects, recursing into arrays ($spread).
func spread(v any) any {
	if items, ok := arrayItems(v); ok {
		var result any = newSeq(0)
		for _, it := range items {
			result = appendValues(result, spread(it))
		}
		return result
	}
	if o, ok := v.(*jsonvalue.Object); ok {
		result := newSeq(o.Len())
		o.Range(func(k string, e any) bool {
			one := jsonvalue.NewObject(1)
			one.Set(k, e)
			result.items = append(result.items, one)
			return true
		})
		return result
	}
	return v
}

// fnSpread is $spread.
func fnSpread(_ call, args []any) (any, error) { return spread(arg(args, 0)), nil }

// fnMerge is $merge: later objects' entries override earlier ones.
func fnMerge(_ call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	result := jsonvalue.NewObject(0)
	for _, it := range items {
		if o, ok := it.(*jsonvalue.Object); ok {
			o.Range(func(k string, v any) bool {
				result.Set(k, v)
				return true
			})
		}
	}
	return result, nil
}

// fnClone is $clone, which the transform operator uses to copy its input.
func fnClone(_ call, args []any) (any, error) { return cloneValue(arg(args, 0)) }
