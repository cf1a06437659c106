package jsonata

import (
	"stepline/jsonvalue"
)

// hofArgs passes a callback as many of (value, index, array) as it declares.
func hofArgs(fn any, a1, a2, a3 any) []any {
	args := []any{a1}
	n := arity(fn)
	if n >= 2 {
		args = append(args, a2)
	}
	if n >= 3 {
		args = append(args, a3)
	}
	return args
}

// callback calls a function argument of a higher-order built-in. Like jsonata-js's
// wrapper closures, it passes no context value.
func (c call) callback(fn any, args []any) (any, error) {
	return c.ev.apply(fn, args, nil, c.env, "", 0)
}

// fnMap is $map: the callback's results, undefined ones dropped, as a sequence (so
// a single result is not wrapped in an array).
func fnMap(c call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	fn := arg(args, 1)
	result := newSeq(len(items))
	for i, it := range items {
		res, err := c.callback(fn, hofArgs(fn, it, float64(i), a))
		if err != nil {
			return nil, err
		}
		if !isUndef(res) {
			result.items = append(result.items, res)
		}
	}
	return result, nil
}

// fnFilter is $filter: the items for which the callback's result is truthy.
func fnFilter(c call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	fn := arg(args, 1)
	result := newSeq(len(items))
	for i, it := range items {
		res, err := c.callback(fn, hofArgs(fn, it, float64(i), a))
		if err != nil {
			return nil, err
		}
		if b, err := toBoolean(res); err != nil {
			return nil, err
		} else if b == bTrue {
			result.items = append(result.items, it)
		}
	}
	return result, nil
}

// fnSingle is $single: the one item matching the predicate (or the only item);
// none is D3139 and more than one is D3138.
func fnSingle(c call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	fn := arg(args, 1)
	var result any = undefinedValue{}
	found := false
	for i, it := range items {
		positive := true
		if !isUndef(fn) {
			res, err := c.callback(fn, hofArgs(fn, it, float64(i), a))
			if err != nil {
				return nil, err
			}
			b, err := toBoolean(res)
			if err != nil {
				return nil, err
			}
			positive = b == bTrue
		}
		if positive {
			if found {
				return nil, withInfo("D3138", errInfo{index: i})
			}
			result, found = it, true
		}
	}
	if !found {
		return nil, newErr("D3139", 0, "")
	}
	return result, nil
}

// fnReduce is $reduce, a left fold. Without an initial value the first item is
// the accumulator; a callback of fewer than two parameters is D3050.
func fnReduce(c call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	fn := arg(args, 1)
	n := arity(fn)
	if n < 2 {
		return nil, withInfo("D3050", errInfo{index: 1})
	}
	init := arg(args, 2)
	var result any
	index := 0
	if isUndef(init) && len(items) > 0 {
		result = items[0]
		index = 1
	} else {
		result = init
	}
	for ; index < len(items); index++ {
		cargs := []any{result, items[index]}
		if n >= 3 {
			cargs = append(cargs, float64(index))
		}
		if n >= 4 {
			cargs = append(cargs, a)
		}
		var err error
		if result, err = c.callback(fn, cargs); err != nil {
			return nil, err
		}
	}
	return result, nil
}

// fnSift is $sift: the entries of an object for which the callback is truthy, or
// undefined when none is.
func fnSift(c call, args []any) (any, error) {
	o, ok := arg(args, 0).(*jsonvalue.Object)
	fn := arg(args, 1)
	result := jsonvalue.NewObject(0)
	if ok {
		for _, k := range o.Keys() {
			v, _ := o.Get(k)
			res, err := c.callback(fn, hofArgs(fn, v, k, o))
			if err != nil {
				return nil, err
			}
			if b, err := toBoolean(res); err != nil {
				return nil, err
			} else if b == bTrue {
				result.Set(k, v)
			}
		}
	}
	if result.Len() == 0 {
		return undefinedValue{}, nil
	}
	return result, nil
}

// fnEach is $each: the callback's results for each entry of an object, in key order.
func fnEach(c call, args []any) (any, error) {
	result := newSeq(0)
	o, ok := arg(args, 0).(*jsonvalue.Object)
	if !ok {
		return result, nil
	}
	fn := arg(args, 1)
	for _, k := range o.Keys() {
		v, _ := o.Get(k)
		res, err := c.callback(fn, hofArgs(fn, v, k, o))
		if err != nil {
			return nil, err
		}
		if !isUndef(res) {
			result.items = append(result.items, res)
		}
	}
	return result, nil
}

// jsTruthy is JavaScript's truthiness, which $sort applies to a comparator's result.
func jsTruthy(v any) bool {
	switch t := v.(type) {
	case undefinedValue, nil:
		return false
	case bool:
		return t
	case string:
		return t != ""
	}
	if f, ok := toFloat(v); ok {
		return f != 0 && f == f
	}
	return true
}

// fnSort is $sort, a stable merge sort. Without a comparator the items must be all
// numbers or all strings (D3070); a comparator says whether its first argument
// sorts after its second, judged by JavaScript truthiness.
func fnSort(c call, args []any) (any, error) {
	a := arg(args, 0)
	if isUndef(a) {
		return a, nil
	}
	items, _ := arrayItems(a)
	if len(items) <= 1 {
		return a, nil
	}
	fn := arg(args, 1)
	var greater func(x, y any) (bool, error)
	if isUndef(fn) {
		_, nums, err := arrayOfNumbers(items)
		if err != nil {
			return nil, err
		}
		strs := true
		for _, it := range items {
			if _, ok := it.(string); !ok {
				strs = false
				break
			}
		}
		if !nums && !strs {
			return nil, withInfo("D3070", errInfo{index: 1})
		}
		greater = func(x, y any) (bool, error) { return lessThan(y, x), nil }
	} else {
		greater = func(x, y any) (bool, error) {
			res, err := c.callback(fn, []any{x, y})
			if err != nil {
				return false, err
			}
			return jsTruthy(res), nil
		}
	}
	sorted, err := mergeSort(items, greater)
	if err != nil {
		return nil, err
	}
	return sorted, nil
}
