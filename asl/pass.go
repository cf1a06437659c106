package asl

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
		r.exit(f, n, n.next, f.in(), f.text, nil)
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
	// Result is a literal: ".$" keys in it are not evaluated (recorded on AWS).
	result := eff
	if n.hasResult {
		result = n.result
	}
	// Assign reads the state's result before ResultPath merges it into the input, and
	// the variables as they were when the state was entered.
	as, fl := r.evalAssign(f, n, n.assign, result, nil, "Assign")
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	out, fl := r.applyResultPath(f, n.resultPath, f.in(), result)
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

// passJSONata is a Pass in JSONata mode: Output (default: the input) and Assign are both
// evaluated against the state-entry values before either is applied.
func (r *run) passJSONata(f *frame, n *node) {
	if !n.hasOutput && n.assign == nil {
		r.exit(f, n, n.next, f.in(), f.text, nil)
		return
	}
	r.exitJSONata(f, n, n.next, r.statesVar(f, f.in(), nil, false, nil, nil), n.output, n.hasOutput, n.assign)
}
