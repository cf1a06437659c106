package validate

import (
	"strings"

	"stepline/jsonvalue"
)

// operand is the type of value a Choice comparison operator takes.
type operand int

const (
	operandNone operand = iota
	operandString
	operandNumber
	operandBoolean
	operandTimestamp
	operandPath
	operandRules // And, Or
	operandRule  // Not
)

// choiceOperator returns the operand of a JSONPath Choice rule operator
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html).
func choiceOperator(name string) operand {
	switch name {
	case "And", "Or":
		return operandRules
	case "Not":
		return operandRule
	case "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp", "BooleanEquals":
		return operandBoolean
	case "StringMatches":
		return operandString
	}
	base := strings.TrimSuffix(name, "Path")
	isPath := base != name
	var op operand
	switch base {
	case "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals":
		op = operandString
	case "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals":
		op = operandNumber
	case "BooleanEquals":
		op = operandBoolean
	case "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals":
		op = operandTimestamp
	default:
		return operandNone
	}
	if isPath {
		return operandPath
	}
	return op
}

// choice checks a Choice state.
func (c *checker) choice(s *stateCtx) {
	c.io(s)
	v, ok := s.obj.Get("Choices")
	if !ok {
		c.required(s.at, "Choices")
	} else if list, isArr := v.([]any); !isArr {
		c.mustBe(loc(s.at, "Choices"), "Choices", typeArray)
	} else if len(list) == 0 {
		c.schema(loc(s.at, "Choices"), "The field 'Choices' must contain at least one rule")
	} else {
		for i, rv := range list {
			c.choiceRule(s, rv, idx(s.at, "Choices", i), true, 0)
		}
	}
	if dv, ok := s.obj.Get("Default"); ok {
		c.target(s, dv, loc(s.at, "Default"), "Default")
	}
}

// choiceRule checks one rule; top is true for the rules directly under Choices,
// which alone carry Next (and Assign, Output).
func (c *checker) choiceRule(s *stateCtx, v any, at string, top bool, depth int) {
	if depth > maxValueDepth {
		return
	}
	r, ok := v.(*jsonvalue.Object)
	if !ok {
		c.mustBe(at, "Choices", typeObject)
		return
	}
	if top {
		if nv, ok := r.Get("Next"); ok {
			c.target(s, nv, loc(at, "Next"), "Next")
		} else {
			c.required(at, "Next")
		}
		if av, ok := r.Get("Assign"); ok {
			c.assign(s, av, loc(at, "Assign"))
		}
	}
	if s.lang == langJSONata {
		c.jsonataRule(s, r, at, top)
		return
	}
	ops := c.ruleOperators(r, at, top)
	if len(ops) != 1 {
		c.schema(at, "A Choice rule must have exactly one comparison operator, or one of 'And', 'Or' and 'Not'")
		return
	}
	op := ops[0]
	val, _ := r.Get(op)
	opAt := loc(at, op)
	kind := choiceOperator(op)
	if kind == operandRules || kind == operandRule {
		if has(r, "Variable") {
			c.schema(at, "Field 'Variable' is not supported")
		}
		c.nestedRules(s, op, val, opAt, kind, depth)
		return
	}
	if vv, ok := r.Get("Variable"); !ok {
		c.required(at, "Variable")
	} else {
		c.pathField(vv, loc(at, "Variable"), "Variable", pathAny)
	}
	c.operandValue(op, val, opAt, kind)
}

// ruleOperators returns the operators of a JSONPath rule, reporting the fields a
// rule at this level cannot have.
func (c *checker) ruleOperators(r *jsonvalue.Object, at string, top bool) []string {
	var ops []string
	for _, k := range r.Keys() {
		switch k {
		case "Comment", "Variable":
			continue
		case "Next", "Assign":
			if !top {
				c.schema(at, "Field '%s' is not supported", k)
			}
			continue
		case "Condition", "Output":
			c.schema(at, "The QueryLanguage is set to 'JSONPath', but field '%s' is only supported for the 'JSONata' QueryLanguage", k)
			continue
		}
		if choiceOperator(k) == operandNone {
			c.schema(at, "Field '%s' is not supported", k)
			continue
		}
		ops = append(ops, k)
	}
	return ops
}

// nestedRules checks the operand of And, Or (non-empty arrays of rules) and Not (one rule).
func (c *checker) nestedRules(s *stateCtx, op string, val any, at string, kind operand, depth int) {
	if kind == operandRule {
		c.choiceRule(s, val, at, false, depth+1)
		return
	}
	list, ok := val.([]any)
	if !ok {
		c.mustBe(at, op, typeArray)
		return
	}
	if len(list) == 0 {
		c.schema(at, "The field '%s' must contain at least one rule", op)
	}
	for i, e := range list {
		c.choiceRule(s, e, at+"["+itoa(i)+"]", false, depth+1)
	}
}

// operandValue checks a comparison operator's value against the type it needs.
func (c *checker) operandValue(op string, val any, at string, kind operand) {
	switch kind {
	case operandString:
		if _, ok := val.(string); !ok {
			c.mustBe(at, op, typeString)
		}
	case operandNumber:
		if !jsonvalue.IsNumber(val) {
			c.mustBe(at, op, typeNumber)
		}
	case operandBoolean:
		if _, ok := val.(bool); !ok {
			c.mustBe(at, op, typeBoolean)
		}
	case operandTimestamp:
		ts, ok := val.(string)
		if !ok {
			c.mustBe(at, op, typeString)
		} else if !validTimestamp(ts) {
			c.schema(at, "String does not match RFC3339 timestamp")
		}
	case operandPath:
		c.pathField(val, at, op, pathAny)
	}
}

// jsonataRule checks a JSONata Choice rule: a Condition, which is an expression or a
// boolean, and no JSONPath operators.
func (c *checker) jsonataRule(s *stateCtx, r *jsonvalue.Object, at string, top bool) {
	for _, k := range r.Keys() {
		switch k {
		case "Comment", "Condition":
		case "Next", "Assign", "Output":
			if !top {
				c.schema(at, "Field '%s' is not supported", k)
			}
		default:
			if k == "Variable" || choiceOperator(k) != operandNone {
				c.schema(at, "The QueryLanguage is set to 'JSONata', but field '%s' is only supported for the 'JSONPath' QueryLanguage", k)
			} else {
				c.schema(at, "Field '%s' is not supported", k)
			}
		}
	}
	cv, ok := r.Get("Condition")
	if !ok {
		c.required(at, "Condition")
	} else {
		switch t := cv.(type) {
		case bool:
		case string:
			if !isJSONata(t) {
				c.schema(loc(at, "Condition"), "The value for the field 'Condition' must be a JSONata expression or a BOOLEAN")
			} else {
				c.jsonataExpr(t, loc(at, "Condition"))
			}
		default:
			c.mustBe(loc(at, "Condition"), "Condition", typeBoolean)
		}
	}
	if ov, ok := r.Get("Output"); ok && top {
		c.jsonataValue(ov, loc(at, "Output"))
	}
}
