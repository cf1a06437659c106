package jsonata

import (
	"strconv"
)

// parser is a Pratt (top-down operator precedence) parser, a port of jsonata-js's
// parser.js. The first error stops it: later calls see an end token.
type parser struct {
	lex  lexer
	src  string
	tok  token
	kind nodeType // the current token as a raw node kind
	err  error
	// depth is the current nesting of expression calls.
	depth int

	// ancestry bookkeeping for parent (%) references.
	ancestorLabel int
	ancestorIndex int
	ancestry      []*node
}

// fail records the first error and returns an error node so that callers never see nil.
func (p *parser) fail(err *Error) *node {
	if p.err == nil {
		p.err = err
	}
	p.tok = token{kind: tokEnd, pos: len(p.src)}
	return &node{typ: nError}
}

// id names the current token as jsonata-js's symbol table does.
func (p *parser) id() string {
	switch p.tok.kind {
	case tokEnd:
		return "(end)"
	case tokOperator:
		return p.tok.str
	case tokName, tokVariable:
		return "(name)"
	case tokRegex:
		return "(regex)"
	}
	return "(literal)"
}

// tokText is the current token's value as reported in error messages.
func (p *parser) tokText() string {
	switch p.tok.kind {
	case tokNumber:
		return strconv.FormatFloat(p.tok.num, 'g', -1, 64)
	case tokValue:
		switch p.tok.value {
		case true:
			return "true"
		case false:
			return "false"
		}
		return "null"
	case tokEnd:
		return "(end)"
	}
	return p.tok.str
}

// lbp is the left binding power of the current token.
func (p *parser) lbp() int {
	if p.tok.kind != tokOperator {
		return 0
	}
	switch p.tok.str {
	case ":", ";", ",", ")", "]", "}", "..", "|", "**":
		return 0
	}
	bp, _ := operatorPower(p.tok.str)
	return bp
}

// advance checks that the current token is id (when given) and moves on.
func (p *parser) advance(id string, prefix bool) {
	if p.err != nil {
		return
	}
	if id != "" && p.id() != id {
		code := "S0202"
		if p.tok.kind == tokEnd {
			code = "S0203"
		}
		e := withInfo(code, errInfo{value: id, hasValue: true})
		e.Position = p.tok.pos
		e.Token = p.tokText()
		e.Message = formatMessage(code, e.Token, errInfo{value: id, hasValue: true})
		p.fail(e)
		return
	}
	t, err := p.lex.next(prefix)
	if err != nil {
		p.fail(err.(*Error))
		return
	}
	if t.kind == tokOperator {
		switch t.str {
		case "!", "~":
			p.fail(newErr("S0204", t.pos, t.str))
			return
		}
	}
	p.tok = t
}

// maxParseDepth bounds the nesting of an expression, so that a hostile one cannot
// exhaust the stack (jsonata-js fails with a RangeError instead).
const maxParseDepth = 2000

// expression parses an expression whose operators bind tighter than rbp.
func (p *parser) expression(rbp int) *node {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxParseDepth {
		return p.fail(newErr("U1001", p.tok.pos, ""))
	}
	t := p.tok
	p.advance("", true)
	left := p.nud(t)
	for p.err == nil && rbp < p.lbp() {
		t = p.tok
		p.advance("", false)
		left = p.led(t, left)
	}
	return left
}

