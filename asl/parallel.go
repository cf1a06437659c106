package asl

// execParallel starts one sub-thread per branch, all inside this execution's State.
func (r *run) execParallel(f *frame, n *node) {
	var input any
	var fl *failure
	if n.jsonata {
		input = f.in()
		if n.hasParameters {
			input, fl = r.evalTemplate(f, n, n.parameters, r.statesVar(f, f.in(), nil, false, nil, nil), "Arguments")
		}
	} else {
		input, fl = r.applyInputPath(f, n)
		if fl == nil && n.hasParameters {
			input, fl = r.expand(f, n.parameters, input, "Parameters", nil)
		}
	}
	if fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	// Every branch starts from the same effective input, runs as a sub-frame with its
	// own variable scope (reading, not assigning, the enclosing variables) and chains
	// its events from ParallelStateStarted.
	r.emitOn(f, "ParallelStateStarted", nil)
	text := textOf(input)
	fo := &fanOut{results: newLazyList(make([]any, len(n.branches))), tolCount: -1, tolPct: -1}
	f.fan = fo
	f.wait = waitChildren
	for i, g := range n.branches {
		k := &frame{graph: g, node: r.m.graphs[g].start, val: input, parsed: true, text: text,
			last: f.last, vars: newScope(f.vars), parent: f, index: i, quiet: f.quiet}
		fo.kids = append(fo.kids, k)
		fo.running++
		r.ready(k)
	}
}

// branchDone collects a finished branch. The first failure fails the Parallel state
// and aborts the branches still running.
func (r *run) branchDone(p, k *frame) {
	if p.wait != waitChildren || p.fan == nil {
		return
	}
	n := r.node(p)
	fo := p.fan
	fo.kids = removeKid(fo.kids, k)
	fo.running--
	if k.failed {
		// The other branches stop: their running states are aborted and their tasks and
		// timers withdrawn (https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html).
		for _, other := range fo.kids {
			r.abortAll(other)
		}
		p.fan = nil
		p.last = k.last
		p.wait = waitNone
		if k.err.terminal {
			// A terminal failure skips Retry and Catch, but the Parallel did run.
			r.emitOn(p, "ParallelStateFailed", nil)
		}
		r.handleError(p, n, k.err)
		r.ready(p)
		return
	}
	fo.results.set(k.index, k.output, k.text)
	fo.done++
	if fo.done < fo.results.len() {
		return
	}
	results := fo.results.all()
	p.fan = nil
	p.wait = waitNone
	p.last = k.last
	// ParallelStateSucceeded and ParallelStateExited share their previousEventId.
	r.emitFrom(p, p.last, "ParallelStateSucceeded", nil)
	r.finishWithResult(p, n, results)
	r.ready(p)
}

func removeKid(kids []*frame, k *frame) []*frame {
	for i, x := range kids {
		if x == k {
			return append(kids[:i:i], kids[i+1:]...)
		}
	}
	return kids
}
