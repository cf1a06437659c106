package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Graph is a state machine definition reduced to what the console draws: states and
// the transitions between them. Parallel branches and Map processors are graphs of
// their own, nested in the node of their state.
type Graph struct {
	StartAt string
	Nodes   []GraphNode // in the order a walk from StartAt first reaches them; unreachable ones last, by name
	Edges   []GraphEdge
	// Top is true for the state machine itself: only it gets Start and End markers.
	Top bool
}

// GraphNode is one state.
type GraphNode struct {
	Name     string
	Type     string   // the ASL Type (Pass, Task, Choice, Parallel, Map, ...)
	Children []*Graph // Parallel branches, or a Map's item processor; nil otherwise
	Terminal bool     // the execution may end here: End, Succeed or Fail
}

// Edge kinds, which the drawing styles differently.
const (
	EdgeNext    = "next"
	EdgeChoice  = "choice"
	EdgeDefault = "default"
	EdgeCatch   = "catch"
)

// GraphEdge is one transition.
type GraphEdge struct {
	From, To string
	Kind     string // one of the Edge constants
	Label    string // a short description of a Choice rule or Catch; may be empty
}

// aslMachine is the part of an ASL document the drawing needs. Field names match ASL
// case-insensitively, as encoding/json does.
type aslMachine struct {
	StartAt string
	States  map[string]aslState
}

type aslState struct {
	Type          string
	Next          string
	End           bool
	Default       string
	Choices       []map[string]json.RawMessage
	Catch         []aslCatch
	Branches      []aslMachine
	Iterator      *aslMachine
	ItemProcessor *aslMachine
}

type aslCatch struct {
	ErrorEquals []string
	Next        string
}

// maxGraphDepth bounds nesting so a hostile definition cannot make drawing recurse
// without end; AWS's own limits keep real machines far below it.
const maxGraphDepth = 32

// ParseGraph reads an ASL definition into a Graph. It is lenient: transitions to
// states that do not exist are dropped, since the service already rejected anything
// that cannot run and the drawing is only a picture of it.
func ParseGraph(definition string) (*Graph, error) {
	var m aslMachine
	if err := json.Unmarshal([]byte(definition), &m); err != nil {
		return nil, fmt.Errorf("parse definition: %w", err)
	}
	g, err := buildGraph(m, 0)
	if err != nil {
		return nil, err
	}
	g.Top = true
	return g, nil
}

func buildGraph(m aslMachine, depth int) (*Graph, error) {
	if depth > maxGraphDepth {
		return nil, fmt.Errorf("definition nested deeper than %d levels", maxGraphDepth)
	}
	g := &Graph{StartAt: m.StartAt}
	order := walkOrder(m)
	for _, name := range order {
		st := m.States[name]
		n := GraphNode{Name: name, Type: st.Type, Terminal: st.End || st.Type == "Succeed" || st.Type == "Fail"}
		var subs []aslMachine
		switch {
		case st.Type == "Parallel":
			subs = st.Branches
		case st.Type == "Map" && st.ItemProcessor != nil:
			subs = []aslMachine{*st.ItemProcessor}
		case st.Type == "Map" && st.Iterator != nil:
			subs = []aslMachine{*st.Iterator}
		}
		for _, sub := range subs {
			child, err := buildGraph(sub, depth+1)
			if err != nil {
				return nil, err
			}
			n.Children = append(n.Children, child)
		}
		g.Nodes = append(g.Nodes, n)
		for _, e := range stateEdges(name, st) {
			if _, ok := m.States[e.To]; ok {
				g.Edges = append(g.Edges, e)
			}
		}
	}
	return g, nil
}

// walkOrder lists the states breadth first from StartAt, following transitions in
// the order the definition gives them, then any state not reached, by name. The
// order is deterministic, which keeps the layout stable between page loads.
func walkOrder(m aslMachine) []string {
	seen := make(map[string]bool, len(m.States))
	var order []string
	queue := []string{m.StartAt}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		st, ok := m.States[name]
		if !ok || seen[name] {
			continue
		}
		seen[name] = true
		order = append(order, name)
		for _, e := range stateEdges(name, st) {
			queue = append(queue, e.To)
		}
	}
	var rest []string
	for name := range m.States {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(order, rest...)
}

// stateEdges lists a state's transitions: Choice rules in order, then Default, then
// Next, then each Catch.
func stateEdges(name string, st aslState) []GraphEdge {
	var out []GraphEdge
	for i, rule := range st.Choices {
		var next string
		if raw, ok := rule["Next"]; ok {
			_ = json.Unmarshal(raw, &next) // a rule without a string Next draws no edge
		}
		if next != "" {
			out = append(out, GraphEdge{From: name, To: next, Kind: EdgeChoice, Label: choiceLabel(rule, i)})
		}
	}
	if st.Default != "" {
		out = append(out, GraphEdge{From: name, To: st.Default, Kind: EdgeDefault, Label: "Default"})
	}
	if st.Next != "" {
		out = append(out, GraphEdge{From: name, To: st.Next, Kind: EdgeNext})
	}
	for _, c := range st.Catch {
		if c.Next != "" {
			out = append(out, GraphEdge{From: name, To: c.Next, Kind: EdgeCatch, Label: "Catch " + strings.Join(c.ErrorEquals, ", ")})
		}
	}
	return out
}

// labelMax bounds edge labels so they stay readable on the drawing.
const labelMax = 36

// choiceLabel describes a Choice rule briefly: "$.x == true" for a simple comparison,
// the JSONata condition, or "Rule n" for anything compound.
func choiceLabel(rule map[string]json.RawMessage, i int) string {
	label := fmt.Sprintf("Rule %d", i+1)
	if raw, ok := rule["Condition"]; ok {
		var cond string
		if json.Unmarshal(raw, &cond) == nil && cond != "" {
			label = cond
		}
		return truncate(label, labelMax)
	}
	var variable string
	if raw, ok := rule["Variable"]; ok {
		_ = json.Unmarshal(raw, &variable)
	}
	if variable == "" {
		return label
	}
	// Map iteration order is random; sort the keys so the label is stable.
	keys := make([]string, 0, len(rule))
	for k := range rule {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if op, ok := comparisonOp(k); ok {
			label = variable + " " + op + " " + strings.TrimSpace(string(rule[k]))
			break
		}
	}
	return truncate(label, labelMax)
}

// comparisonOp maps a Choice comparison operator to a short symbol.
func comparisonOp(key string) (string, bool) {
	k := strings.TrimSuffix(key, "Path")
	switch {
	case strings.HasPrefix(k, "Is"):
		return "is " + strings.ToLower(strings.TrimPrefix(k, "Is")), true
	case strings.HasSuffix(k, "Matches"):
		return "matches", true
	case strings.HasSuffix(k, "LessThanEquals"):
		return "<=", true
	case strings.HasSuffix(k, "GreaterThanEquals"):
		return ">=", true
	case strings.HasSuffix(k, "LessThan"):
		return "<", true
	case strings.HasSuffix(k, "GreaterThan"):
		return ">", true
	case strings.HasSuffix(k, "Equals"):
		return "==", true
	}
	return "", false
}

// truncate shortens s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
