package asl

import (
	"fmt"
	"strings"

	"stepline/asl/jsonpath"
	"stepline/jsonvalue"
)

// choiceRule is one Choices entry or a nested rule of And/Or/Not.
type choiceRule struct {
	variable  string
	op        string // the operator without its "Path" suffix
	isPath    bool   // the operand is a path (…Path operators)
	operand   any
	and, or   []*choiceRule
	not       *choiceRule
	condition any // JSONata Condition
	next      int
	assign    *assignBlock
	output    any
	hasOutput bool
}

// choiceOps lists the comparison operators (https://states-language.net/#choice-state).
var choiceOps = []string{
	"StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals", "StringMatches",
	"NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
	"BooleanEquals",
	"TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
	"IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
}

func (m *Machine) parseChoice(g *graph, n *node, o *jsonvalue.Object) error {
	var err error
	if n.defaultNext, err = g.target(o, "Default"); err != nil {
		return err
	}
	n.next = -1
	choices, _ := get(o, "Choices").([]any)
	for _, c := range choices {
		co, ok := c.(*jsonvalue.Object)
		if !ok {
			return fmt.Errorf("%w: choice rule of %q is not an object", errBadDefinition, n.name)
		}
		rule, err := parseRule(co, 0)
		if err != nil {
			return err
		}
		if rule.next, err = g.target(co, "Next"); err != nil {
			return err
		}
		if a, ok := co.Get("Assign"); ok {
			rule.assign = &assignBlock{raw: a}
		}
		rule.output, rule.hasOutput = co.Get("Output")
		n.choices = append(n.choices, rule)
	}
	return nil
}

func parseRule(o *jsonvalue.Object, depth int) (*choiceRule, error) {
	if depth > 100 {
		return nil, fmt.Errorf("%w: choice rules nested too deeply", errBadDefinition)
	}
	r := &choiceRule{variable: str(o, "Variable"), next: -1}
	if c, ok := o.Get("Condition"); ok {
		r.condition = c
		return r, nil
	}
	for _, k := range []string{"And", "Or"} {
		list, ok := get(o, k).([]any)
		if !ok {
			continue
		}
		for _, e := range list {
			eo, ok := e.(*jsonvalue.Object)
			if !ok {
				return nil, fmt.Errorf("%w: %s rule is not an object", errBadDefinition, k)
			}
			sub, err := parseRule(eo, depth+1)
			if err != nil {
				return nil, err
			}
			if k == "And" {
				r.and = append(r.and, sub)
			} else {
				r.or = append(r.or, sub)
			}
		}
		r.op = k
		return r, nil
	}
	if no, ok := get(o, "Not").(*jsonvalue.Object); ok {
		sub, err := parseRule(no, depth+1)
		if err != nil {
			return nil, err
		}
		r.op, r.not = "Not", sub
		return r, nil
	}
	for _, op := range choiceOps {
		if v, ok := o.Get(op); ok {
			r.op, r.operand = op, v
			return r, nil
		}
		if v, ok := o.Get(op + "Path"); ok {
			r.op, r.operand, r.isPath = op, v, true
			return r, nil
		}
	}
	return nil, fmt.Errorf("%w: choice rule without an operator", errBadDefinition)
}

// execChoice picks the first matching rule, or Default
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html). Choice has
// no ResultPath: its output is its (filtered) input. A matching rule's Assign replaces
// the state's, which applies only when Default is taken.
func (r *run) execChoice(f *frame, n *node) {
	if n.jsonata {
		r.choiceJSONata(f, n)
		return
	}
	eff, fl := r.applyInputPath(f, n)
	if fl != nil {
		r.failFrame(f, *fl)
		return
	}
	next := n.defaultNext
	assign := n.assign
	for _, rule := range n.choices {
		ok, fl := r.evalRule(f, rule, eff)
		if fl != nil {
			r.failFrame(f, *fl)
			return
		}
		if ok {
			next = rule.next
			if rule.assign != nil {
				assign = rule.assign
			} else {
				assign = nil
			}
			break
		}
	}
	if next < 0 {
		r.failFrame(f, fail("States.NoChoiceMatched", fmt.Sprintf("No Matches! at %s", r.node(f).name)))
		return
	}
	r.exitJSONPath(f, n, next, eff, assign)
}

func (r *run) choiceJSONata(f *frame, n *node) {
	states := r.statesVar(f, f.in(), nil, false, nil, nil)
	next := n.defaultNext
	assign, output, hasOutput := n.assign, n.output, n.hasOutput
	for i, rule := range n.choices {
		field := fmt.Sprintf("Choices[%d].Condition", i)
		v, fl := r.evalTemplate(f, n, rule.condition, states, field)
		if fl != nil {
			r.failFrame(f, *fl)
			return
		}
		b, ok := v.(bool)
		if !ok {
			expr, _ := exprText(rule.condition)
			fl := r.typedExprFailure(f, field, expr, "boolean", v)
			r.failFrame(f, *fl)
			return
		}
		if b {
			next = rule.next
			assign, output, hasOutput = rule.assign, rule.output, rule.hasOutput
			break
		}
	}
	if next < 0 {
		r.failFrame(f, fail("States.NoChoiceMatched", fmt.Sprintf("No Matches! at %s", n.name)))
		return
	}
	r.exitJSONata(f, n, next, states, output, hasOutput, assign)
}

