package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// hasChecks reports whether a value of the shape can fail validation.
// Recursive shapes are assumed to have checks while being computed, which
// only costs a call that finds nothing.
func (g *generator) hasChecks(name string) bool {
	switch g.checks[name] {
	case 1, 3:
		return true
	case 2:
		return false
	}
	g.checks[name] = 1
	s := g.shape(name)
	has := false
	switch s.Type {
	case "string":
		has = s.Min != nil || s.Max != nil || s.Pattern != nil || len(s.Enum) > 0
	case "integer", "long", "float", "double", "blob":
		has = s.Min != nil || s.Max != nil
	case "list":
		has = s.Min != nil || s.Max != nil || g.hasChecks(s.Member.Shape)
	case "map":
		has = s.Min != nil || s.Max != nil || g.hasChecks(s.Key.Shape) || g.hasChecks(s.Value.Shape)
	case "structure":
		has = len(s.Required) > 0
		for _, mn := range s.Members.Keys {
			has = has || g.hasChecks(s.Members.Values[mn].Shape)
		}
	}
	g.checks[name] = 2
	if has {
		g.checks[name] = 3
	}
	return has
}

func (g *generator) writeValidate(name string) error {
	s := g.shape(name)
	g.imports["stepline/api/awsjson"] = true
	g.p("// Validate checks %s against the model's constraints and returns the", name)
	g.p("// ValidationException AWS would, or nil.")
	g.p("func (s *%s) Validate() error {", name)
	g.p("\tvar v awsjson.Validator")
	g.p("\ts.validate(&v, \"\")")
	g.p("\treturn v.Err()")
	g.p("}")
	g.p("")
	g.p("func (s *%s) validate(v *awsjson.Validator, path string) {", name)
	tracked := map[string]int{}
	for i, mn := range g.presenceTracked(name) {
		tracked[mn] = i
	}
	for _, mn := range s.Members.Keys {
		ref := s.Members.Values[mn].Shape
		required := isRequired(s, mn)
		if !required && !g.hasChecks(ref) {
			continue
		}
		f := "s." + exportName(mn)
		g.p("\t{")
		g.p("\t\tp := awsjson.Path(path, %q)", mn)
		var body strings.Builder
		if err := g.checkValue(&body, ref, g.valueExpr(s, mn, f), "p", "\t\t\t", 0); err != nil {
			return fmt.Errorf("%s.%s: %w", name, mn, err)
		}
		switch {
		case required && g.nillable(ref):
			g.p("\t\tif %s == nil {", f)
			g.p("\t\t\tv.Null(p)")
			g.p("\t\t} else {")
		case required:
			g.p("\t\tif s.present&(1<<%d) == 0 && %s {", tracked[mn], g.zeroTest(ref, f))
			g.p("\t\t\tv.Null(p)")
			g.p("\t\t} else {")
		case g.nillable(ref):
			g.p("\t\tif %s != nil {", f)
		default:
			g.p("\t\tif %s != nil {", f)
		}
		g.b.WriteString(body.String())
		g.p("\t\t}")
		g.p("\t}")
	}
	g.p("}")
	g.p("")
	return nil
}

// valueExpr is the expression for a member's value (dereferenced when the
// field is a pointer).
func (g *generator) valueExpr(s shape, member, field string) string {
	if !isRequired(s, member) && !g.nillable(s.Members.Values[member].Shape) {
		return "(*" + field + ")"
	}
	return field
}

// zeroTest is a Go condition true when a required value was never set:
// decoding tracks presence, and a value a program built counts as present
// unless it is the zero value.
func (g *generator) zeroTest(ref, f string) string {
	switch g.shape(ref).Type {
	case "string":
		return f + ` == ""`
	case "integer", "long", "float", "double":
		return f + " == 0"
	case "boolean":
		return "!" + f
	case "timestamp":
		return f + ".IsZero()"
	}
	g.imports["reflect"] = true
	return "reflect.ValueOf(" + f + ").IsZero()"
}

