package jsonata

import (
	"math"

	"stepline/jsonvalue"
)

// tuple is one element of a tuple stream: the context value under "@" plus the
// focus, index and ancestor bindings collected along the path.
type tuple map[string]any

// clone copies a tuple, which each step extends independently.
func (t tuple) clone() tuple {
	c := make(tuple, len(t)+1)
	for k, v := range t {
		c[k] = v
	}
	return c
}

// frameFromTuple binds a tuple's variables ($o of @$o, $i of #$i, parent labels)
// in a new scope.
func frameFromTuple(env *frame, t tuple) *frame {
	f := &frame{parent: env, names: make([]string, 0, len(t)), values: make([]any, 0, len(t))}
	for k, v := range t {
		f.names = append(f.names, k)
		f.values = append(f.values, v)
	}
	return f
}

// evalPath evaluates a path's steps left to right, each step mapping over the
// sequence the previous one produced.
func (ev *evaluator) evalPath(expr *node, input any, env *frame) (any, error) {
	if expr.simpleName {
		// A lone field name on an object: what the general case computes,
		// without building sequences.
		if o, ok := input.(*jsonvalue.Object); ok {
			v, found := o.Get(expr.steps[0].op)
			if !found {
				return undefinedValue{}, nil
			}
			switch v.(type) {
			case *array:
			default:
				return v, nil
			}
		}
	}
	var inputSeq []any
	var inputArr *array
	var one [1]any
	if items, ok := arrayItems(input); ok && expr.steps[0].typ != nVariable {
		inputSeq = items
		inputArr, _ = input.(*array)
	} else {
		one[0] = input
		inputSeq = one[:]
	}
	var result any = undefinedValue{}
	isTupleStream := false
	var tupleBindings *array
	for i, step := range expr.steps {
		if step.tuple {
			isTupleStream = true
		}
		var err error
		if i == 0 && step.consArray {
			var in any = &array{items: append([]any(nil), inputSeq...), seq: true}
			if inputArr != nil {
				in = inputArr
			}
			result, err = ev.eval(step, in, env)
		} else if isTupleStream {
			tupleBindings, err = ev.evalTupleStep(step, inputSeq, tupleBindings, env)
		} else {
			result, err = ev.evalStep(step, inputSeq, env, i == len(expr.steps)-1)
		}
		if err != nil {
			return nil, err
		}
		if !isTupleStream {
			if isUndef(result) {
				break
			}
			if items, ok := arrayItems(result); ok && len(items) == 0 {
				break
			}
		}
		if step.focus == "" {
			if items, ok := arrayItems(result); ok {
				inputSeq = items
				inputArr, _ = result.(*array)
			} else {
				one[0] = result
				inputSeq = one[:]
				inputArr = nil
			}
		}
	}
	// A tuple stream ends as the context values, unless an enclosing path
	// (expr.tuple) still needs the bindings.
	if isTupleStream {
		if expr.tuple {
			result = tupleBindings
		} else {
			seq := newSeq(len(tupleBindings.items))
			for _, t := range tupleBindings.items {
				seq.items = append(seq.items, asTuple(t)["@"])
			}
			result = seq
		}
	}
	// A [] anywhere in the path keeps a single result in an array.
	if expr.keepSingletonArray {
		a, ok := result.(*array)
		if ok && a.cons && !a.seq {
			a = &array{items: []any{a}, seq: true}
			result = a
		} else if !ok {
			if items, isArr := result.([]any); isArr {
				// A plain array from the input: jsonata-js flags the array itself.
				a = &array{items: items}
			} else if isUndef(result) {
				a = newSeq(0)
			} else {
				a = seqOf(result)
			}
			result = a
		}
		a.keepSingleton = true
	}
	if expr.group != nil {
		in := result
		if isTupleStream {
			in = tupleBindings
		}
		return ev.evalGroup(expr.group.pairs, expr.group.pos, in, env)
	}
	return result, nil
}