// evalRule evaluates a JSONPath choice rule against the state's effective input.
func (r *run) evalRule(f *frame, c *choiceRule, input any) (bool, *failure) {
	switch c.op {
	case "And":
		for _, s := range c.and {
			ok, fl := r.evalRule(f, s, input)
			if fl != nil || !ok {
				return false, fl
			}
		}
		return true, nil
	case "Or":
		for _, s := range c.or {
			ok, fl := r.evalRule(f, s, input)
			if fl != nil || ok {
				return ok, fl
			}
		}
		return false, nil
	case "Not":
		ok, fl := r.evalRule(f, c.not, input)
		return !ok && fl == nil, fl
	}
	// An undefined variable ($name) is a missing path like any other.
	v, found := r.lookup(f, c.variable, input)
	// A missing Variable makes every operator but IsPresent a States.Runtime failure,
	// which is why AWS advises testing IsPresent first.
	if c.op == "IsPresent" {
		want, _ := c.operand.(bool)
		return found == want, nil
	}
	if !found {
		return false, r.runtimeFailure(f, invalidChoicePath(c.variable))
	}
	operand := c.operand
	if c.isPath {
		p, _ := c.operand.(string)
		ov, ok := r.lookup(f, p, input)
		if !ok {
			return false, r.runtimeFailure(f, invalidChoicePath(p))
		}
		operand = ov
	}
	return compare(c.op, v, operand), nil
}

// compare applies one operator. Values of the wrong type never match.
func compare(op string, v, operand any) bool {
	switch op {
	case "IsNull":
		want, _ := operand.(bool)
		return (v == nil) == want
	case "IsNumeric":
		want, _ := operand.(bool)
		return jsonvalue.IsNumber(v) == want
	case "IsString":
		want, _ := operand.(bool)
		_, ok := v.(string)
		return ok == want
	case "IsBoolean":
		want, _ := operand.(bool)
		_, ok := v.(bool)
		return ok == want
	case "IsTimestamp":
		want, _ := operand.(bool)
		s, ok := v.(string)
		if ok {
			_, err := parseTimestamp(s)
			ok = err == nil
		}
		return ok == want
	case "BooleanEquals":
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b
	case "StringMatches":
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && globMatch(b, a)
	}
	switch {
	case strings.HasPrefix(op, "String"):
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		if !ok1 || !ok2 {
			return false
		}
		return ordered(op[len("String"):], compareUTF16(a, b))
	case strings.HasPrefix(op, "Numeric"):
		a, ok1 := numberOf(v)
		b, ok2 := numberOf(operand)
		if !ok1 || !ok2 {
			return false
		}
		c := 0
		if a < b {
			c = -1
		} else if a > b {
			c = 1
		}
		return ordered(op[len("Numeric"):], c)
	case strings.HasPrefix(op, "Timestamp"):
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		if !ok1 || !ok2 {
			return false
		}
		ta, err1 := parseTimestamp(a)
		tb, err2 := parseTimestamp(b)
		if err1 != nil || err2 != nil {
			return false
		}
		return ordered(op[len("Timestamp"):], ta.Compare(tb))
	}
	return false
}

func numberOf(v any) (float64, bool) {
	if !jsonvalue.IsNumber(v) {
		return 0, false
	}
	return jsonvalue.Float(v)
}

func ordered(rel string, c int) bool {
	switch rel {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "GreaterThan":
		return c > 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// compareUTF16 orders strings as Java's String.compareTo does, by UTF-16 code units.
func compareUTF16(a, b string) int { return jsonpath.CompareUTF16(a, b) }

// globMatch implements StringMatches: * matches any run of characters, \* a literal
// star and \\ a literal backslash.
func globMatch(pattern, s string) bool {
	var toks []rune // -1 stands for a wildcard
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch {
		case rs[i] == '\\' && i+1 < len(rs):
			i++
			toks = append(toks, rs[i])
		case rs[i] == '*':
			toks = append(toks, -1)
		default:
			toks = append(toks, rs[i])
		}
	}
	str := []rune(s)
	// Iterative wildcard matching with backtracking to the last star.
	pi, si, star, mark := 0, 0, -1, 0
	for si < len(str) {
		switch {
		case pi < len(toks) && toks[pi] != -1 && toks[pi] == str[si]:
			pi++
			si++
		case pi < len(toks) && toks[pi] == -1:
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(toks) && toks[pi] == -1 {
		pi++
	}
	return pi == len(toks)
}

// invalidChoicePath is AWS's cause for a rule whose Variable (or …Path operand) matches
// nothing: "Invalid path '$.x': The choice state's condition path references an
// invalid value."
func invalidChoicePath(p string) string {
	return fmt.Sprintf("Invalid path '%s': The choice state's condition path references an invalid value.", p)
}
