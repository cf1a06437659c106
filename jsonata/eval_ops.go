package jsonata

import (
	"errors"
	"math"
)

// evalBinary evaluates a binary operator. and/or short-circuit; errors in the
// operator itself are located at the operator.
func (ev *evaluator) evalBinary(expr *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(expr.lhs, input, env)
	if err != nil {
		return nil, err
	}
	op := expr.op
	if op == "and" || op == "or" {
		l, err := boolize(lhs)
		if err != nil {
			return nil, err.override(expr.pos, op)
		}
		if (op == "and" && !l) || (op == "or" && l) {
			return l, nil
		}
		rhs, err2 := ev.eval(expr.rhs, input, env)
		if err2 != nil {
			var e *Error
			if errors.As(err2, &e) {
				e.override(expr.pos, op)
			}
			return nil, err2
		}
		r, err := boolize(rhs)
		if err != nil {
			return nil, err.override(expr.pos, op)
		}
		return r, nil
	}
	rhs, err := ev.eval(expr.rhs, input, env)
	if err != nil {
		return nil, err
	}
	var result any
	var e *Error
	switch op {
	case "+", "-", "*", "/", "%":
		result, e = numericOp(lhs, rhs, op)
	case "=":
		result = !isUndef(lhs) && !isUndef(rhs) && deepEqual(lhs, rhs)
	case "!=":
		result = !isUndef(lhs) && !isUndef(rhs) && !deepEqual(lhs, rhs)
	case "<", "<=", ">", ">=":
		result, e = compareOp(lhs, rhs, op)
	case "&":
		result, e = concatOp(lhs, rhs)
	case "..":
		result, e = rangeOp(lhs, rhs)
	case "in":
		result = includesOp(lhs, rhs)
	default:
		result = undefinedValue{}
	}
	if e != nil {
		return nil, e.locate(expr.pos, op)
	}
	return result, nil
}

// numericOp is + - * / %: both sides must be numbers (T2001, T2002), and an
// undefined side makes the result undefined.
func numericOp(lhs, rhs any, op string) (any, *Error) {
	l, lok := toFloat(lhs)
	if !isUndef(lhs) {
		if !lok || math.IsNaN(l) {
			return nil, valErr("T2001", lhs)
		}
		if math.IsInf(l, 0) {
			return nil, valErr("D1001", l)
		}
	}
	r, rok := toFloat(rhs)
	if !isUndef(rhs) {
		if !rok || math.IsNaN(r) {
			return nil, valErr("T2002", rhs)
		}
		if math.IsInf(r, 0) {
			return nil, valErr("D1001", r)
		}
	}
	if !lok || !rok {
		return undefinedValue{}, nil
	}
	switch op {
	case "+":
		return l + r, nil
	case "-":
		return l - r, nil
	case "*":
		return l * r, nil
	case "/":
		return l / r, nil
	}
	return math.Mod(l, r), nil
}