// evalStep maps one step over the input sequence and flattens the results.
func (ev *evaluator) evalStep(expr *node, input []any, env *frame, lastStep bool) (any, error) {
	if expr.typ == nSort {
		result, err := ev.evalSort(expr, &array{items: append([]any(nil), input...), seq: true}, env)
		if err != nil {
			return nil, err
		}
		if expr.stages != nil {
			return ev.evalStages(expr.stages, result, env)
		}
		return result, nil
	}
	if expr.typ == nName && expr.stages == nil && expr.predicate == nil && expr.group == nil && !expr.keepArray {
		return evalNameStep(expr.op, input, lastStep), nil
	}
	c := stepCollector{hint: len(input)}
	for _, item := range input {
		res, err := ev.eval(expr, item, env)
		if err != nil {
			return nil, err
		}
		for _, s := range expr.stages {
			if res, err = ev.evalFilter(s.expr, res, env); err != nil {
				return nil, err
			}
		}
		if !isUndef(res) {
			c.add(res)
		}
	}
	return c.result(lastStep), nil
}

// evalStages applies a step's stages in order: filters, and index bindings (#$i)
// that record each tuple's position after the filters before them.
func (ev *evaluator) evalStages(stages []*stage, input any, env *frame) (any, error) {
	result := input
	for _, s := range stages {
		if !s.isIndex {
			var err error
			if result, err = ev.evalFilter(s.expr, result, env); err != nil {
				return nil, err
			}
			continue
		}
		items, _ := arrayItems(result)
		for i, t := range items {
			if tt, ok := t.(tuple); ok {
				tt[s.index] = float64(i)
			}
		}
	}
	return result, nil
}

// evalTupleStep evaluates a step of a path that binds variables (@, # or %), where
// each item carries its bindings as a tuple.
func (ev *evaluator) evalTupleStep(expr *node, input []any, bindings *array, env *frame) (*array, error) {
	if expr.typ == nSort {
		var result *array
		if bindings != nil {
			r, err := ev.evalSort(expr, bindings, env)
			if err != nil {
				return nil, err
			}
			result = toArray(r)
		} else {
			sorted, err := ev.evalSort(expr, &array{items: append([]any(nil), input...), seq: true}, env)
			if err != nil {
				return nil, err
			}
			items, _ := arrayItems(sorted)
			result = &array{seq: true, tupleStream: true, items: make([]any, 0, len(items))}
			for i, v := range items {
				t := tuple{"@": v}
				if expr.index != "" {
					t[expr.index] = float64(i)
				}
				result.items = append(result.items, t)
			}
		}
		if expr.stages != nil {
			r, err := ev.evalStages(expr.stages, result, env)
			if err != nil {
				return nil, err
			}
			result = toArray(r)
		}
		return result, nil
	}
	result := &array{seq: true, tupleStream: true}
	if bindings == nil {
		bindings = &array{items: make([]any, len(input))}
		for i, item := range input {
			bindings.items[i] = tuple{"@": item}
		}
	}
	for _, b := range bindings.items {
		bt := asTuple(b)
		stepEnv := frameFromTuple(env, bt)
		res, err := ev.eval(expr, bt["@"], stepEnv)
		if err != nil {
			return nil, err
		}
		if isUndef(res) {
			continue
		}
		resItems, isArr := arrayItems(res)
		if !isArr {
			resItems = []any{res}
		}
		resTuples := false
		if a, ok := res.(*array); ok && a.tupleStream {
			resTuples = true
		}
		for bb, r := range resItems {
			t := bt.clone()
			if resTuples {
				for k, v := range asTuple(r) {
					t[k] = v
				}
			} else {
				if expr.focus != "" {
					t[expr.focus] = r
					t["@"] = bt["@"]
				} else {
					t["@"] = r
				}
				if expr.index != "" {
					t[expr.index] = float64(bb)
				}
				if expr.ancestor != nil {
					t[expr.ancestor.label] = bt["@"]
				}
			}
			result.items = append(result.items, t)
		}
	}
	if expr.stages != nil {
		r, err := ev.evalStages(expr.stages, result, env)
		if err != nil {
			return nil, err
		}
		return toArray(r), nil
	}
	return result, nil
}

