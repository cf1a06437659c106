package intrinsic

import (
	"encoding/json"

	"stepline/asl/jsonpath"
	"stepline/jsonvalue"
)

// maxArrayRange is AWS's limit on the elements States.ArrayRange may produce.
const maxArrayRange = 1000

// evalArray is States.Array(args...).
func evalArray(_ *Call, _ *Env, args []any) (any, error) {
	return args, nil
}

// evalArrayPartition is States.ArrayPartition(array, size): chunks of size elements,
// the last one possibly shorter.
func evalArrayPartition(c *Call, _ *Env, args []any) (any, error) {
	arr, err := c.argArray(args, 0, "input")
	if err != nil {
		return nil, err
	}
	size, err := c.argInt(args, 1, "chunk size")
	if err != nil {
		return nil, err
	}
	if size <= 0 {
		return nil, c.fail("the chunk size must be positive, but was %d", size)
	}
	out := make([]any, 0, (int64(len(arr))+size-1)/size)
	for i := int64(0); i < int64(len(arr)); i += size {
		end := min(i+size, int64(len(arr)))
		chunk := make([]any, end-i)
		copy(chunk, arr[i:end])
		out = append(out, chunk)
	}
	return out, nil
}

// evalArrayContains is States.ArrayContains(array, value), comparing as JSON.
func evalArrayContains(c *Call, _ *Env, args []any) (any, error) {
	arr, err := c.argArray(args, 0, "input")
	if err != nil {
		return nil, err
	}
	for _, e := range arr {
		if sameJSON(e, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// evalArrayRange is States.ArrayRange(start, end, step): start, start+step, ... up to
// and including end, at most 1000 elements.
func evalArrayRange(c *Call, _ *Env, args []any) (any, error) {
	start, err := c.argInt(args, 0, "start")
	if err != nil {
		return nil, err
	}
	end, err := c.argInt(args, 1, "end")
	if err != nil {
		return nil, err
	}
	step, err := c.argInt(args, 2, "step")
	if err != nil {
		return nil, err
	}
	if step == 0 {
		return nil, c.fail("the step must not be 0")
	}
	var n int64
	if (step > 0 && end >= start) || (step < 0 && end <= start) {
		// Divide in big steps first so that extreme bounds cannot overflow.
		span := end - start
		if (span > 0) != (end > start) {
			return nil, c.fail("the range is too large")
		}
		n = span/step + 1
	}
	if n > maxArrayRange {
		return nil, c.fail("the range would produce %d elements, more than the maximum of %d", n, maxArrayRange)
	}
	out := make([]any, n)
	for i := range n {
		out[i] = start + i*step
	}
	return out, nil
}

// evalArrayGetItem is States.ArrayGetItem(array, index).
func evalArrayGetItem(c *Call, _ *Env, args []any) (any, error) {
	arr, err := c.argArray(args, 0, "input")
	if err != nil {
		return nil, err
	}
	i, err := c.argInt(args, 1, "index")
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= int64(len(arr)) {
		return nil, c.fail("the index %d is out of bounds for an array of length %d", i, len(arr))
	}
	return arr[i], nil
}

// evalArrayLength is States.ArrayLength(array).
func evalArrayLength(c *Call, _ *Env, args []any) (any, error) {
	arr, err := c.argArray(args, 0, "input")
	if err != nil {
		return nil, err
	}
	return int64(len(arr)), nil
}

// evalArrayUnique is States.ArrayUnique(array): the first occurrence of each value, in
// order.
func evalArrayUnique(c *Call, _ *Env, args []any) (any, error) {
	arr, err := c.argArray(args, 0, "input")
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(arr))
next:
	for _, e := range arr {
		for _, seen := range out {
			if sameJSON(e, seen) {
				continue next
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// sameJSON is equality as Jackson's JsonNode.equals sees it: like jsonvalue.Equal,
// except that an integer never equals a fractional number (1 and 1.0 differ).
func sameJSON(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case *jsonvalue.Object:
		y, ok := b.(*jsonvalue.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys() {
			xv, _ := x.Get(k)
			yv, ok := y.Get(k)
			if !ok || !sameJSON(xv, yv) {
				return false
			}
		}
		return true
	}
	if jsonvalue.IsNumber(a) && jsonvalue.IsNumber(b) && isIntegral(a) != isIntegral(b) {
		return false
	}
	return jsonvalue.Equal(a, b)
}

func isIntegral(v any) bool {
	switch t := v.(type) {
	case json.Number:
		return jsonpath.IsIntegerText(t)
	case int, int64:
		return true
	}
	return false
}
