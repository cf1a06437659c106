package validate

import (
	"stepline/jsonvalue"
)

// scope is one set of states transitions move between: the machine's top level, one
// Parallel branch or one Map processor. A Next may not leave its scope.
type scope struct {
	base  string          // pointer of the object holding StartAt and States
	names map[string]bool // states defined here
	order []string        // names in document order
	edges map[string][]string
	ends  bool // some state here ends the scope (End, Succeed, Fail)
	// broken is set when a state has no usable Type: the graph checks would only
	// repeat that problem in other words, so they are skipped.
	broken bool
	checks []transition
}

// transition is one reference to a state name, checked once the scope is complete.
type transition struct {
	from   string // state name, "" for StartAt
	target string
	at     string
}

func (sc *scope) link(from, target, at string) {
	sc.checks = append(sc.checks, transition{from: from, target: target, at: at})
}

// machine checks the top-level object.
func (c *checker) machine(root *jsonvalue.Object) {
	c.topLang = langJSONPath
	if v, ok := root.Get("QueryLanguage"); ok {
		if c.queryLanguage(v, "/QueryLanguage") == langJSONata {
			c.topLang = langJSONata
		}
	}
	for _, k := range root.Keys() {
		switch k {
		case "StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage":
		default:
			c.schema("/", "Field '%s' is not supported", k)
		}
	}
	if v, ok := root.Get("Comment"); ok {
		if _, isStr := v.(string); !isStr {
			c.mustBe("/Comment", "Comment", typeString)
		}
	}
	if v, ok := root.Get("Version"); ok {
		if _, isStr := v.(string); !isStr {
			c.mustBe("/Version", "Version", typeString)
		}
	}
	if v, ok := root.Get("TimeoutSeconds"); ok {
		if str, isStr := v.(string); isStr && c.topLang == langJSONata && isJSONata(str) {
			c.jsonataExpr(str, "/TimeoutSeconds")
		} else {
			c.positiveSeconds(v, "/TimeoutSeconds", "TimeoutSeconds", false)
		}
	}
	c.block(root, "/", 0)
}

// queryLanguage checks a QueryLanguage value and returns the language it selects:
// AWS treats any value other than exactly "JSONPath" as JSONata.
func (c *checker) queryLanguage(v any, at string) string {
	s, ok := v.(string)
	if !ok {
		c.mustBe(at, "QueryLanguage", typeString)
		return langJSONata
	}
	switch s {
	case langJSONPath:
		return langJSONPath
	case langJSONata:
	default:
		c.schema(at, "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]")
	}
	return langJSONata
}

// maxNesting bounds how deep Parallel and Map states may nest, so that a hostile
// definition cannot exhaust the stack.
const maxNesting = 100

// block checks an object holding StartAt and States (the machine, a branch, a Map
// processor) and the transitions between its states.
func (c *checker) block(obj *jsonvalue.Object, base string, depth int) {
	if depth > maxNesting {
		c.errorf(base, CodeTooDeeplyNested, "The states are too deeply nested")
		return
	}
	var missing []string
	statesV, hasStates := obj.Get("States")
	if !hasStates {
		missing = append(missing, "States")
	}
	startV, hasStart := obj.Get("StartAt")
	if !hasStart {
		missing = append(missing, "StartAt")
	}
	if len(missing) > 0 {
		c.required(base, missing...)
	}
	sc := &scope{base: base, names: map[string]bool{}, edges: map[string][]string{}}
	startAt, startOK := startV.(string)
	if hasStart && !startOK {
		c.mustBe(loc(base, "StartAt"), "StartAt", typeString)
	}
	if !hasStates {
		return
	}
	states, ok := statesV.(*jsonvalue.Object)
	if !ok {
		c.mustBe(loc(base, "States"), "States", typeObject)
		return
	}
	if states.Len() == 0 {
		c.schema(loc(base, "States"), "The field 'States' must contain at least one state")
	}
	for _, name := range states.Keys() {
		sc.names[name] = true
		sc.order = append(sc.order, name)
	}
	if startOK {
		sc.link("", startAt, loc(base, "StartAt"))
	}
	for _, name := range states.Keys() {
		v, _ := states.Get(name)
		c.state(sc, name, v, loc(base, "States")+"/"+name, depth)
	}
	c.transitions(sc, startAt, startOK)
}

// required reports missing required fields, as AWS words it:
// "These fields are required: [States, StartAt]".
func (c *checker) required(at string, fields ...string) {
	list := ""
	for i, f := range fields {
		if i > 0 {
			list += ", "
		}
		list += f
	}
	c.schema(at, "These fields are required: [%s]", list)
}

// transitions checks that every target exists in the scope, that the scope can end,
// and that every state can be reached. AWS reports a workflow with no terminal state
// without a location and then skips the reachability walk
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html).
func (c *checker) transitions(sc *scope, startAt string, startOK bool) {
	for _, t := range sc.checks {
		if !sc.names[t.target] {
			c.errorf(t.at, CodeMissingTransition, "Missing 'Next' target: %s", t.target)
			continue
		}
		if t.from != "" {
			sc.edges[t.from] = append(sc.edges[t.from], t.target)
		}
	}
	if len(sc.order) == 0 || sc.broken {
		return
	}
	if !sc.ends {
		c.errorf("", CodeMissingEndState, "Workflow has no terminal state")
		return
	}
	if !startOK || !sc.names[startAt] {
		return
	}
	reached := map[string]bool{startAt: true}
	queue := []string{startAt}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, t := range sc.edges[n] {
			if !reached[t] {
				reached[t] = true
				queue = append(queue, t)
			}
		}
	}
	for _, n := range sc.order {
		if !reached[n] {
			c.errorf(loc(sc.base, "States")+"/"+n, CodeMissingTransition, "State \"%s\" is not reachable.", n)
		}
	}
}
