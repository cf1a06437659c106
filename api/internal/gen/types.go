package main

import (
	"fmt"
	"sort"
	"strings"
)

// generator writes one service's wire_gen.go.
type generator struct {
	m        *model
	pkg      string
	src      string // model path as given, for the header
	b        strings.Builder
	inputs   map[string]bool // structures reachable from an operation input
	checks   map[string]int  // memo for hasChecks: 0 unknown, 1 computing, 2 no, 3 yes
	patterns map[string]string
	patOrder []string
	enums    map[string]bool // enum shapes that need a membership function
	imports  map[string]bool
}

func newGenerator(m *model, pkg, src string) *generator {
	g := &generator{
		m: m, pkg: pkg, src: src,
		inputs:   map[string]bool{},
		checks:   map[string]int{},
		patterns: map[string]string{},
		enums:    map[string]bool{},
		imports:  map[string]bool{},
	}
	for _, name := range m.Operations.Keys {
		if op := m.Operations.Values[name]; op.Input != nil {
			g.markInput(op.Input.Shape)
		}
	}
	return g
}

func (g *generator) shape(name string) shape { return g.m.Shapes.Values[name] }

// markInput records every structure reachable from an input shape: those get
// Validate methods and presence tracking for required members.
func (g *generator) markInput(name string) {
	s := g.shape(name)
	switch s.Type {
	case "structure":
		if g.inputs[name] {
			return
		}
		g.inputs[name] = true
		for _, mn := range s.Members.Keys {
			g.markInput(s.Members.Values[mn].Shape)
		}
	case "list":
		g.markInput(s.Member.Shape)
	case "map":
		g.markInput(s.Key.Shape)
		g.markInput(s.Value.Shape)
	}
}

