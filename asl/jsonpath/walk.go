package jsonpath

import (
	"strconv"

	"stepline/jsonvalue"
)

// walker collects the matches of an indefinite path. While every step before the
// current one is definite ("upstream definite" in Jayway's terms), a step applied to
// the wrong kind of node is an error, as in Jayway: "$.s[1:]" on a string fails.
// Past the first indefinite step, missing properties, indexes out of range and steps
// that do not fit simply match nothing.
type walker struct {
	p      *Path
	segs   []segment
	root   any
	out    *[]any
	strict int // steps [0, strict] have a definite upstream
}

// leadingDefinite counts the steps at the start of segs that are definite on their own.
func leadingDefinite(segs []segment) int {
	for i := range segs {
		if !isDefinite(segs[i : i+1]) {
			return i
		}
	}
	return len(segs)
}

func (w *walker) walk(i int, cur any) error {
	if i == len(w.segs) {
		*w.out = append(*w.out, cur)
		return nil
	}
	if w.segs[i].scan {
		return w.scan(i, cur)
	}
	return w.step(i, cur)
}

// scan applies step i at cur and at every node below it, parents before children.
// Nodes of the wrong kind are passed over, never errors.
func (w *walker) scan(i int, cur any) error {
	s := &w.segs[i]
	switch t := cur.(type) {
	case *jsonvalue.Object:
		if s.kind != segIndex && s.kind != segSlice {
			if err := w.stepLoose(i, cur); err != nil {
				return err
			}
		}
		for _, k := range t.Keys() {
			v, _ := t.Get(k)
			if err := w.scan(i, v); err != nil {
				return err
			}
		}
	case []any:
		if s.kind == segIndex || s.kind == segSlice || s.kind == segWildcard {
			if err := w.stepLoose(i, cur); err != nil {
				return err
			}
		}
		for _, e := range t {
			if err := w.scan(i, e); err != nil {
				return err
			}
		}
	}
	return nil
}

// stepLoose is step without the checks of a definite upstream.
func (w *walker) stepLoose(i int, cur any) error {
	saved := w.strict
	w.strict = -1
	err := w.step(i, cur)
	w.strict = saved
	return err
}

// step applies step i (ignoring its scan flag) to cur.
func (w *walker) step(i int, cur any) error {
	s := &w.segs[i]
	strict := i <= w.strict
	switch s.kind {
	case segName:
		obj, ok := cur.(*jsonvalue.Object)
		if !ok {
			if strict {
				return w.p.notObjectError(i)
			}
			return nil
		}
		if len(s.names) > 1 && i == len(w.segs)-1 {
			*w.out = append(*w.out, mergeNames(obj, s.names))
			return nil
		}
		for _, n := range s.names {
			if v, ok := obj.Get(n); ok {
				if err := w.walk(i+1, v); err != nil {
					return err
				}
			}
		}
	case segIndex:
		arr, err := w.array(i, cur, strict)
		if err != nil || arr == nil {
			return err
		}
		for _, n := range s.indexes {
			j := n
			if j < 0 {
				j += len(arr)
			}
			if j < 0 || j >= len(arr) {
				if strict {
					return &NotFoundError{Message: "Index out of bounds when evaluating path " +
						w.p.prefix(i) + "[" + strconv.Itoa(n) + "]"}
				}
				continue
			}
			if err := w.walk(i+1, arr[j]); err != nil {
				return err
			}
		}
	case segWildcard:
		switch t := cur.(type) {
		case *jsonvalue.Object:
			for _, k := range t.Keys() {
				v, _ := t.Get(k)
				if err := w.walk(i+1, v); err != nil {
					return err
				}
			}
		case []any:
			for _, e := range t {
				if err := w.walk(i+1, e); err != nil {
					return err
				}
			}
		}
	case segSlice:
		arr, err := w.array(i, cur, strict)
		if err != nil || arr == nil {
			return err
		}
		from, to := sliceBounds(s, len(arr))
		for j := from; j < to; j++ {
			if err := w.walk(i+1, arr[j]); err != nil {
				return err
			}
		}
	case segFilter:
		return w.filter(i, s, cur, strict)
	}
	return nil
}

// array returns cur as an array; nil without error when the step matches nothing.
func (w *walker) array(i int, cur any, strict bool) ([]any, error) {
	arr, ok := cur.([]any)
	if !ok && strict {
		return nil, w.p.notArrayError(i, cur)
	}
	return arr, nil
}

func (w *walker) filter(i int, s *segment, cur any, strict bool) error {
	switch t := cur.(type) {
	case []any:
		for _, e := range t {
			if s.filter.test(w.root, e) {
				if err := w.walk(i+1, e); err != nil {
					return err
				}
			}
		}
	case *jsonvalue.Object:
		// Jayway applies a filter on an object to the object itself.
		if s.filter.test(w.root, t) {
			return w.walk(i+1, t)
		}
	default:
		if strict {
			return &NotFoundError{Message: "Filter: " + string(appendNormalized(nil, w.segs[i:])) +
				" can not be applied to primitives. Current context is: " + string(appendJavaMessage(nil, cur))}
		}
	}
	return nil
}