// toArray views a value as an internal array (wrapping a scalar or a plain array).
func toArray(v any) *array {
	switch t := v.(type) {
	case *array:
		return t
	case []any:
		return &array{items: t}
	case undefinedValue:
		return newSeq(0)
	}
	return seqOf(v)
}

// evalFilter applies a predicate: a number selects by index (negative from the
// end), anything else keeps the items for which it is truthy.
func (ev *evaluator) evalFilter(pred *node, input any, env *frame) (any, error) {
	results := newSeq(0)
	inArr, _ := input.(*array)
	tupleStream := inArr != nil && inArr.tupleStream
	if tupleStream {
		results.tupleStream = true
	}
	items, ok := arrayItems(input)
	if !ok {
		if isUndef(input) {
			items = []any{undefinedValue{}}
		} else {
			items = []any{input}
		}
	}
	// A literal number indexes directly; it is the common case ([0], [-1]).
	if pred.typ == nNumber {
		f, _ := pred.value.(float64)
		index := int(math.Floor(f))
		if index < 0 {
			index = len(items) + index
		}
		if index >= 0 && index < len(items) {
			item := items[index]
			if !isUndef(item) {
				if _, isArr := arrayItems(item); isArr {
					return item, nil
				}
				results.items = append(results.items, item)
			}
		}
		return results, nil
	}
	for index, item := range items {
		context := item
		fenv := env
		if tupleStream {
			t := asTuple(item)
			context = t["@"]
			fenv = frameFromTuple(env, t)
		}
		res, err := ev.eval(pred, context, fenv)
		if err != nil {
			return nil, err
		}
		// A predicate that yields numbers selects by index; any other value
		// selects by truthiness.
		if num, err := isNumeric(res); err != nil {
			return nil, err
		} else if num {
			res = []any{res}
		}
		if nums, ok, err := arrayOfNumbers(res); err != nil {
			return nil, err
		} else if ok {
			for _, n := range nums {
				ii := int(math.Floor(n))
				if ii < 0 {
					ii = len(items) + ii
				}
				if ii == index {
					results.items = append(results.items, item)
				}
			}
			continue
		}
		b, err := toBoolean(res)
		if err != nil {
			return nil, err
		}
		if b == bTrue {
			results.items = append(results.items, item)
		}
	}
	return results, nil
}

// arrayOfNumbers reports whether v is an array whose items are all numbers.
func arrayOfNumbers(v any) ([]float64, bool, error) {
	items, ok := arrayItems(v)
	if !ok {
		return nil, false, nil
	}
	nums := make([]float64, len(items))
	for i, it := range items {
		n, err := isNumeric(it)
		if err != nil {
			return nil, false, err
		}
		if !n {
			return nil, false, nil
		}
		nums[i], _ = toFloat(it)
	}
	return nums, true, nil
}

type groupEntry struct {
	data      any
	exprIndex int
}

// evalGroup builds an object from key/value pairs evaluated over the input,
// grouping the items that produce the same key.
func (ev *evaluator) evalGroup(pairs [][2]*node, pos int, input any, env *frame) (any, error) {
	result := jsonvalue.NewObject(len(pairs))
	inArr, _ := input.(*array)
	reduce := inArr != nil && inArr.tupleStream
	items, ok := arrayItems(input)
	if !ok {
		items = []any{input}
	}
	// An object constructor on nothing still evaluates once, so that
	// constant keys and values appear.
	if len(items) == 0 {
		items = []any{undefinedValue{}}
	}
	var keys []string
	groups := map[string]*groupEntry{}
	for _, item := range items {
		ienv := env
		context := item
		if reduce {
			t := asTuple(item)
			ienv = frameFromTuple(env, t)
			context = t["@"]
		}
		for pi, pair := range pairs {
			key, err := ev.eval(pair[0], context, ienv)
			if err != nil {
				return nil, err
			}
			if isUndef(key) {
				continue
			}
			ks, ok := key.(string)
			if !ok {
				e := valErr("T1003", key)
				e.Position = pos
				return nil, e
			}
			if g, ok := groups[ks]; ok {
				if g.exprIndex != pi {
					e := valErr("D1009", ks)
					e.Position = pos
					return nil, e
				}
				g.data = appendValues(g.data, item)
			} else {
				groups[ks] = &groupEntry{data: item, exprIndex: pi}
				keys = append(keys, ks)
			}
		}
	}
	for _, k := range keys {
		g := groups[k]
		context := g.data
		genv := env
		if reduce {
			t := reduceTupleStream(g.data)
			context = t["@"]
			delete(t, "@")
			genv = frameFromTuple(env, t)
		}
		v, err := ev.eval(pairs[g.exprIndex][1], context, genv)
		if err != nil {
			return nil, err
		}
		if !isUndef(v) {
			result.Set(k, v)
		}
	}
	return result, nil
}