// compareOp is < <= > >=: both sides numbers or both strings (T2009, T2010); an
// undefined side makes the result undefined.
func compareOp(lhs, rhs any, op string) (any, *Error) {
	lt, rt := jsType(lhs), jsType(rhs)
	lc := lt == "undefined" || lt == "string" || lt == "number"
	rc := rt == "undefined" || rt == "string" || rt == "number"
	if !lc || !rc {
		v := rhs
		if !(lt == "string" || lt == "number") {
			v = lhs
		}
		return nil, valErr("T2010", v)
	}
	if lt == "undefined" || rt == "undefined" {
		return undefinedValue{}, nil
	}
	if lt != rt {
		return nil, withInfo("T2009", errInfo{value: lhs, value2: rhs, hasValue: true})
	}
	var c int
	if lt == "string" {
		ls, rs := lhs.(string), rhs.(string)
		switch {
		case ls < rs:
			c = -1
		case ls > rs:
			c = 1
		}
	} else {
		l, _ := toFloat(lhs)
		r, _ := toFloat(rhs)
		if math.IsNaN(l) || math.IsNaN(r) {
			return false, nil
		}
		switch {
		case l < r:
			c = -1
		case l > r:
			c = 1
		}
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// concatOp is &: both sides converted with $string, undefined as "".
func concatOp(lhs, rhs any) (any, *Error) {
	var ls, rs string
	if !isUndef(lhs) {
		s, err := stringify(lhs, false)
		if err != nil {
			return nil, err.(*Error)
		}
		ls = s
	}
	if !isUndef(rhs) {
		s, err := stringify(rhs, false)
		if err != nil {
			return nil, err.(*Error)
		}
		rs = s
	}
	return ls + rs, nil
}

// isInteger reports whether v is a finite whole number.
func isInteger(v any) (float64, bool) {
	f, ok := toFloat(v)
	return f, ok && !math.IsInf(f, 0) && f == math.Trunc(f)
}

// rangeOp is ..: integers only (T2003, T2004), at most 10^7 items (D2014), and
// undefined when the range is empty.
func rangeOp(lhs, rhs any) (any, *Error) {
	l, lok := isInteger(lhs)
	if !isUndef(lhs) && !lok {
		return nil, valErr("T2003", lhs)
	}
	r, rok := isInteger(rhs)
	if !isUndef(rhs) && !rok {
		return nil, valErr("T2004", rhs)
	}
	if !lok || !rok || l > r {
		return undefinedValue{}, nil
	}
	size := r - l + 1
	if size > 1e7 {
		return nil, valErr("D2014", size)
	}
	result := &array{items: make([]any, int(size)), seq: true}
	for i := range result.items {
		result.items[i] = l + float64(i)
	}
	return result, nil
}

// includesOp is in: whether rhs (or any item of it) is lhs, compared with ===.
func includesOp(lhs, rhs any) bool {
	if isUndef(lhs) || isUndef(rhs) {
		return false
	}
	items, ok := arrayItems(rhs)
	if !ok {
		items = []any{rhs}
	}
	for _, it := range items {
		if strictEqual(it, lhs) {
			return true
		}
	}
	return false
}

// boolize is the truthiness and/or use: undefined counts as false.
func boolize(v any) (bool, *Error) {
	b, err := toBoolean(v)
	if err != nil {
		return false, err.(*Error)
	}
	return b == bTrue, nil
}

// evalUnary evaluates negation and the array and object constructors. An array
// constructor flattens its items' arrays, except nested constructors.
func (ev *evaluator) evalUnary(expr *node, input any, env *frame) (any, error) {
	switch expr.op {
	case "-":
		v, err := ev.eval(expr.expr, input, env)
		if err != nil {
			return nil, err
		}
		if isUndef(v) {
			return v, nil
		}
		num, err := isNumeric(v)
		if err != nil {
			return nil, err
		}
		if !num {
			e := valErr("D1002", v)
			e.Position, e.Token = expr.pos, "-"
			return nil, e
		}
		f, _ := toFloat(v)
		return -f, nil
	case "[":
		result := make([]any, 0, len(expr.items))
		for _, item := range expr.items {
			v, err := ev.eval(item, input, env)
			if err != nil {
				return nil, err
			}
			if isUndef(v) {
				continue
			}
			if item.typ == nUnary && item.op == "[" {
				result = append(result, v)
			} else if items, ok := arrayItems(v); ok {
				result = append(result, items...)
			} else {
				result = append(result, v)
			}
		}
		if expr.consArray {
			return &array{items: result, cons: true}, nil
		}
		return result, nil
	case "{":
		return ev.evalGroup(expr.pairs, expr.pos, input, env)
	}
	return undefinedValue{}, nil
}

// appendValues is jsonata-js's fn.append: concatenates two values, either of which
// may be a single value or an array.
func appendValues(a, b any) any {
	if isUndef(a) {
		return b
	}
	if isUndef(b) {
		return a
	}
	ai, aok := arrayItems(a)
	if !aok {
		ai = []any{a}
	}
	bi, bok := arrayItems(b)
	if !bok {
		bi = []any{b}
	}
	out := make([]any, 0, len(ai)+len(bi))
	out = append(out, ai...)
	out = append(out, bi...)
	if !aok {
		// jsonata-js wraps a single value in a sequence before concatenating, but
		// concat returns a plain array either way.
		return out
	}
	return out
}

// evalSort implements the order-by operator with a stable merge sort.
func (ev *evaluator) evalSort(expr *node, input any, env *frame) (any, error) {
	inArr, _ := input.(*array)
	isTupleSort := inArr != nil && inArr.tupleStream
	items, ok := arrayItems(input)
	if !ok {
		return input, nil
	}
	cmp := func(a, b any) (bool, error) {
		comp := 0
		for _, term := range expr.terms {
			if comp != 0 {
				break
			}
			ctx, tenv := a, env
			if isTupleSort {
				ctx = asTuple(a)["@"]
				tenv = frameFromTuple(env, asTuple(a))
			}
			aa, err := ev.eval(term.expr, ctx, tenv)
			if err != nil {
				return false, err
			}
			ctx, tenv = b, env
			if isTupleSort {
				ctx = asTuple(b)["@"]
				tenv = frameFromTuple(env, asTuple(b))
			}
			bb, err := ev.eval(term.expr, ctx, tenv)
			if err != nil {
				return false, err
			}
			at, bt := jsType(aa), jsType(bb)
			if at == "undefined" {
				if bt != "undefined" {
					comp = 1
				}
				continue
			}
			if bt == "undefined" {
				comp = -1
				continue
			}
			if !(at == "string" || at == "number") || !(bt == "string" || bt == "number") {
				v := bb
				if !(at == "string" || at == "number") {
					v = aa
				}
				e := valErr("T2008", v)
				e.Position = expr.pos
				return false, e
			}
			if at != bt {
				e := withInfo("T2007", errInfo{value: aa, value2: bb, hasValue: true})
				e.Position = expr.pos
				return false, e
			}
			if strictEqual(aa, bb) {
				continue
			}
			if lessThan(aa, bb) {
				comp = -1
			} else {
				comp = 1
			}
			if term.descending {
				comp = -comp
			}
		}
		return comp == 1, nil
	}
	sorted, err := mergeSort(items, cmp)
	if err != nil {
		return nil, err
	}
	out := &array{items: sorted, seq: true, tupleStream: isTupleSort}
	return out, nil
}

// lessThan orders two numbers or two strings.
func lessThan(a, b any) bool {
	if as, ok := a.(string); ok {
		bs, _ := b.(string)
		return as < bs
	}
	x, _ := toFloat(a)
	y, _ := toFloat(b)
	return x < y
}

// mergeSort is the stable merge sort jsonata-js uses; greater(a, b) reports
// whether a sorts after b.
func mergeSort(items []any, greater func(a, b any) (bool, error)) ([]any, error) {
	if len(items) <= 1 {
		return append([]any(nil), items...), nil
	}
	mid := len(items) / 2
	left, err := mergeSort(items[:mid], greater)
	if err != nil {
		return nil, err
	}
	right, err := mergeSort(items[mid:], greater)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(items))
	i, j := 0, 0
	for i < len(left) && j < len(right) {
		g, err := greater(left[i], right[j])
		if err != nil {
			return nil, err
		}
		if g {
			out = append(out, right[j])
			j++
		} else {
			out = append(out, left[i])
			i++
		}
	}
	out = append(out, left[i:]...)
	return append(out, right[j:]...), nil
}
