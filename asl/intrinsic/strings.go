package intrinsic

import (
	"strings"

	"stepline/asl/jsonpath"
	"stepline/jsonvalue"
)

// evalFormat is States.Format(template, args...): each {} takes the next argument.
// In a literal template \{ and \} are plain braces; a template read from a path has no
// escapes. The number of {} must equal the number of arguments.
func evalFormat(c *Call, _ *Env, args []any) (any, error) {
	tmpl, ok := args[0].(string)
	if !ok {
		return nil, c.fail("the template must be a string, but was %s", jsonvalue.TypeName(args[0]))
	}
	var holes []int
	if a := &c.Args[0]; a.kind == argString {
		holes = a.str.holes
	} else {
		for i := 0; i+1 < len(tmpl); i++ {
			if tmpl[i] == '{' && tmpl[i+1] == '}' {
				holes = append(holes, i)
				i++
			}
		}
	}
	if len(holes) != len(args)-1 {
		return nil, c.fail("the template has %d placeholder(s) but %d argument(s) were given", len(holes), len(args)-1)
	}
	b := make([]byte, 0, len(tmpl)+16*len(holes))
	last := 0
	for i, h := range holes {
		b = append(b, tmpl[last:h]...)
		b = jsonpath.AppendJava(b, args[i+1])
		last = h + 2
	}
	b = append(b, tmpl[last:]...)
	return string(b), nil
}

// evalStringSplit is States.StringSplit(s, delimiters): every character of delimiters
// splits, and empty pieces are dropped.
func evalStringSplit(c *Call, _ *Env, args []any) (any, error) {
	s, err := c.argString(args, 0, "input")
	if err != nil {
		return nil, err
	}
	delims, err := c.argString(args, 1, "delimiter")
	if err != nil {
		return nil, err
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out, nil
}