// nud handles a token in prefix position.
func (p *parser) nud(t token) *node {
	if p.err != nil {
		return &node{typ: nError}
	}
	switch t.kind {
	case tokEnd:
		return &node{typ: nEnd, pos: t.pos}
	case tokName:
		return &node{typ: nName, op: t.str, pos: t.pos}
	case tokVariable:
		return &node{typ: nVariable, op: t.str, pos: t.pos}
	case tokString:
		return &node{typ: nString, value: t.str, pos: t.pos}
	case tokNumber:
		return &node{typ: nNumber, value: t.num, pos: t.pos}
	case tokValue:
		return &node{typ: nValue, value: t.value, pos: t.pos}
	case tokRegex:
		re, err := compileRegex(t.str, t.flags)
		if err != nil {
			return p.fail(err)
		}
		return &node{typ: nRegex, re: re, pos: t.pos}
	}
	switch t.str {
	case "and", "or", "in":
		return &node{typ: nOperator, op: t.str, pos: t.pos}
	case "-":
		return &node{typ: nUnary, op: "-", expr: p.expression(70), pos: t.pos}
	case "*":
		return &node{typ: nWildcard, op: "*", pos: t.pos}
	case "**":
		return &node{typ: nDescendant, op: "**", pos: t.pos}
	case "%":
		return &node{typ: nParent, op: "%", pos: t.pos}
	case "(":
		return p.block(t)
	case "[":
		return p.arrayConstructor(t)
	case "{":
		return p.object(t, nil)
	case "|":
		return p.transform(t)
	}
	return p.fail(newErr("S0211", t.pos, t.str))
}

// block parses ( expr; expr; ... ).
func (p *parser) block(t token) *node {
	n := &node{typ: nBlock, op: "(", pos: t.pos}
	for p.err == nil && p.id() != ")" {
		n.items = append(n.items, p.expression(0))
		if p.id() != ";" {
			break
		}
		p.advance(";", false)
	}
	p.advance(")", true)
	return n
}

