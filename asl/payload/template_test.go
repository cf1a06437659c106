package payload

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func testEnv() Env {
	vars := map[string]any{"greeting": "hi", "cfg": jsonvalue.MustParse(`{"n":[1,2]}`)}
	return Env{
		Input:   jsonvalue.MustParse(`{"a":{"b":1},"list":[{"x":1},{"x":2}],"s":"a,b"}`),
		Context: jsonvalue.MustParse(`{"Execution":{"Name":"run-1"},"Map":{"Item":{"Index":3}}}`),
		Var: func(name string) (any, bool) {
			v, ok := vars[name]
			return v, ok
		},
		Rand: func() uint64 { return 42 },
	}
}

func TestExpand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tmpl, want string
	}{
		{"Static", `{"k":"v","n":[1,{"x":null}]}`, `{"k":"v","n":[1,{"x":null}]}`},
		{"Path", `{"v.$":"$.a.b"}`, `{"v":1}`},
		{"Root", `{"all.$":"$"}`, `{"all":{"a":{"b":1},"list":[{"x":1},{"x":2}],"s":"a,b"}}`},
		{"Context", `{"name.$":"$$.Execution.Name","i.$":"$$.Map.Item.Index"}`, `{"name":"run-1","i":3}`},
		{"Variable", `{"g.$":"$greeting","n.$":"$cfg.n[1]"}`, `{"g":"hi","n":2}`},
		{"Intrinsic", `{"parts.$":"States.StringSplit($.s, ',')"}`, `{"parts":["a","b"]}`},
		{"IndefinitePath", `{"xs.$":"$.list[*].x"}`, `{"xs":[1,2]}`},
		{"IndefiniteNothing", `{"xs.$":"$.none[*]"}`, `{"xs":[]}`},
		{"Nested", `{"outer":{"inner.$":"$.a","lit":"$.not.a.path"},"arr":[{"x.$":"$.a.b"},2]}`,
			`{"outer":{"inner":{"b":1},"lit":"$.not.a.path"},"arr":[{"x":1},2]}`},
		{"KeyOrderKept", `{"z":1,"y.$":"$.a.b","x":2}`, `{"z":1,"y":1,"x":2}`},
		{"NotAnObject", `"just a string"`, `"just a string"`},
		{"ArrayTemplate", `[{"a.$":"$.a.b"}]`, `[{"a":1}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := testEnv()
			before := jsonvalue.MarshalString(env.Input)
			got, err := Expand(jsonvalue.MustParse(tt.tmpl), env, "Parameters")
			require.NoError(t, err)
			require.Equal(t, tt.want, jsonvalue.MarshalString(got))
			require.Equal(t, before, jsonvalue.MarshalString(env.Input))
		})
	}
}

func TestExpandFailures(t *testing.T) {
	t.Parallel()
	input := `{"a":{"b":1},"list":[{"x":1},{"x":2}],"s":"a,b"}`
	tests := []struct {
		name, tmpl, cause string
	}{
		{"MissingPath", `{"value.$":"$.no_such_jsonpath"}`,
			`The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '` + input + `'`},
		{"MissingContextPath", `{"value.$":"$$.Execution.Input.no_such_jsonpath"}`,
			`The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '` + input + `'`},
		{"MissingVariable", `{"v.$":"$nothing"}`,
			`The JSONPath '$nothing' specified for the field 'v.$' could not be found in the input '` + input + `'`},
		{"NestedKeyNamed", `{"o":{"deep.$":"$.a.c"}}`,
			`The JSONPath '$.a.c' specified for the field 'deep.$' could not be found in the input '` + input + `'`},
		{"IntrinsicArgument", `{"f.$":"States.Format('{}', $.zz)"}`,
			`The JSONPath '$.zz' specified for the field 'f.$' could not be found in the input '` + input + `'`},
		{"IntrinsicFailure", `{"f.$":"States.ArrayGetItem($.list, 9)"}`,
			`Invalid arguments in States.ArrayGetItem: the index 9 is out of bounds for an array of length 2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Expand(jsonvalue.MustParse(tt.tmpl), testEnv(), "Parameters")
			var f *Failure
			require.ErrorAs(t, err, &f)
			require.Equal(t, "States.Runtime", f.Name)
			require.Equal(t, tt.cause, f.Cause)
		})
	}
}

func TestCompileErrors(t *testing.T) {
	t.Parallel()
	for _, tmpl := range []string{
		`{"a.$": 1}`, `{"a.$": "not a path"}`, `{"a.$": "States.Nope()"}`, `{"a.$": "$..["}`,
		`{"o": {"a.$": "$$x"}}`, `[{"a.$": "$.a b"}]`, `{"a.$": "$1var"}`,
	} {
		_, err := Compile(jsonvalue.MustParse(tmpl))
		require.ErrorIs(t, err, ErrTemplate, tmpl)
	}
}

func TestStaticTemplateIsShared(t *testing.T) {
	t.Parallel()
	tmpl := jsonvalue.MustParse(`{"k":{"deep":[1,2]}}`)
	c, err := Compile(tmpl)
	require.NoError(t, err)
	require.True(t, c.IsStatic())
	got, err := c.Expand(Env{})
	require.NoError(t, err)
	require.Same(t, tmpl, got)
}

func TestContextBuiltOnce(t *testing.T) {
	t.Parallel()
	calls := 0
	env := Env{Input: jsonvalue.NewObject(0), ContextFunc: func() any {
		calls++
		return jsonvalue.MustParse(`{"State":{"Name":"S"}}`)
	}}
	c, err := Compile(jsonvalue.MustParse(`{"a.$":"$$.State.Name","b.$":"States.Format('{}', $$.State.Name)","c.$":"$$"}`))
	require.NoError(t, err)
	got, err := c.Expand(env)
	require.NoError(t, err)
	require.Equal(t, `{"a":"S","b":"S","c":{"State":{"Name":"S"}}}`, jsonvalue.MarshalString(got))
	require.Equal(t, 1, calls)

	static, err := Compile(jsonvalue.MustParse(`{"a.$":"$"}`))
	require.NoError(t, err)
	_, err = static.Expand(env)
	require.NoError(t, err)
	require.Equal(t, 1, calls, "a template without $$ must not build the context")
}
