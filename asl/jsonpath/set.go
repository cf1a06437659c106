package jsonpath

import (
	"stepline/jsonvalue"
)

// Set returns doc with value placed at refPath, the way ResultPath combines a state's
// input and result. "$" replaces the whole document. Missing objects on the way are
// created. The input is never modified: every object or array on the path is copied
// (shallowly), the rest is shared, so other holders of doc still see it unchanged.
// A path that is not a reference path, or that runs through a value that is not an
// object (or an array index out of range), yields an error wrapping ErrResultPathMatch
// (AWS: States.ResultPathMatchFailure) or ErrSyntax.
func Set(doc any, refPath string, value any) (any, error) {
	p, err := Compile(refPath)
	if err != nil {
		return nil, err
	}
	return p.Set(doc, value)
}

// Set is the package-level Set for a compiled path.
func (p *Path) Set(doc any, value any) (any, error) {
	if !p.IsReference() {
		return nil, &SyntaxError{Path: p.text, Message: "The path " + p.text + " is not a reference path"}
	}
	v, ok := setAt(doc, p.segs, value)
	if !ok {
		return nil, &SetError{Path: p.text, Input: doc}
	}
	return v, nil
}

func setAt(cur any, segs []segment, value any) (any, bool) {
	if len(segs) == 0 {
		return value, true
	}
	s := &segs[0]
	switch s.kind {
	case segName:
		obj, ok := cur.(*jsonvalue.Object)
		if !ok {
			return nil, false
		}
		name := s.names[0]
		child, exists := obj.Get(name)
		if !exists && len(segs) > 1 {
			if segs[1].kind != segName {
				return nil, false
			}
			child = jsonvalue.NewObject(1)
		}
		nv, ok := setAt(child, segs[1:], value)
		if !ok {
			return nil, false
		}
		c := obj.Clone()
		c.Set(name, nv)
		return c, true
	case segIndex:
		arr, ok := cur.([]any)
		if !ok {
			return nil, false
		}
		n := s.indexes[0]
		if n < 0 {
			n += len(arr)
		}
		if n < 0 || n >= len(arr) {
			return nil, false
		}
		nv, ok := setAt(arr[n], segs[1:], value)
		if !ok {
			return nil, false
		}
		c := make([]any, len(arr))
		copy(c, arr)
		c[n] = nv
		return c, true
	}
	return nil, false
}
