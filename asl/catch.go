package asl

import "stepline/jsonvalue"

// catcher is one Catch entry.
type catcher struct {
	errors     []string
	next       int
	resultPath pathField
	output     any
	hasOutput  bool
	assign     *assignBlock
}

// catchTo leaves the state through a catcher with the error output.
// The error output is {"Error","Cause"}; without ResultPath (JSONPath) or Output
// (JSONata) it replaces the state's input. A catcher's Assign runs instead of the
// state's, which is never evaluated when the state fails.
func (r *run) catchTo(f *frame, n *node, c catcher, fl failure) {
	errOut := jsonvalue.NewObject(2)
	errOut.Set("Error", fl.Error)
	errOut.Set("Cause", fl.Cause)
	f.wait = waitNone
	if n.jsonata {
		states := r.statesVar(f, f.in(), nil, false, errOut, nil)
		var out any = errOut
		if c.hasOutput {
			v, qf := r.evalTemplate(f, n, c.output, states, "Catch.Output")
			if qf != nil {
				r.failFrame(f, *qf)
				return
			}
			out = v
		}
		as, qf := r.evalAssign(f, n, c.assign, nil, states, "Catch.Assign")
		if qf != nil {
			r.failFrame(f, *qf)
			return
		}
		r.exit(f, n, c.next, out, nil, as.apply(f))
		return
	}
	as, qf := r.evalAssign(f, n, c.assign, errOut, nil, "Assign")
	if qf != nil {
		r.failFrame(f, *qf)
		return
	}
	out, qf := r.applyResultPath(f, c.resultPath, f.in(), errOut)
	if qf != nil {
		r.failFrame(f, *qf)
		return
	}
	r.exit(f, n, c.next, out, nil, as.apply(f))
}