// arrayConstructor parses [ item, from..to, ... ].
func (p *parser) arrayConstructor(t token) *node {
	n := &node{typ: nUnary, op: "[", pos: t.pos}
	if p.id() != "]" {
		for p.err == nil {
			item := p.expression(0)
			if p.id() == ".." {
				r := &node{typ: nBinary, op: "..", pos: p.tok.pos, lhs: item}
				p.advance("..", false)
				r.rhs = p.expression(0)
				item = r
			}
			n.items = append(n.items, item)
			if p.id() != "," {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance("]", true)
	return n
}

// object parses an object constructor; with left set it is a group-by on left.
func (p *parser) object(t token, left *node) *node {
	var pairs [][2]*node
	if p.id() != "}" {
		for p.err == nil {
			k := p.expression(0)
			p.advance(":", false)
			v := p.expression(0)
			pairs = append(pairs, [2]*node{k, v})
			if p.id() != "," {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance("}", true)
	if left == nil {
		return &node{typ: nUnary, op: "{", pairs: pairs, pos: t.pos}
	}
	return &node{typ: nBinary, op: "{", lhs: left, pairs: pairs, pos: t.pos}
}

// transform parses | pattern | update, delete |.
func (p *parser) transform(t token) *node {
	n := &node{typ: nTransform, pos: t.pos}
	n.pattern = p.expression(0)
	p.advance("|", false)
	n.update = p.expression(0)
	if p.id() == "," {
		p.advance(",", false)
		n.del = p.expression(0)
	}
	p.advance("|", false)
	return n
}

// led handles a token in infix position.
func (p *parser) led(t token, left *node) *node {
	if p.err != nil {
		return &node{typ: nError}
	}
	op := t.str
	bp, _ := operatorPower(op)
	switch op {
	case "(":
		return p.call(t, left)
	case "[":
		// An empty [] is not a filter: it marks the step to keep a singleton
		// result as an array.
		if p.id() == "]" {
			step := left
			for step.typ == nBinary && step.op == "[" {
				step = step.lhs
			}
			step.keepArray = true
			p.advance("]", false)
			return left
		}
		n := &node{typ: nBinary, op: "[", lhs: left, pos: t.pos}
		n.rhs = p.expression(0)
		p.advance("]", true)
		return n
	case "^":
		return p.orderBy(t, left)
	case "{":
		return p.object(t, left)
	case ":=":
		// Right associative: $a := $b := 1 binds both.
		if left.typ != nVariable {
			return p.fail(newErr("S0212", left.pos, left.op))
		}
		return &node{typ: nBinary, op: ":=", lhs: left, rhs: p.expression(bp - 1), pos: t.pos}
	case "@", "#":
		n := &node{typ: nBinary, op: op, lhs: left, pos: t.pos}
		n.rhs = p.expression(bp)
		if n.rhs.typ != nVariable {
			return p.fail(newErr("S0214", n.rhs.pos, op))
		}
		return n
	case "?":
		n := &node{typ: nCondition, cond: left, pos: t.pos}
		n.then = p.expression(0)
		if p.id() == ":" {
			p.advance(":", false)
			n.els = p.expression(0)
		}
		return n
	}
	return &node{typ: nBinary, op: op, lhs: left, rhs: p.expression(bp), pos: t.pos}
}

// call parses a function call, a partial application or a lambda definition.
func (p *parser) call(t token, left *node) *node {
	n := &node{typ: nFunction, procedure: left, pos: t.pos}
	if p.id() != ")" {
		for p.err == nil {
			if p.tok.kind == tokOperator && p.tok.str == "?" {
				n.typ = nPartial
				n.items = append(n.items, &node{typ: nOperator, op: "?", pos: p.tok.pos})
				p.advance("?", false)
			} else {
				n.items = append(n.items, p.expression(0))
			}
			if p.id() != "," {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance(")", true)
	if p.err != nil || left.typ != nName || (left.op != "function" && left.op != "λ") {
		return n
	}
	// function($a, $b)<sig>{ body }
	for i, a := range n.items {
		if a.typ != nVariable {
			e := withInfo("S0208", errInfo{value: float64(i + 1), hasValue: true})
			e.Position, e.Token = a.pos, a.op
			return p.fail(e)
		}
		n.params = append(n.params, a.op)
	}
	n.typ = nLambda
	n.items = nil
	// A signature follows the parameters: <...> is read back from its tokens,
	// since the lexer does not know it is inside one.
	if p.id() == "<" {
		sigPos := p.tok.pos
		depth := 1
		sig := "<"
		for depth > 0 && p.id() != "{" && p.id() != "(end)" && p.err == nil {
			p.advance("", false)
			switch p.id() {
			case ">":
				depth--
			case "<":
				depth++
			}
			sig += p.tokText()
		}
		p.advance(">", false)
		s, err := parseSignature(sig)
		if err != nil {
			err.Position = sigPos + err.Position
			return p.fail(err)
		}
		n.sig = s
	}
	p.advance("{", false)
	n.body = p.expression(0)
	p.advance("}", false)
	return n
}

// orderBy parses lhs^(<key, >key, ...).
func (p *parser) orderBy(t token, left *node) *node {
	p.advance("(", false)
	var terms []sortTerm
	for p.err == nil {
		term := sortTerm{}
		switch p.id() {
		case "<":
			p.advance("<", false)
		case ">":
			term.descending = true
			p.advance(">", false)
		}
		term.expr = p.expression(0)
		terms = append(terms, term)
		if p.id() != "," {
			break
		}
		p.advance(",", false)
	}
	p.advance(")", false)
	return &node{typ: nBinary, op: "^", lhs: left, terms: terms, pos: t.pos}
}

// parse parses and post-processes an expression.
func parse(src string) (*node, error) {
	p := &parser{lex: lexer{src: src}, src: src}
	p.advance("", false)
	if p.err != nil {
		return nil, p.err
	}
	expr := p.expression(0)
	if p.err == nil && p.tok.kind != tokEnd {
		p.fail(newErr("S0201", p.tok.pos, p.tokText()))
	}
	if p.err != nil {
		return nil, p.err
	}
	ast, err := p.process(expr)
	if err != nil {
		return nil, err
	}
	if ast.typ == nParent || ast.seekingParent != nil {
		pos := ast.pos
		if ast.typ == nParent || ast.typ == nPath {
			pos = 0 // jsonata-js gives these nodes no position
		}
		return nil, newErr("S0217", pos, ast.typeName())
	}
	annotate(ast)
	return ast, nil
}
