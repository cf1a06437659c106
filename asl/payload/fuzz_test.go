package payload

import (
	"testing"

	"stepline/jsonvalue"
)

// FuzzExpand checks that no template makes Compile or Expand panic, and that a
// template without ".$" keys comes back unchanged.
func FuzzExpand(f *testing.F) {
	for _, s := range []string{
		`{"a.$":"$.x","b":[{"c.$":"$$.Execution.Name"}],"d.$":"States.Format('{}', $v)"}`,
		`{"a":"$.x"}`, `[1,{"x.$":"$..y"}]`, `{"a.$":"$$"}`, `{"a.$":"$.l[?(@.k > 1)]"}`,
		`{"a.$":"States.Array($.l[0], States.UUID())"}`, `"plain"`,
	} {
		f.Add(s)
	}
	env := Env{
		Input:   jsonvalue.MustParse(`{"x":1,"y":{"y":2},"l":[{"k":1},{"k":2}]}`),
		Context: jsonvalue.MustParse(`{"Execution":{"Name":"n"}}`),
		Var: func(name string) (any, bool) {
			return "v", name == "v"
		},
		Rand: func() uint64 { return 1 },
	}
	f.Fuzz(func(t *testing.T, text string) {
		tmpl, err := jsonvalue.ParseString(text)
		if err != nil {
			return
		}
		c, err := Compile(tmpl)
		if err != nil {
			return
		}
		got, err := c.Expand(env)
		if c.IsStatic() && (err != nil || jsonvalue.MarshalString(got) != jsonvalue.MarshalString(tmpl)) {
			t.Fatalf("static template %s changed: %s, %v", text, jsonvalue.MarshalString(got), err)
		}
	})
}