func (g *generator) p(format string, args ...any) {
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

// goType is the Go type of a value of the named shape, before any pointer a
// member adds for optionality.
func (g *generator) goType(name string) string {
	s := g.shape(name)
	switch s.Type {
	case "string":
		return "string"
	case "integer":
		return "int32"
	case "long":
		return "int64"
	case "float", "double":
		return "float64"
	case "boolean":
		return "bool"
	case "timestamp":
		g.imports["stepline/api/awsjson"] = true
		return "awsjson.Time"
	case "blob":
		return "[]byte"
	case "list":
		return "[]" + g.goType(s.Member.Shape)
	case "map":
		return "map[" + g.goType(s.Key.Shape) + "]" + g.goType(s.Value.Shape)
	case "structure":
		if s.Document {
			g.imports["encoding/json"] = true
			return "json.RawMessage"
		}
		return name
	case "document":
		g.imports["encoding/json"] = true
		return "json.RawMessage"
	}
	return "json.RawMessage"
}

// nillable reports whether the Go type of a shape already has a nil value,
// so an optional member needs no pointer.
func (g *generator) nillable(name string) bool {
	s := g.shape(name)
	switch s.Type {
	case "list", "map", "blob", "document":
		return true
	case "structure":
		return s.Document
	}
	return false
}

func isRequired(s shape, member string) bool {
	for _, r := range s.Required {
		if r == member {
			return true
		}
	}
	return false
}

// fieldType is the Go type of a member: optional non-nillable values become
// pointers, so a handler can tell "absent" from the zero value.
func (g *generator) fieldType(parent shape, member string) string {
	ref := parent.Members.Values[member].Shape
	t := g.goType(ref)
	if !isRequired(parent, member) && !g.nillable(ref) {
		return "*" + t
	}
	return t
}

// presenceTracked lists, in member order, the required members of an input
// structure whose Go value cannot be nil: decoding records whether they were
// present, so validation can report "Value null" for a missing one and a
// length or range error for a present empty one, as AWS does.
func (g *generator) presenceTracked(name string) []string {
	if !g.inputs[name] {
		return nil
	}
	s := g.shape(name)
	var out []string
	for _, mn := range s.Members.Keys {
		if isRequired(s, mn) && !g.nillable(s.Members.Values[mn].Shape) {
			out = append(out, mn)
		}
	}
	return out
}

func (g *generator) writeStruct(name string) error {
	s := g.shape(name)
	doc := firstSentence(s.Doc)
	switch {
	case s.Exception:
		g.p("// %s is the error shape %s.", name, name)
	case doc != "":
		g.p("// %s is the wire shape %s.", name, name)
	default:
		g.p("// %s is the wire shape %s.", name, name)
	}
	if doc != "" {
		g.p("//")
		for _, line := range wrap(doc, 100) {
			g.p("// %s", line)
		}
	}
	g.p("type %s struct {", name)
	for _, mn := range s.Members.Keys {
		field := exportName(mn)
		if field == "Validate" {
			return fmt.Errorf("%s.%s clashes with the Validate method", name, mn)
		}
		tag := mn
		if !isRequired(s, mn) {
			// An optional list or map is left out when nil but sent when empty: AWS
			// answers "webhooks": [] for an empty listing, and the CLI prints what it
			// gets. Other optional members are left out when empty.
			switch g.shape(s.Members.Values[mn].Shape).Type {
			case "list", "map":
				tag += ",omitzero"
			default:
				tag += ",omitempty"
			}
		}
		g.p("\t%s %s `json:%q`", field, g.fieldType(s, mn), tag)
	}
	if len(g.presenceTracked(name)) > 0 {
		g.p("")
		g.p("\t// present has bit i set when the i-th required member was present in")
		g.p("\t// the decoded JSON (see UnmarshalJSON).")
		g.p("\tpresent uint64")
	}
	g.p("}")
	g.p("")
	return nil
}

// writeUnmarshal emits the presence-tracking decoder. The members it tracks
// are shadowed by pointer fields of the same JSON name one level up, which
// encoding/json prefers over the embedded ones.
func (g *generator) writeUnmarshal(name string) error {
	tracked := g.presenceTracked(name)
	if len(tracked) == 0 {
		return nil
	}
	if len(tracked) > 64 {
		return fmt.Errorf("%s: more than 64 required members", name)
	}
	g.imports["encoding/json"] = true
	s := g.shape(name)
	g.p("// UnmarshalJSON decodes %s and records which required members were present.", name)
	g.p("func (s *%s) UnmarshalJSON(b []byte) error {", name)
	g.p("\ttype plain %s", name)
	g.p("\taux := struct {")
	g.p("\t\t*plain")
	for _, mn := range tracked {
		g.p("\t\t%s *%s `json:%q`", exportName(mn), g.goType(s.Members.Values[mn].Shape), mn)
	}
	g.p("\t}{plain: (*plain)(s)}")
	g.p("\tif err := json.Unmarshal(b, &aux); err != nil {")
	g.p("\t\treturn err")
	g.p("\t}")
	g.p("\ts.present = 0")
	for i, mn := range tracked {
		f := exportName(mn)
		g.p("\tif aux.%s != nil {", f)
		g.p("\t\ts.%s = *aux.%s", f, f)
		g.p("\t\ts.present |= 1 << %d", i)
		g.p("\t}")
	}
	g.p("\treturn nil")
	g.p("}")
	g.p("")
	return nil
}

func (g *generator) writeEnum(name string) {
	s := g.shape(name)
	g.p("// Values of the enum %s.", name)
	g.p("const (")
	for _, v := range s.Enum {
		g.p("\t%s = %q", enumConstName(name, v), v)
	}
	g.p(")")
	g.p("")
}

func (g *generator) writeOperations() {
	g.p("// Operations lists the service's operations in model order, as they")
	g.p("// appear after the target prefix in X-Amz-Target.")
	g.p("var Operations = []string{")
	for _, name := range g.m.Operations.Keys {
		g.p("\t%q,", g.m.Operations.Values[name].Name)
	}
	g.p("}")
	g.p("")
}

// checkConstNames fails on two generated identifiers with one name.
func (g *generator) checkConstNames() error {
	seen := map[string]string{}
	for _, name := range g.m.Shapes.Keys {
		s := g.shape(name)
		if s.Type == "structure" {
			seen[name] = name
		}
	}
	for _, name := range g.m.Shapes.Keys {
		for _, v := range g.shape(name).Enum {
			c := enumConstName(name, v)
			if other, ok := seen[c]; ok {
				return fmt.Errorf("constant %s for %s=%q clashes with %s", c, name, v, other)
			}
			seen[c] = name
		}
	}
	return nil
}

func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
