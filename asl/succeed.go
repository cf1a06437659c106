package asl

import "stepline/jsonvalue"

// execSucceed ends the thread successfully.
func (r *run) execSucceed(f *frame, n *node) {
	var out any
	if n.jsonata {
		out = f.in()
		if n.hasOutput {
			v, fl := r.evalTemplate(f, n, n.output, r.statesVar(f, f.in(), nil, false, nil, nil), "Output")
			if fl != nil {
				r.failFrame(f, *fl)
				return
			}
			out = v
		}
	} else {
		eff, fl := r.applyInputPath(f, n)
		if fl != nil {
			r.failFrame(f, *fl)
			return
		}
		if out, fl = r.applyOutputPath(f, n, eff); fl != nil {
			r.failFrame(f, *fl)
			return
		}
	}
	r.exit(f, n, -1, out, r.cachedText(f, out), nil)
}

// sameValue reports whether a and b are the same Go value (not merely equal JSON), so a
// cached JSON text can be reused.
func sameValue(a, b any) bool {
	switch x := a.(type) {
	case *jsonvalue.Object:
		y, ok := b.(*jsonvalue.Object)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		return ok && len(x) == len(y) && (len(x) == 0 || &x[0] == &y[0])
	case string, bool, nil, float64:
		return a == b
	}
	return false
}
