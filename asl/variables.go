package asl

import (
	"stepline/jsonvalue"
)

// scope holds the variables one thread can assign. Parallel branches and Map iterations
// get their own scope whose parent is the enclosing one: they read outer variables but
// their assignments die with them (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
type scope struct {
	parent *scope
	vals   *jsonvalue.Object
}

func newScope(parent *scope) *scope { return &scope{parent: parent} }

// get looks name up here and then in the enclosing scopes.
func (s *scope) get(name string) (any, bool) {
	for c := s; c != nil; c = c.parent {
		if v, ok := c.vals.Get(name); ok {
			return v, true
		}
	}
	return nil, false
}

func (s *scope) set(name string, v any) {
	if s.vals == nil {
		s.vals = jsonvalue.NewObject(4)
	}
	s.vals.Set(name, v)
}

// all returns every visible variable, inner scopes winning, for JSONata bindings.
func (s *scope) all(into map[string]any) {
	if s == nil {
		return
	}
	s.parent.all(into)
	s.vals.Range(func(k string, v any) bool { into[k] = v; return true })
}

// assignBlock is a state's or catcher's Assign field.
type assignBlock struct {
	raw any
}

// assignment is an evaluated Assign: values computed against the state-entry variables,
// applied only once the whole state has been evaluated so that swaps work.
type assignment struct {
	names []string
	vals  []any
	texts [][]byte // JSON text of each value, for the size limits and history
}

// evalAssign evaluates an Assign block. In JSONPath mode input is the value its paths
// read (the state's result before ResultSelector); in JSONata mode states is $states.
func (r *run) evalAssign(f *frame, n *node, a *assignBlock, input any, states *jsonvalue.Object, field string) (*assignment, *failure) {
	if a == nil {
		return nil, nil
	}
	var v any
	var fl *failure
	if n.jsonata {
		v, fl = r.evalTemplate(f, n, a.raw, states, field)
	} else {
		v, fl = r.expand(f, a.raw, input, field, nil)
	}
	if fl != nil {
		return nil, fl
	}
	o, _ := v.(*jsonvalue.Object)
	as := &assignment{}
	total := 0
	var tooBig string
	o.Range(func(k string, v any) bool {
		text := textOf(v)
		as.names = append(as.names, k)
		as.vals = append(as.vals, v)
		as.texts = append(as.texts, text)
		total += len(text)
		if len(text) > maxPayloadBytes {
			tooBig = k
		}
		return true
	})
	// One variable, and one Assign block, may hold at most 256 KiB
	// (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
	if tooBig != "" || total > maxPayloadBytes {
		what := "The assigned variables"
		if tooBig != "" {
			what = "The variable '" + tooBig + "'"
		}
		fl := fail("States.DataLimitExceeded", r.causePrefix(f)+what+" exceeded the maximum number of bytes service limit.")
		fl.terminal = true
		return nil, &fl
	}
	return as, nil
}

// apply stores the values in f's scope and returns the assignedVariables details
// object (name → JSON text), or nil when nothing was assigned.
func (a *assignment) apply(f *frame) []byte {
	if a == nil || len(a.names) == 0 {
		// AWS writes no assignedVariables for an empty Assign.
		return nil
	}
	b := newDetails()
	for i, k := range a.names {
		f.vars.set(k, a.vals[i])
		b = b.text(k, a.texts[i])
	}
	return b.done()
}
