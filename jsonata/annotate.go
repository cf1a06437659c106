package jsonata

// annotate marks nodes the evaluator can take shortcuts on, and reports whether
// the subtree binds a variable.
func annotate(n *node) (binds bool) {
	if n == nil {
		return false
	}
	if n.typ == nBind {
		binds = true
	}
	for _, c := range []*node{n.lhs, n.rhs, n.expr, n.procedure, n.body, n.cond, n.then, n.els, n.pattern, n.update, n.del} {
		if annotate(c) {
			binds = true
		}
	}
	for _, list := range [][]*node{n.items, n.steps} {
		for _, c := range list {
			if annotate(c) {
				binds = true
			}
		}
	}
	for _, p := range n.pairs {
		if annotate(p[0]) || annotate(p[1]) {
			binds = true
		}
	}
	for _, t := range n.terms {
		if annotate(t.expr) {
			binds = true
		}
	}
	for _, list := range [][]*stage{n.stages, n.predicate} {
		for _, s := range list {
			if annotate(s.expr) {
				binds = true
			}
		}
	}
	if n.group != nil {
		for _, p := range n.group.pairs {
			if annotate(p[0]) || annotate(p[1]) {
				binds = true
			}
		}
	}
	switch n.typ {
	case nBlock:
		n.needsFrame = binds
	case nPath:
		if len(n.steps) == 1 {
			s := n.steps[0]
			n.simpleName = s.typ == nName && s.stages == nil && s.predicate == nil && s.group == nil &&
				!s.keepArray && !s.tuple && s.focus == "" && s.index == "" && s.ancestor == nil &&
				!n.keepSingletonArray && n.group == nil && !n.tuple && !n.keepArray
		}
	}
	return binds
}
