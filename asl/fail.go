package asl

// execFail ends the thread with the state's error and cause
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html). A Fail state
// has no Retry or Catch of its own; an enclosing Parallel or Map may handle its error.
// Error and Cause that are not given stay absent, and ExecutionFailed then leaves the
// fields out rather than writing empty strings, as AWS records it.
func (r *run) execFail(f *frame, n *node) {
	fl := failure{}
	if n.jsonata {
		// JSONata: Error and Cause may be expressions, which must yield strings.
		states := r.statesVar(f, f.in(), nil, false, nil, nil)
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
				expr, _ := exprText(x.v)
				r.failFrame(f, *r.typedExprFailure(f, x.field, expr, "string", v))
				return
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
	// JSONPath: ErrorPath and CausePath take a path (on the input, $$ or a variable) or
	// an intrinsic function, and win over the literal fields.
	if n.errorPath != "" {
		v, qf := r.selectPath(f, n.errorPath, f.in(), "ErrorPath")
		if qf != nil {
			r.failFrame(f, *qf)
			return
		}
		fl.Error, fl.hasError = stringOrJSON(v), true
	}
	if n.causePath != "" {
		v, qf := r.selectPath(f, n.causePath, f.in(), "CausePath")
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
