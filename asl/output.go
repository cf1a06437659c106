package asl

import "stepline/jsonvalue"

// The states whose result is their own input (Pass without Result, Choice, Wait,
// Succeed) end the same way in each query language; these helpers are that ending.

// exitJSONPath leaves a JSONPath state whose result is its effective input eff:
// Assign (read from eff, applied last), then OutputPath.
func (r *run) exitJSONPath(f *frame, n *node, next int, eff any, assign *assignBlock) {
	as, fl := r.evalAssign(f, n, assign, eff, nil, "Assign")
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	out, fl := r.applyOutputPath(f, n, eff)
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	r.exit(f, n, next, out, r.cachedText(f, out), as.apply(f))
}

// exitJSONata leaves a JSONata state whose output defaults to its input: Output and
// Assign are both evaluated against the state-entry values before either applies.
func (r *run) exitJSONata(f *frame, n *node, next int, states *jsonvalue.Object, output any, hasOutput bool, assign *assignBlock) {
	out, text := f.in(), f.text
	if hasOutput {
		v, fl := r.evalTemplate(f, n, output, states, "Output")
		if fl != nil {
			r.failFrame(f, *fl)
			return
		}
		out, text = v, nil
	}
	as, fl := r.evalAssign(f, n, assign, nil, states, "Assign")
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	r.exit(f, n, next, out, text, as.apply(f))
}

// cachedText returns f's input text when out is that very input: when the paths
// changed nothing, history writing need not marshal a large payload again.
func (r *run) cachedText(f *frame, out any) []byte {
	if sameValue(out, f.in()) {
		return f.text
	}
	return nil
}
