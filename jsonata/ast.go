package jsonata

// nodeType is the kind of an AST node, named after jsonata-js's node types.
type nodeType int

const (
	nError nodeType = iota
	nEnd
	nPath
	nBinary
	nUnary
	nName
	nString
	nNumber
	nValue // true, false, null
	nWildcard
	nDescendant
	nParent
	nCondition
	nBlock
	nBind
	nRegex
	nFunction
	nPartial
	nVariable
	nLambda
	nApply
	nTransform
	nSort
	nOperator // an operator token used as an operand: and/or/in as names, ? as a placeholder
)

// node is one AST node. The parser builds the raw tree and processAST rewrites it
// into the form the evaluator walks (paths flattened into steps, predicates
// attached to steps, parent references resolved), as jsonata-js does.
type node struct {
	typ   nodeType
	op    string // operator, name or variable name
	value any    // literal value: string, float64, bool or nil
	pos   int

	lhs, rhs, expr *node
	items          []*node    // array constructor items, block expressions, call arguments
	pairs          [][2]*node // object constructor entries
	procedure      *node
	params         []string // lambda parameter names
	sig            *signature
	body           *node
	thunk          bool
	cond, then     *node
	els            *node
	pattern        *node
	update, del    *node
	terms          []sortTerm
	steps          []*node
	re             *regex

	// Annotations added by processAST.
	keepArray          bool
	consArray          bool
	keepSingletonArray bool
	simpleName         bool // a path of one plain field name (evalPath's fast case)
	needsFrame         bool // a block that binds variables, so needs its own scope
	tuple              bool
	predicate          []*stage
	stages             []*stage
	group              *groupExpr
	focus              string
	index              string
	ancestor           *slot
	slot               *slot
	seekingParent      []*slot
}

// stage is a filter or an index binding applied to a path step's results.
type stage struct {
	isIndex bool
	expr    *node
	index   string
	pos     int
}

// groupExpr is an object constructor applied to a step: Account.Order{k: v}.
type groupExpr struct {
	pairs [][2]*node
	pos   int
}

// sortTerm is one term of an order-by clause.
type sortTerm struct {
	descending bool
	expr       *node
}

// slot is a placeholder for the value of a parent (%) reference, bound by the
// path step it resolves to.
type slot struct {
	label string
	level int
	index int
}

// typeName is jsonata-js's name for the node type, which some errors report as
// their token.
func (n *node) typeName() string {
	switch n.typ {
	case nPath:
		return "path"
	case nBinary:
		return "binary"
	case nUnary:
		return "unary"
	case nName:
		return "name"
	case nString:
		return "string"
	case nNumber:
		return "number"
	case nValue:
		return "value"
	case nWildcard:
		return "wildcard"
	case nDescendant:
		return "descendant"
	case nParent:
		return "parent"
	case nCondition:
		return "condition"
	case nBlock:
		return "block"
	case nBind:
		return "bind"
	case nRegex:
		return "regex"
	case nFunction:
		return "function"
	case nPartial:
		return "partial"
	case nVariable:
		return "variable"
	case nLambda:
		return "lambda"
	case nApply:
		return "apply"
	case nTransform:
		return "transform"
	case nSort:
		return "sort"
	case nOperator:
		return "operator"
	}
	return "error"
}
