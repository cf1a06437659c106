package asl

import "stepline/jsonvalue"

// execPass runs a Pass state: it moves its input (or Result, or Parameters) to its
// output, optionally assigning variables.
func (r *run) execPass(f *frame, n *node) {
	if n.jsonata {
		r.passJSONata(f, n)
		return
	}
	// The common chain of plain Pass states does no processing at all: the output is
	// the input, and so is its JSON text.
	if !n.hasParameters && !n.hasResult && n.assign == nil && n.inputPath.isIdentity() &&
		n.resultPath.isIdentity() && n.outputPath.isIdentity() {
		r.exit(f, n, n.next, f.input, f.text, nil)
		return
	}
	eff, fl := r.applyInputPath(f, n)
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	if n.hasParameters {
		if eff, fl = r.expand(f, n.parameters, eff, "Parameters", nil); fl != nil {
			r.failFrame(f, *fl)
			return
		}
	}
	result := eff
	if n.hasResult {
		result = n.result
	}
	as, fl := r.evalAssign(f, n, n.assign, result, nil, "Assign")
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	out, fl := r.applyResultPath(f, n.resultPath, f.input, result)
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	if out, fl = r.applyOutputPath(f, n, out); fl != nil {
		r.failFrame(f, *fl)
		return
	}
	r.exit(f, n, n.next, out, nil, as.apply(f))
}

func (r *run) passJSONata(f *frame, n *node) {
	if !n.hasOutput && n.assign == nil {
		r.exit(f, n, n.next, f.input, f.text, nil)
		return
	}
	states := r.statesVar(f, f.input, nil, false, nil, nil)
	out, text := f.input, f.text
	if n.hasOutput {
		v, fl := r.evalTemplate(f, n, n.output, states, "Output")
		if fl != nil {
			r.failFrame(f, *fl)
			return
		}
		out, text = v, nil
	}
	as, fl := r.evalAssign(f, n, n.assign, nil, states, "Assign")
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	r.exit(f, n, n.next, out, text, as.apply(f))
}

// execSucceed ends the thread successfully.
func (r *run) execSucceed(f *frame, n *node) {
	var out any
	if n.jsonata {
		out = f.input
		if n.hasOutput {
			v, fl := r.evalTemplate(f, n, n.output, r.statesVar(f, f.input, nil, false, nil, nil), "Output")
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
	var text []byte
	if sameValue(out, f.input) {
		text = f.text
	}
	r.exit(f, n, -1, out, text, nil)
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

// execFail ends the thread with the state's error and cause.
func (r *run) execFail(f *frame, n *node) {
	fl := failure{}
	if n.jsonata {
		states := r.statesVar(f, f.input, nil, false, nil, nil)
		for _, x := range []struct {
			v     any
			has   bool
			field string
			dst   *string
			flag  *bool
		}{{n.failError, n.hasError, "Error", &fl.Error, &fl.hasError}, {n.failCause, n.hasCause, "Cause", &fl.Cause, &fl.hasCause}} {
			if !x.has {
				continue
			}
			v, qf := r.evalTemplate(f, n, x.v, states, x.field)
			if qf != nil {
				r.failFrame(f, *qf)
				return
			}
			s, ok := v.(string)
			if !ok {
				s = string(textOf(v))
			}
			*x.dst, *x.flag = s, true
		}
		r.failFrame(f, fl)
		return
	}
	if n.hasError {
		fl.Error, fl.hasError = n.failError.(string)
	}
	if n.hasCause {
		fl.Cause, fl.hasCause = n.failCause.(string)
	}
	if n.errorPath != "" {
		v, qf := r.dynamicValue(f, n.errorPath, f.input, "ErrorPath", nil)
		if qf != nil {
			r.failFrame(f, *qf)
			return
		}
		fl.Error, fl.hasError = stringOrJSON(v), true
	}
	if n.causePath != "" {
		v, qf := r.dynamicValue(f, n.causePath, f.input, "CausePath", nil)
		if qf != nil {
			r.failFrame(f, *qf)
			return
		}
		fl.Cause, fl.hasCause = stringOrJSON(v), true
	}
	r.failFrame(f, fl)
}

func stringOrJSON(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(textOf(v))
}
