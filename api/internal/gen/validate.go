package main

import (
	"unicode"

	"encoding/json"
	"fmt"
	"stepline/api/awsjson"
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
	for _, mn := range awsMemberOrder(s.Members.Keys) {
		ref := s.Members.Values[mn].Shape
		required := isRequired(s, mn)
		if !required && !g.hasChecks(ref) {
			continue
		}
		f := "s." + exportName(mn)
		sens := strconv.FormatBool(g.shape(ref).Sensitive)
		g.p("\t{")
		g.p("\t\tp := awsjson.Path(path, %q)", pathName(mn))
		var body strings.Builder
		if err := g.checkValue(&body, "v", ref, g.valueExpr(s, mn, f), "p", "\t\t\t", 0); err != nil {
			return fmt.Errorf("%s.%s: %w", name, mn, err)
		}
		switch {
		case required && g.nillable(ref):
			g.p("\t\tif %s == nil {", f)
			g.p("\t\t\tv.Null(p, %s)", sens)
			g.p("\t\t} else {")
		case required:
			g.p("\t\tif s.present&(1<<%d) == 0 && %s {", tracked[mn], g.zeroTest(ref, f))
			g.p("\t\t\tv.Null(p, %s)", sens)
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
func (g *generator) checkValue(b *strings.Builder, vn, ref, expr, path, ind string, depth int) error {
	s := g.shape(ref)
	w := func(format string, args ...any) {
		b.WriteString(ind)
		fmt.Fprintf(b, format, args...)
		b.WriteByte('\n')
	}
	sens := strconv.FormatBool(s.Sensitive)
	switch s.Type {
	case "string":
		// AWS checks the pattern before the length: where both fail and their
		// messages tie in its hash set, the pattern's comes first.
		if s.Pattern != nil {
			vars, err := g.patternVars(*s.Pattern)
			if err != nil {
				return err
			}
			w(vn+".Pattern(%s, %s, %s, %q, %s)", path, expr, sens, *s.Pattern, strings.Join(vars, ", "))
		}
		if s.Min != nil || s.Max != nil {
			w(vn+".StringLen(%s, %s, %s, %s, %s)", path, expr, sens, bound(s.Min), bound(s.Max))
		}
		if len(s.Enum) > 0 {
			g.enums[ref] = true
			w(vn+".Enum(%s, %s, %s, %q, is%s(%s))", path, expr, sens,
				"["+strings.Join(awsEnumOrder(s.Enum), ", ")+"]", ref, expr)
		}
	case "integer", "long":
		if s.Min != nil || s.Max != nil {
			w(vn+".IntRange(%s, int64(%s), %s, %t, %s, %t, %s)", path, expr, sens,
				s.Min != nil, numOr(s.Min), s.Max != nil, numOr(s.Max))
		}
	case "float", "double":
		if s.Min != nil || s.Max != nil {
			w(vn+".FloatRange(%s, float64(%s), %s, %t, %s, %q, %t, %s, %q)", path, expr, sens,
				s.Min != nil, numOr(s.Min), numOr(s.Min), s.Max != nil, numOr(s.Max), numOr(s.Max))
		}
	case "blob":
		if s.Min != nil || s.Max != nil {
			w(vn+".BlobLen(%s, %s, %s, %s, %s)", path, expr, sens, bound(s.Min), bound(s.Max))
		}
	case "structure":
		if g.hasChecks(ref) {
			w("%s.validate(%s, %s)", expr, vnPtr(vn), path)
		}
	case "list":
		if s.Min != nil || s.Max != nil {
			w(vn+".CollectionLen(%s, awsjson.ListString(%s), %s, len(%s), %s, %s)", path, expr, sens, expr, bound(s.Min), bound(s.Max))
		}
		if !g.hasChecks(s.Member.Shape) {
			break
		}
		i := "i" + strconv.Itoa(depth)
		if g.isScalar(s.Member.Shape) {
			return g.scalarElements(b, vn, s.Member.Shape, "Member must satisfy constraint: ",
				"awsjson.ListString("+expr+")", "for "+i+" := range "+expr, expr+"["+i+"]", path, sens, ind, depth)
		}
		ep := "p" + strconv.Itoa(depth+1)
		w("for %s := range %s {", i, expr)
		w("\t%s := awsjson.ListPath(%s, %s)", ep, path, i)
		if err := g.checkValue(b, vn, s.Member.Shape, expr+"["+i+"]", ep, ind+"\t", depth+1); err != nil {
			return err
		}
		w("}")
	case "map":
		if s.Min != nil || s.Max != nil {
			w(vn+".CollectionLen(%s, awsjson.MapString(%s), %s, len(%s), %s, %s)", path, expr, sens, expr, bound(s.Min), bound(s.Max))
		}
		k := "k" + strconv.Itoa(depth)
		if g.hasChecks(s.Key.Shape) {
			if err := g.scalarElements(b, vn, s.Key.Shape, "Map keys must satisfy constraint: ",
				"awsjson.MapString("+expr+")", "for "+k+" := range "+expr, k, path, sens, ind, depth); err != nil {
				return err
			}
		}
		if !g.hasChecks(s.Value.Shape) {
			break
		}
		if g.isScalar(s.Value.Shape) {
			return g.scalarElements(b, vn, s.Value.Shape, "Map value must satisfy constraint: ",
				"awsjson.MapString("+expr+")", "for _, "+k+" := range "+expr, k, path, sens, ind, depth)
		}
		// Structure values: checked one by one under 'path.key'. Map
		// values are not addressable, so each is validated as a copy.
		ep := "p" + strconv.Itoa(depth+1)
		mv := "v" + strconv.Itoa(depth)
		w("for _, %s := range awsjson.SortedKeys(%s) {", k, expr)
		w("\t%s := awsjson.Path(%s, %s)", ep, path, k)
		w("\t%s := %s[%s]", mv, expr, k)
		if err := g.checkValue(b, vn, s.Value.Shape, mv, ep, ind+"\t", depth+1); err != nil {
			return err
		}
		w("}")
	}
	return nil
}

// isScalar reports whether values of the shape are checked on their own,
// not member by member.
func (g *generator) isScalar(ref string) bool {
	switch g.shape(ref).Type {
	case "structure", "list", "map":
		return false
	}
	return true
}

// scalarElements writes the check of a collection's scalar elements (list
// members, map keys or map values). AWS reports them once, at the
// collection, listing every constraint of the element shape:
// "Value '[a, b]' at 'tagKeys' failed to satisfy constraint: Member must
// satisfy constraint: [Member must have length less than or equal to 128,
// Member must have length greater than or equal to 1]".
func (g *generator) scalarElements(b *strings.Builder, vn, elem, prefix, value, loop, elemExpr, path, sens, ind string, depth int) error {
	ev := "ev" + strconv.Itoa(depth)
	fmt.Fprintf(b, "%s{\n%s\tvar %s awsjson.Validator\n%s\t%s {\n", ind, ind, ev, ind, loop)
	if err := g.checkValue(b, ev, elem, elemExpr, `""`, ind+"\t\t", depth+1); err != nil {
		return err
	}
	rules := awsjson.JavaHashOrder(g.rules(elem))
	fmt.Fprintf(b, "%s\t}\n%s\t%s.Elements(%s, %s, %s, &%s, %q)\n%s}\n",
		ind, ind, vn, path, value, sens, ev, prefix+"["+strings.Join(rules, ", ")+"]", ind)
	return nil
}

// rules lists the constraint texts of a scalar shape, as AWS words them.
func (g *generator) rules(ref string) []string {
	s := g.shape(ref)
	var out []string
	switch s.Type {
	case "string", "blob":
		if s.Pattern != nil {
			out = append(out, "Member must satisfy regular expression pattern: "+*s.Pattern)
		}
		if s.Max != nil {
			out = append(out, "Member must have length less than or equal to "+s.Max.String())
		}
		if s.Min != nil {
			out = append(out, "Member must have length greater than or equal to "+s.Min.String())
		}
		if len(s.Enum) > 0 {
			out = append(out, "Member must satisfy enum value set: ["+strings.Join(awsEnumOrder(s.Enum), ", ")+"]")
		}
	default:
		if s.Max != nil {
			out = append(out, "Member must have value less than or equal to "+s.Max.String())
		}
		if s.Min != nil {
			out = append(out, "Member must have value greater than or equal to "+s.Min.String())
		}
	}
	return out
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

// vnPtr is the expression for a pointer to the validator named vn: the
// method's own v is already one, element collectors are values.
func vnPtr(vn string) string {
	if vn == "v" {
		return "v"
	}
	return "&" + vn
}

// pathName is a member's name in a validation path: AWS lower-cases the
// first letter even where the model's member name starts upper-case
// (DynamoDB's TableName is reported at 'tableName').
func pathName(member string) string {
	if member == "" {
		return member
	}
	r := []rune(member)
	r[0] = unicode.ToLower(r[0])
	return string(r)
}

// awsMemberOrder returns a structure's members in the order AWS reports
// their violations: its validator walks the members from a
// java.util.HashMap keyed by path name, ties in model order. Recorded
// messages fit it: DynamoDB reports provisionedThroughput.writeCapacityUnits
// before readCapacityUnits, Cognito confirmationCode before password and
// password before username. (Kinesis, recorded years ago, fits the same
// table under Java 7's hash function.)
func awsMemberOrder(members []string) []string {
	byPath := map[string]string{}
	paths := make([]string, len(members))
	for i, m := range members {
		paths[i] = pathName(m)
		byPath[paths[i]] = m
	}
	out := make([]string, 0, len(members))
	for _, p := range awsjson.JavaHashOrder(paths) {
		out = append(out, byPath[p])
	}
	return out
}
