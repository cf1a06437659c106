package intrinsic

import (
	"strings"

	"stepline/jsonvalue"
)

// evalStringToJSON is States.StringToJson(s): s parsed as JSON. An empty (or blank)
// string gives null, as AWS does.
func evalStringToJSON(c *Call, _ *Env, args []any) (any, error) {
	s, err := c.argString(args, 0, "input")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := jsonvalue.ParseString(s)
	if err != nil {
		return nil, c.fail("the string %s is not valid JSON", jsonvalue.MarshalString(s))
	}
	return jacksonNumbers(v), nil
}

// evalJSONToString is States.JsonToString(v): compact JSON text.
func evalJSONToString(_ *Call, _ *Env, args []any) (any, error) {
	return jsonvalue.MarshalString(args[0]), nil
}

// evalJSONMerge is States.JsonMerge(a, b, false): a shallow merge where b's keys win.
// AWS supports only shallow merging; true is refused.
func evalJSONMerge(c *Call, _ *Env, args []any) (any, error) {
	a, ok1 := args[0].(*jsonvalue.Object)
	b, ok2 := args[1].(*jsonvalue.Object)
	if !ok1 || !ok2 {
		return nil, c.fail("the values to merge must be objects, but were %s and %s",
			jsonvalue.TypeName(args[0]), jsonvalue.TypeName(args[1]))
	}
	deep, ok := args[2].(bool)
	if !ok {
		return nil, c.fail("the deep merge flag must be a boolean, but was %s", jsonvalue.TypeName(args[2]))
	}
	if deep {
		return nil, c.fail("deep merge is not supported; the third argument must be false")
	}
	out := a.Clone()
	b.Range(func(k string, v any) bool {
		out.Set(k, v)
		return true
	})
	return out, nil
}
