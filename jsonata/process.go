package jsonata

import "strconv"

// process rewrites the raw parse tree into the evaluator's form, as jsonata-js's
// processAST does: '.' chains become path steps, predicates become stages on their
// step, focus (@) and index (#) bindings turn a path into a tuple stream, and
// parent (%) references are resolved to the step that binds them.
func (p *parser) process(expr *node) (*node, error) {
	var result *node
	var err error
	switch expr.typ {
	case nBinary:
		result, err = p.processBinary(expr)
	case nUnary:
		result = &node{typ: nUnary, op: expr.op, pos: expr.pos}
		switch expr.op {
		case "[":
			for _, item := range expr.items {
				v, err := p.process(item)
				if err != nil {
					return nil, err
				}
				pushAncestry(result, v)
				result.items = append(result.items, v)
			}
		case "{":
			for _, pair := range expr.pairs {
				k, err := p.process(pair[0])
				if err != nil {
					return nil, err
				}
				pushAncestry(result, k)
				v, err := p.process(pair[1])
				if err != nil {
					return nil, err
				}
				pushAncestry(result, v)
				result.pairs = append(result.pairs, [2]*node{k, v})
			}
		default:
			e, err := p.process(expr.expr)
			if err != nil {
				return nil, err
			}
			result.expr = e
			// Fold -1 into a literal, so that [-1] is still an index.
			if expr.op == "-" && e.typ == nNumber {
				f, _ := e.value.(float64)
				e.value = -f
				result = e
			} else {
				pushAncestry(result, e)
			}
		}
	case nFunction, nPartial:
		result = &node{typ: expr.typ, op: expr.op, pos: expr.pos}
		for _, a := range expr.items {
			v, err := p.process(a)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.items = append(result.items, v)
		}
		result.procedure, err = p.process(expr.procedure)
	case nLambda:
		result = &node{typ: nLambda, params: expr.params, sig: expr.sig, pos: expr.pos}
		var body *node
		body, err = p.process(expr.body)
		if err == nil {
			result.body = tailCallOptimize(body)
		}
	case nCondition:
		result = &node{typ: nCondition, pos: expr.pos}
		if result.cond, err = p.process(expr.cond); err != nil {
			return nil, err
		}
		pushAncestry(result, result.cond)
		if result.then, err = p.process(expr.then); err != nil {
			return nil, err
		}
		pushAncestry(result, result.then)
		if expr.els != nil {
			if result.els, err = p.process(expr.els); err != nil {
				return nil, err
			}
			pushAncestry(result, result.els)
		}
	case nTransform:
		result = &node{typ: nTransform, pos: expr.pos}
		if result.pattern, err = p.process(expr.pattern); err != nil {
			return nil, err
		}
		if result.update, err = p.process(expr.update); err != nil {
			return nil, err
		}
		if expr.del != nil {
			result.del, err = p.process(expr.del)
		}
	case nBlock:
		result = &node{typ: nBlock, pos: expr.pos}
		for _, item := range expr.items {
			part, err := p.process(item)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, part)
			if part.consArray || (part.typ == nPath && part.steps[0].consArray) {
				result.consArray = true
			}
			result.items = append(result.items, part)
		}
	case nName:
		result = &node{typ: nPath, steps: []*node{expr}, pos: expr.pos}
		if expr.keepArray {
			result.keepSingletonArray = true
		}
	case nParent:
		result = &node{typ: nParent, pos: expr.pos, slot: &slot{label: "!" + strconv.Itoa(p.ancestorLabel), level: 1, index: p.ancestorIndex}}
		p.ancestorLabel++
		p.ancestorIndex++
		p.ancestry = append(p.ancestry, result)
	case nString, nNumber, nValue, nWildcard, nDescendant, nVariable, nRegex:
		result = expr
	case nOperator:
		if expr.op == "and" || expr.op == "or" || expr.op == "in" {
			expr.typ = nName
			return p.process(expr)
		}
		if expr.op == "?" {
			result = expr
		} else {
			return nil, newErr("S0201", expr.pos, expr.op)
		}
	case nEnd:
		return nil, newErr("S0207", expr.pos, "(end)")
	default:
		return nil, newErr("S0206", expr.pos, expr.op)
	}
	if err != nil {
		return nil, err
	}
	if expr.keepArray {
		result.keepArray = true
	}
	return result, nil
}

