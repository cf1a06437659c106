package intrinsic

import (
	"testing"
)

// FuzzParse checks that no text makes Parse or Eval panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"States.Array()", "States.Format('a {} \\{\\}', $.a)", "States.MathAdd(1, -2.5)",
		"States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)",
		"States.JsonMerge($.o, $.o, false)", "States.StringToJson('{\"a\":1}')", "States.Hash('x', 'MD5')",
		"States.ArrayRange(1, 9, 2)", "States.MathRandom(1, 9, 3)", "States.UUID()", "States.Array($v.x[0], null, true)",
		"States.Array($.a[?(@.x, 1)], $['a,b'])",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		env := testEnv()
		_, _ = c.Eval(env)
		if c.String() == "" {
			t.Fatalf("parsed %q without text", s)
		}
	})
}