// reduceTupleStream merges the tuples of a group into one, collecting each
// variable's values, so a group's value expression sees all of them.
func reduceTupleStream(v any) tuple {
	items, ok := arrayItems(v)
	if !ok {
		t := asTuple(v)
		return t.clone()
	}
	result := asTuple(items[0]).clone()
	for _, it := range items[1:] {
		for k, val := range asTuple(it) {
			cur, ok := result[k]
			if !ok {
				cur = undefinedValue{}
			}
			result[k] = appendValues(cur, val)
		}
	}
	return result
}

// stepCollector gathers a step's results, flattening arrays into one sequence.
// It holds a lone result without allocating, since most steps over one item
// yield one value.
type stepCollector struct {
	out    *array
	single any
	count  int
	hint   int
}

// add records one step result.
func (c *stepCollector) add(res any) {
	c.count++
	if c.count == 1 {
		c.single = res
		return
	}
	if c.count == 2 {
		c.out = newSeq(c.hint * 2)
		c.flatten(c.single)
	}
	c.flatten(res)
}

// flatten appends v to the sequence, spreading arrays but keeping constructed ones.
func (c *stepCollector) flatten(v any) {
	switch t := v.(type) {
	case []any:
		c.out.items = append(c.out.items, t...)
	case *array:
		if t.cons {
			c.out.items = append(c.out.items, t)
		} else {
			c.out.items = append(c.out.items, t.items...)
		}
	default:
		c.out.items = append(c.out.items, v)
	}
}

// seq1 is a one-item sequence in a single allocation.
type seq1 struct {
	a    array
	slot [1]any
}

// oneItemSeq is a one-item sequence in a single allocation.
func oneItemSeq(v any) *array {
	s := &seq1{}
	s.slot[0] = v
	s.a.items = s.slot[:]
	s.a.seq = true
	return &s.a
}

// result is the step's value; a lone plain array on the last step is kept whole,
// as jsonata-js does.
func (c *stepCollector) result(lastStep bool) any {
	switch c.count {
	case 0:
		return &array{seq: true}
	case 1:
		if lastStep {
			if items, ok := c.single.([]any); ok {
				return items
			}
			if a, ok := c.single.(*array); ok && !a.seq {
				return a
			}
		}
		switch t := c.single.(type) {
		case []any:
			return &array{items: t, seq: true}
		case *array:
			if t.cons {
				return oneItemSeq(t)
			}
			return &array{items: t.items, seq: true}
		}
		return oneItemSeq(c.single)
	}
	return c.out
}

// evalNameStep is evalStep for a plain field name.
func evalNameStep(key string, input []any, lastStep bool) any {
	c := stepCollector{hint: len(input)}
	for _, item := range input {
		if res := lookupField(item, key); !isUndef(res) {
			c.add(res)
		}
	}
	return c.result(lastStep)
}

// asTuple views a tuple stream item as a tuple. A stream only ever holds tuples,
// but a malformed expression must not crash the evaluator, so anything else
// reads as an empty tuple (whose context is undefined).
func asTuple(v any) tuple {
	if t, ok := v.(tuple); ok {
		return t
	}
	return tuple{"@": undefinedValue{}}
}
