package jsonpath

import (
	"stepline/jsonvalue"
)

// Get evaluates the path against doc. A definite path returns the node it names, or an
// error wrapping ErrNoResult (a *NotFoundError carrying Jayway's message) when there is
// none. An indefinite path returns a []any of the matches in document order, empty when
// nothing matches: AWS returns [] for "$.items[*]" on {}. Like Jayway, an indefinite
// path still fails when a step before its first indefinite one meets the wrong kind of
// node ("$.s[1:]" on a string). The result shares structure with doc; callers that
// modify it must copy it first.
func (p *Path) Get(doc any) (any, error) {
	return p.get(doc, doc)
}

// get evaluates from start; root is what $ means inside filters.
func (p *Path) get(start, root any) (any, error) {
	if p.definite {
		// A definite path has no filter, so it never needs the root.
		return p.getDefinite(start)
	}
	out := []any{}
	w := walker{p: p, segs: p.segs, root: root, out: &out, strict: p.strict}
	if err := w.walk(0, start); err != nil {
		return nil, err
	}
	return out, nil
}

// getDefinite follows a definite path without allocating on success.
func (p *Path) getDefinite(start any) (any, error) {
	cur := start
	last := len(p.segs) - 1
	for i := range p.segs {
		s := &p.segs[i]
		switch s.kind {
		case segName:
			obj, ok := cur.(*jsonvalue.Object)
			if !ok {
				return nil, p.notObjectError(i)
			}
			if len(s.names) > 1 {
				// Jayway merges several names in the last step into one object.
				return mergeNames(obj, s.names), nil
			}
			v, ok := obj.Get(s.names[0])
			if !ok {
				if i == last {
					return nil, &NotFoundError{Message: "No results for path: " + p.norm}
				}
				return nil, &NotFoundError{Message: "Missing property in path " + p.prefix(i+1)}
			}
			cur = v
		case segIndex:
			arr, ok := cur.([]any)
			if !ok {
				return nil, p.notArrayError(i, cur)
			}
			n := s.indexes[0]
			if n < 0 {
				n += len(arr)
			}
			if n < 0 || n >= len(arr) {
				return nil, p.indexError(i)
			}
			cur = arr[n]
		default:
			// isDefinite admits no other kind; treat a stray one as no result rather
			// than guess.
			return nil, &NotFoundError{Message: "No results for path: " + p.norm}
		}
	}
	return cur, nil
}

func mergeNames(obj *jsonvalue.Object, names []string) *jsonvalue.Object {
	m := jsonvalue.NewObject(len(names))
	for _, n := range names {
		if v, ok := obj.Get(n); ok {
			m.Set(n, v)
		}
	}
	return m
}

// prefix is the normalized form of the first n steps.
func (p *Path) prefix(n int) string {
	return string(appendNormalized([]byte{p.norm[0]}, p.segs[:n]))
}

// The messages below are those of the Jayway version AWS runs (its bracket names are
// taken verbatim, which newer Jayway releases no longer do), as AWS quotes them after
// "Invalid path '$.x' : ".

func (p *Path) notObjectError(i int) error {
	frag := string(appendSegment(nil, &p.segs[i]))
	return &NotFoundError{Message: "Property " + frag + " not found in path " + p.prefix(i)}
}

func (p *Path) indexError(i int) error {
	return &NotFoundError{Message: "Index out of bounds when evaluating path " + p.prefix(i+1)}
}

func (p *Path) notArrayError(i int, cur any) error {
	if cur == nil {
		return &NotFoundError{Message: "The path " + p.prefix(i) + " is null"}
	}
	rest := string(appendNormalized(nil, p.segs[i:]))
	return &NotFoundError{Message: "Filter: " + rest + " can only be applied to arrays. Current context is: " +
		string(appendJavaMessage(nil, cur))}
}

// sliceBounds follows Jayway's ArraySliceOperation: negative bounds count from the end,
// and the range is clamped to the array.
func sliceBounds(s *segment, n int) (int, int) {
	from, to := 0, n
	if s.hasFrom {
		from = s.from
		if from < 0 {
			from += n
		}
	}
	if s.hasTo {
		to = s.to
		if to < 0 {
			to += n
		}
	}
	from = max(from, 0)
	to = min(to, n)
	if from >= to {
		return 0, 0
	}
	return from, to
}
