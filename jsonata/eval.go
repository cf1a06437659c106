package jsonata

import (
	"stepline/jsonvalue"
)

// eval evaluates one node: jsonata-js's evaluate. It also enforces the depth and
// step limits, and collapses result sequences (a singleton becomes its item, an
// empty sequence becomes undefined).
func (ev *evaluator) eval(expr *node, input any, env *frame) (any, error) {
	// Depth counts nested evaluations, as jsonata-js's test harness does with its
	// entry and exit callbacks, so the suite's "depth" limits mean the same here.
	ev.depth++
	ev.steps++
	if ev.depth > ev.maxDepth {
		ev.depth--
		return nil, newErr("U1001", expr.pos, "")
	}
	if ev.steps > ev.maxSteps {
		ev.depth--
		// jsonata-js's test harness reports a timeout with the same code as a
		// stack overflow.
		e := newErr("U1002", expr.pos, "")
		e.Code = "U1001"
		return nil, e
	}
	result, err := ev.evalNode(expr, input, env)
	if err == nil && expr.predicate != nil {
		for _, p := range expr.predicate {
			if result, err = ev.evalFilter(p.expr, result, env); err != nil {
				break
			}
		}
	}
	if err == nil && expr.typ != nPath && expr.group != nil {
		result, err = ev.evalGroup(expr.group.pairs, expr.group.pos, result, env)
	}
	ev.depth--
	if err != nil {
		return nil, err
	}
	// Sequences are JSONata's multi-valued results: one value is the value
	// itself, none is undefined, unless [] asked to keep the array.
	if a, ok := result.(*array); ok && a.seq && !a.tupleStream {
		if expr.keepArray {
			a.keepSingleton = true
		}
		switch len(a.items) {
		case 0:
			return undefinedValue{}, nil
		case 1:
			if !a.keepSingleton {
				return a.items[0], nil
			}
		}
	}
	return result, nil
}

// evalNode dispatches on the node type.
func (ev *evaluator) evalNode(expr *node, input any, env *frame) (any, error) {
	switch expr.typ {
	case nPath:
		return ev.evalPath(expr, input, env)
	case nBinary:
		return ev.evalBinary(expr, input, env)
	case nUnary:
		return ev.evalUnary(expr, input, env)
	case nName:
		return lookupField(input, expr.op), nil
	case nString, nNumber, nValue:
		return expr.value, nil
	case nWildcard:
		return evalWildcard(input), nil
	case nDescendant:
		return evalDescendants(input), nil
	case nParent:
		v, _ := ev.lookup(env, expr.slot.label)
		return v, nil
	case nCondition:
		c, err := ev.eval(expr.cond, input, env)
		if err != nil {
			return nil, err
		}
		b, err := toBoolean(c)
		if err != nil {
			return nil, err
		}
		if b == bTrue {
			return ev.eval(expr.then, input, env)
		}
		if expr.els != nil {
			return ev.eval(expr.els, input, env)
		}
		return undefinedValue{}, nil
	case nBlock:
		var result any = undefinedValue{}
		f := env
		if expr.needsFrame {
			f = newFrame(env)
		}
		for _, e := range expr.items {
			var err error
			if result, err = ev.eval(e, input, f); err != nil {
				return nil, err
			}
		}
		return result, nil
	case nBind:
		v, err := ev.eval(expr.rhs, input, env)
		if err != nil {
			return nil, err
		}
		env.bind(expr.lhs.op, v)
		return v, nil
	case nRegex:
		return &matcher{re: expr.re, pos: expr.pos}, nil
	case nFunction:
		return ev.evalFunction(expr, input, env, nil)
	case nVariable:
		if expr.op == "" {
			if a, ok := input.(*array); ok && a.outerWrapper && len(a.items) > 0 {
				return a.items[0], nil
			}
			return input, nil
		}
		v, _ := ev.lookup(env, expr.op)
		return v, nil
	case nLambda:
		return &lambda{input: input, env: env, params: expr.params, sig: expr.sig, body: expr.body, thunk: expr.thunk}, nil
	case nPartial:
		return ev.evalPartial(expr, input, env)
	case nApply:
		return ev.evalApply(expr, input, env)
	case nTransform:
		return &transformer{expr: expr, env: env}, nil
	case nSort:
		// A sort on its own (not in a path) is wrapped in a path by the parser.
		return ev.evalSort(expr, input, env)
	}
	return undefinedValue{}, nil
}

// lookupField is jsonata-js's fn.lookup: a field of an object, or of each object
// in an array, flattening array values into the result sequence.
func lookupField(input any, key string) any {
	switch t := input.(type) {
	case *jsonvalue.Object:
		if v, ok := t.Get(key); ok {
			return v
		}
		return undefinedValue{}
	case []any:
		return lookupFieldItems(t, key)
	case *array:
		return lookupFieldItems(t.items, key)
	}
	return undefinedValue{}
}

// lookupFieldItems looks key up in each item, flattening array values.
func lookupFieldItems(items []any, key string) any {
	result := newSeq(len(items))
	for _, item := range items {
		res := lookupField(item, key)
		if isUndef(res) {
			continue
		}
		if sub, ok := arrayItems(res); ok {
			result.items = append(result.items, sub...)
		} else {
			result.items = append(result.items, res)
		}
	}
	return result
}

// evalWildcard is *: the values of an object's fields, arrays flattened.
func evalWildcard(input any) any {
	results := newSeq(0)
	if a, ok := input.(*array); ok && a.outerWrapper && len(a.items) > 0 {
		input = a.items[0]
	}
	if items, ok := arrayItems(input); ok {
		// An array is an object in JavaScript, its keys the indexes.
		for _, v := range items {
			if sub, ok := arrayItems(v); ok {
				results.items = appendFlat(results.items, sub)
			} else {
				results.items = append(results.items, v)
			}
		}
	} else if o, ok := input.(*jsonvalue.Object); ok {
		o.Range(func(_ string, v any) bool {
			if items, ok := arrayItems(v); ok {
				results.items = appendFlat(results.items, items)
			} else {
				results.items = append(results.items, v)
			}
			return true
		})
	}
	return results
}

// appendFlat appends the leaves of nested arrays.
func appendFlat(dst, items []any) []any {
	for _, it := range items {
		if sub, ok := arrayItems(it); ok {
			dst = appendFlat(dst, sub)
		} else {
			dst = append(dst, it)
		}
	}
	return dst
}

// evalDescendants is **: the input and every value nested in it, depth first.
func evalDescendants(input any) any {
	if isUndef(input) {
		return undefinedValue{}
	}
	results := newSeq(0)
	recurseDescendants(input, results)
	if len(results.items) == 1 {
		return results.items[0]
	}
	return results
}

// recurseDescendants appends input and everything below it to results.
func recurseDescendants(input any, results *array) {
	if items, ok := arrayItems(input); ok {
		for _, m := range items {
			recurseDescendants(m, results)
		}
		return
	}
	results.items = append(results.items, input)
	if o, ok := input.(*jsonvalue.Object); ok {
		o.Range(func(_ string, v any) bool {
			recurseDescendants(v, results)
			return true
		})
	}
}