// processBinary rewrites the binary operators that shape paths.
func (p *parser) processBinary(expr *node) (*node, error) {
	switch expr.op {
	case ".":
		return p.processPath(expr)
	case "[":
		return p.processPredicate(expr)
	case "{":
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		if result.group != nil {
			return nil, newErr("S0210", expr.pos, "")
		}
		g := &groupExpr{pos: expr.pos}
		for _, pair := range expr.pairs {
			k, err := p.process(pair[0])
			if err != nil {
				return nil, err
			}
			v, err := p.process(pair[1])
			if err != nil {
				return nil, err
			}
			g.pairs = append(g.pairs, [2]*node{k, v})
		}
		result.group = g
		return result, nil
	case "^":
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		if result.typ != nPath {
			result = &node{typ: nPath, steps: []*node{result}, pos: result.pos}
		}
		sortStep := &node{typ: nSort, pos: expr.pos}
		for _, t := range expr.terms {
			e, err := p.process(t.expr)
			if err != nil {
				return nil, err
			}
			pushAncestry(sortStep, e)
			sortStep.terms = append(sortStep.terms, sortTerm{descending: t.descending, expr: e})
		}
		result.steps = append(result.steps, sortStep)
		if err := p.resolveAncestry(result); err != nil {
			return nil, err
		}
		return result, nil
	case ":=":
		result := &node{typ: nBind, op: ":=", pos: expr.pos}
		var err error
		if result.lhs, err = p.process(expr.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(expr.rhs); err != nil {
			return nil, err
		}
		pushAncestry(result, result.rhs)
		return result, nil
	case "@":
		// Focus binding: the step's value goes into the variable and the
		// context stays at the previous step, so later steps join against it.
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.typ == nPath {
			step = result.steps[len(result.steps)-1]
		}
		if step.stages != nil || step.predicate != nil {
			return nil, newErr("S0215", expr.pos, "")
		}
		if step.typ == nSort {
			return nil, newErr("S0216", expr.pos, "")
		}
		if expr.keepArray {
			step.keepArray = true
		}
		step.focus = expr.rhs.op
		step.tuple = true
		return result, nil
	case "#":
		// Index binding: the variable gets each item's position, counted
		// after any filters that come before the # in the step.
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.typ == nPath {
			step = result.steps[len(result.steps)-1]
		} else {
			result = &node{typ: nPath, steps: []*node{result}, pos: result.pos}
			if step.predicate != nil {
				step.stages = step.predicate
				step.predicate = nil
			}
		}
		if step.stages == nil {
			step.index = expr.rhs.op
		} else {
			step.stages = append(step.stages, &stage{isIndex: true, index: expr.rhs.op, pos: expr.pos})
		}
		step.tuple = true
		return result, nil
	case "~>":
		result := &node{typ: nApply, op: "~>", pos: expr.pos}
		var err error
		if result.lhs, err = p.process(expr.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(expr.rhs); err != nil {
			return nil, err
		}
		result.keepArray = result.lhs.keepArray || result.rhs.keepArray
		return result, nil
	}
	result := &node{typ: nBinary, op: expr.op, pos: expr.pos}
	var err error
	if result.lhs, err = p.process(expr.lhs); err != nil {
		return nil, err
	}
	if result.rhs, err = p.process(expr.rhs); err != nil {
		return nil, err
	}
	pushAncestry(result, result.lhs)
	pushAncestry(result, result.rhs)
	return result, nil
}

// processPath flattens a '.' chain into the steps of one path. Literal numbers or
// booleans cannot be steps (S0213); string literals become field names.
func (p *parser) processPath(expr *node) (*node, error) {
	lstep, err := p.process(expr.lhs)
	if err != nil {
		return nil, err
	}
	result := lstep
	if lstep.typ != nPath {
		result = &node{typ: nPath, steps: []*node{lstep}, pos: lstep.pos}
	}
	if lstep.typ == nParent {
		result.seekingParent = []*slot{lstep.slot}
	}
	rest, err := p.process(expr.rhs)
	if err != nil {
		return nil, err
	}
	if rest.typ == nPath {
		result.steps = append(result.steps, rest.steps...)
	} else {
		// A predicate on a non-path step applies to each of its results (a
		// stage), not to the whole sequence.
		if rest.predicate != nil {
			rest.stages = rest.predicate
			rest.predicate = nil
		}
		result.steps = append(result.steps, rest)
	}
	for _, step := range result.steps {
		if step.typ == nNumber || step.typ == nValue {
			e := withInfo("S0213", errInfo{value: step.value, hasValue: true})
			e.Position = step.pos
			return nil, e
		}
		if step.typ == nString {
			step.typ = nName
			step.op, _ = step.value.(string)
		}
	}
	for _, step := range result.steps {
		if step.keepArray {
			result.keepSingletonArray = true
			break
		}
	}
	// An array constructor at either end of a path keeps its array whole
	// instead of being flattened into the sequence.
	if first := result.steps[0]; first.typ == nUnary && first.op == "[" {
		first.consArray = true
	}
	if last := result.steps[len(result.steps)-1]; last.typ == nUnary && last.op == "[" {
		last.consArray = true
	}
	if err := p.resolveAncestry(result); err != nil {
		return nil, err
	}
	return result, nil
}

// processPredicate attaches a [filter] to the step it follows, as a stage when the
// step is part of a path.
func (p *parser) processPredicate(expr *node) (*node, error) {
	result, err := p.process(expr.lhs)
	if err != nil {
		return nil, err
	}
	step := result
	inPath := false
	if result.typ == nPath {
		step = result.steps[len(result.steps)-1]
		inPath = true
	}
	if step.group != nil {
		return nil, newErr("S0209", expr.pos, "")
	}
	pred, err := p.process(expr.rhs)
	if err != nil {
		return nil, err
	}
	if pred.seekingParent != nil {
		for _, s := range pred.seekingParent {
			if s.level == 1 {
				if _, err := p.seekParent(step, s); err != nil {
					return nil, err
				}
			} else {
				s.level--
			}
		}
		pushAncestry(step, pred)
	}
	st := &stage{expr: pred, pos: expr.pos}
	if inPath {
		step.stages = append(step.stages, st)
	} else {
		step.predicate = append(step.predicate, st)
	}
	return result, nil
}

// tailCallOptimize wraps a function call in tail position in a thunk, so that
// apply can run tail-recursive lambdas in a loop instead of recursing.
func tailCallOptimize(expr *node) *node {
	switch {
	case expr.typ == nFunction && expr.predicate == nil:
		return &node{typ: nLambda, thunk: true, pos: expr.pos, body: expr}
	case expr.typ == nCondition:
		expr.then = tailCallOptimize(expr.then)
		if expr.els != nil {
			expr.els = tailCallOptimize(expr.els)
		}
	case expr.typ == nBlock:
		if n := len(expr.items); n > 0 {
			expr.items[n-1] = tailCallOptimize(expr.items[n-1])
		}
	}
	return expr
}

// seekParent walks back from n to find the step a parent reference (%) refers to,
// marking it to bind its input under the slot's label.
func (p *parser) seekParent(n *node, s *slot) (*slot, error) {
	switch n.typ {
	case nName, nWildcard:
		s.level--
		if s.level == 0 {
			if n.ancestor != nil {
				p.ancestry[s.index].slot.label = n.ancestor.label
			}
			n.ancestor = s
			n.tuple = true
		}
	case nParent:
		s.level++
	case nBlock:
		if len(n.items) > 0 {
			n.tuple = true
			return p.seekParent(n.items[len(n.items)-1], s)
		}
	case nPath:
		n.tuple = true
		i := len(n.steps) - 1
		var err error
		s, err = p.seekParent(n.steps[i], s)
		i--
		for err == nil && s.level > 0 && i >= 0 {
			s, err = p.seekParent(n.steps[i], s)
			i--
		}
		return s, err
	default:
		return nil, newErr("S0217", n.pos, n.typeName())
	}
	return s, nil
}

// pushAncestry passes unresolved parent references up from value to result.
func pushAncestry(result, value *node) {
	if value.seekingParent == nil && value.typ != nParent {
		return
	}
	slots := value.seekingParent
	if value.typ == nParent {
		slots = append(slots, value.slot)
	}
	result.seekingParent = append(result.seekingParent, slots...)
}

// resolveAncestry resolves the parent references of a path's last step against
// its earlier steps, passing unresolved ones to the enclosing path.
func (p *parser) resolveAncestry(path *node) error {
	last := path.steps[len(path.steps)-1]
	slots := last.seekingParent
	if last.typ == nParent {
		slots = append(slots, last.slot)
	}
	for _, s := range slots {
		index := len(path.steps) - 2
		for s.level > 0 {
			if index < 0 {
				path.seekingParent = append(path.seekingParent, s)
				break
			}
			step := path.steps[index]
			index--
			for index >= 0 && step.focus != "" && path.steps[index].focus != "" {
				step = path.steps[index]
				index--
			}
			var err error
			if s, err = p.seekParent(step, s); err != nil {
				return err
			}
		}
	}
	return nil
}
