package jsonata

import (
	"stepline/jsonvalue"
)

// transformer is the function a transform expression (| pattern | update, delete |)
// evaluates to; applying it to an object returns a modified deep copy.
type transformer struct {
	expr *node
	env  *frame
}

// transformSignature is the signature of a transform's function: an object or array.
func transformSignature() *signature { return mustSignature("<(oa):o>") }

// applyTransform applies a transform to obj: it clones obj with $clone, then for
// each match of the pattern merges in the update object (T2011 if not an object)
// and deletes the listed fields (T2012 if not strings).
func (ev *evaluator) applyTransform(t *transformer, obj any) (any, error) {
	if isUndef(obj) {
		return undefinedValue{}, nil
	}
	expr := t.expr
	clone, _ := ev.lookup(t.env, "clone")
	if !isFunction(clone) {
		return nil, newErr("T2013", expr.pos, "")
	}
	result, err := ev.apply(clone, []any{obj}, nil, t.env, "clone", 0)
	if err != nil {
		return nil, err
	}
	matches, err := ev.eval(expr.pattern, result, t.env)
	if err != nil {
		return nil, err
	}
	if isUndef(matches) {
		return result, nil
	}
	items, ok := arrayItems(matches)
	if !ok {
		items = []any{matches}
	}
	for _, match := range items {
		update, err := ev.eval(expr.update, match, t.env)
		if err != nil {
			return nil, err
		}
		mo, isObj := match.(*jsonvalue.Object)
		if !isUndef(update) {
			uo, ok := update.(*jsonvalue.Object)
			if !ok {
				e := valErr("T2011", update)
				e.Position = expr.update.pos
				return nil, e
			}
			if isObj {
				uo.Range(func(k string, v any) bool {
					mo.Set(k, v)
					return true
				})
			}
		}
		if expr.del == nil {
			continue
		}
		dels, err := ev.eval(expr.del, match, t.env)
		if err != nil {
			return nil, err
		}
		if isUndef(dels) {
			continue
		}
		names, ok := arrayItems(dels)
		if !ok {
			names = []any{dels}
		}
		for _, n := range names {
			if _, ok := n.(string); !ok {
				e := valErr("T2012", dels)
				e.Position = expr.del.pos
				return nil, e
			}
		}
		if isObj {
			for _, n := range names {
				mo.Delete(n.(string))
			}
		}
	}
	return result, nil
}

// cloneValue is $clone: a deep copy through JSON, as jsonata-js does with
// JSON.parse(JSON.stringify(v)).
func cloneValue(v any) (any, error) {
	if isUndef(v) {
		return v, nil
	}
	s, err := stringify(v, false)
	if err != nil {
		return nil, err
	}
	return jsonvalue.ParseString(s)
}