// checkValue writes the constraint checks for value expr of shape ref at the
// path held in variable path. depth numbers the loop variables of nested
// lists and maps.
func (g *generator) checkValue(b *strings.Builder, ref, expr, path, ind string, depth int) error {
	s := g.shape(ref)
	w := func(format string, args ...any) {
		b.WriteString(ind)
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}
	sens := strconv.FormatBool(s.Sensitive)
	switch s.Type {
	case "string":
		if s.Min != nil || s.Max != nil {
			w("v.StringLen(%s, %s, %s, %s, %s)", path, expr, sens, bound(s.Min), bound(s.Max))
		}
		if s.Pattern != nil {
			vars, err := g.patternVars(*s.Pattern)
			if err != nil {
				return err
			}
			w("v.Pattern(%s, %s, %s, %q, %s)", path, expr, sens, *s.Pattern, strings.Join(vars, ", "))
		}
		if len(s.Enum) > 0 {
			g.enums[ref] = true
			w("v.Enum(%s, %s, %s, %q, is%s(%s))", path, expr, sens,
				"["+strings.Join(awsEnumOrder(s.Enum), ", ")+"]", ref, expr)
		}
	case "integer", "long":
		if s.Min != nil || s.Max != nil {
			w("v.IntRange(%s, int64(%s), %s, %t, %s, %t, %s)", path, expr, sens,
				s.Min != nil, numOr(s.Min), s.Max != nil, numOr(s.Max))
		}
	case "float", "double":
		if s.Min != nil || s.Max != nil {
			w("v.FloatRange(%s, float64(%s), %s, %t, %s, %q, %t, %s, %q)", path, expr, sens,
				s.Min != nil, numOr(s.Min), numOr(s.Min), s.Max != nil, numOr(s.Max), numOr(s.Max))
		}
	case "blob":
		if s.Min != nil || s.Max != nil {
			w("v.BlobLen(%s, %s, %s, %s, %s)", path, expr, sens, bound(s.Min), bound(s.Max))
		}
	case "structure":
		if g.hasChecks(ref) {
			w("%s.validate(v, %s)", expr, path)
		}
	case "list":
		if s.Min != nil || s.Max != nil {
			w("v.CollectionLen(%s, awsjson.ListString(%s), %s, len(%s), %s, %s)", path, expr, sens, expr, bound(s.Min), bound(s.Max))
		}
		if g.hasChecks(s.Member.Shape) {
			i := "i" + strconv.Itoa(depth)
			ep := "p" + strconv.Itoa(depth+1)
			w("for %s := range %s {", i, expr)
			w("\t%s := awsjson.ListPath(%s, %s)", ep, path, i)
			if err := g.checkValue(b, s.Member.Shape, expr+"["+i+"]", ep, ind+"\t", depth+1); err != nil {
				return err
			}
			w("}")
		}
	case "map":
		if s.Min != nil || s.Max != nil {
			w("v.CollectionLen(%s, awsjson.MapString(%s), %s, len(%s), %s, %s)", path, expr, sens, expr, bound(s.Min), bound(s.Max))
		}
		if g.hasChecks(s.Key.Shape) || g.hasChecks(s.Value.Shape) {
			k := "k" + strconv.Itoa(depth)
			ep := "p" + strconv.Itoa(depth+1)
			w("for _, %s := range awsjson.SortedKeys(%s) {", k, expr)
			w("\t%s := awsjson.Path(%s, %s)", ep, path, k)
			if err := g.checkValue(b, s.Key.Shape, k, path, ind+"\t", depth+1); err != nil {
				return err
			}
			// Map values are not addressable; validate a copy.
			mv := "v" + strconv.Itoa(depth)
			w("\t%s := %s[%s]", mv, expr, k)
			if err := g.checkValue(b, s.Value.Shape, mv, ep, ind+"\t", depth+1); err != nil {
				return err
			}
			w("\t_, _ = %s, %s", ep, mv)
			w("}")
		}
	}
	return nil
}

// patternVars returns the package-level regular expressions for a model
// pattern, declaring them on first use.
func (g *generator) patternVars(java string) ([]string, error) {
	res, err := translatePattern(java)
	if err != nil {
		return nil, err
	}
	var vars []string
	for i, re := range res {
		key := java + "\x00" + strconv.Itoa(i)
		if _, ok := g.patterns[key]; !ok {
			g.patterns[key] = re
			g.patOrder = append(g.patOrder, key)
		}
		vars = append(vars, "pattern"+strconv.Itoa(indexOf(g.patOrder, key)))
	}
	g.imports["regexp"] = true
	return vars, nil
}

func (g *generator) writePatterns() {
	if len(g.patOrder) == 0 {
		return
	}
	g.p("// The model's patterns, translated from Java to RE2 syntax. They are")
	g.p("// compiled once and never changed.")
	g.p("var (")
	for i, key := range g.patOrder {
		java, _, _ := strings.Cut(key, "\x00")
		g.p("\tpattern%d = regexp.MustCompile(%q) // %s", i, g.patterns[key], java)
	}
	g.p(")")
	g.p("")
}

func (g *generator) writeEnumFuncs() {
	for _, name := range sortedKeys(g.enums) {
		s := g.shape(name)
		quoted := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			quoted[i] = strconv.Quote(v)
		}
		g.p("func is%s(s string) bool {", name)
		g.p("\tswitch s {")
		g.p("\tcase %s:", strings.Join(quoted, ", "))
		g.p("\t\treturn true")
		g.p("\t}")
		g.p("\treturn false")
		g.p("}")
		g.p("")
	}
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// bound renders an optional length bound; -1 means none.
func bound(n *json.Number) string {
	if n == nil {
		return "-1"
	}
	return n.String()
}

func numOr(n *json.Number) string {
	if n == nil {
		return "0"
	}
	return n.String()
}
