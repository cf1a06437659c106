package intrinsic

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// counter is a deterministic Rand for tests.
func counter() func() uint64 {
	var n uint64
	return func() uint64 {
		n += 0x9E3779B97F4A7C15
		return n
	}
}

func testEnv() Env {
	vars := map[string]any{
		"name":  "Ana",
		"place": "Lisbon",
		"obj":   jsonvalue.MustParse(`{"k":[1,2]}`),
	}
	return Env{
		Input:   jsonvalue.MustParse(`{"a":{"b":[1,2,3]},"s":"x,y,,z","n":null,"tmpl":"{} and {}","o":{"Arg1":1,"Arg2":[]},"f":1.5}`),
		Context: jsonvalue.MustParse(`{"Execution":{"Name":"exec-1"},"StateMachine":{"Id":"arn:sm","Name":"my-machine-name"}}`),
		Var: func(name string) (any, bool) {
			v, ok := vars[name]
			return v, ok
		},
		Rand:  counter(),
		Field: "value.$",
	}
}

func TestEval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr, want string
	}{
		{`States.Array()`, `[]`},
		{`States.Array(1, 'a', true, null, $.a.b)`, `[1,"a",true,null,[1,2,3]]`},
		{`States.Format('Hello {}, welcome to {}!', $name, $place)`, `"Hello Ana, welcome to Lisbon!"`},
		{`States.Format('{} {} {} {}', $.o, $.a.b, $.n, $.f)`, `"{Arg1=1, Arg2=[]} [1, 2, 3] null 1.5"`},
		{`States.Format('\{\} {} \\ \'q\'', 1)`, `"{} 1 \\ 'q'"`},
		{`States.Format($.tmpl, 1, 'two')`, `"1 and two"`},
		{`States.Format('{}', $$.StateMachine)`, `"{Id=arn:sm, Name=my-machine-name}"`},
		{`States.StringToJson('{"a": [1, -0, 1e2]}')`, `{"a":[1,0,100.0]}`},
		{`States.StringToJson('')`, `null`},
		{`States.JsonToString($.o)`, `"{\"Arg1\":1,\"Arg2\":[]}"`},
		{`States.ArrayPartition($.a.b, 2)`, `[[1,2],[3]]`},
		{`States.ArrayContains($.a.b, 3)`, `true`},
		{`States.ArrayContains(States.Array($.o), $.o)`, `true`},
		{`States.ArrayRange(1, 9, 2)`, `[1,3,5,7,9]`},
		{`States.ArrayRange(5, 1, -2)`, `[5,3,1]`},
		{`States.ArrayRange(1, 0, 1)`, `[]`},
		{`States.ArrayGetItem($.a.b, 2)`, `3`},
		{`States.ArrayLength($.a.b)`, `3`},
		{`States.ArrayUnique(States.Array(1, 1, 1.0, 'a', 'a', $.o, $.o))`, `[1,1.0,"a",{"Arg1":1,"Arg2":[]}]`},
		{`States.Base64Encode('Data to encode')`, `"RGF0YSB0byBlbmNvZGU="`},
		{`States.Base64Decode('RGF0YSB0byBlbmNvZGU=')`, `"Data to encode"`},
		{`States.Base64Decode('RGF0YSB0byBlbmNvZGU')`, `"Data to encode"`},
		{`States.Hash('input data', 'SHA-1')`, `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{`States.Hash('input data', 'MD5')`, `"812f45842bc6d66ee14572ce20db8e86"`},
		{`States.JsonMerge($.o, States.StringToJson('{"Arg2":1,"z":0}'), false)`, `{"Arg1":1,"Arg2":1,"z":0}`},
		{`States.MathAdd(1.5, -1)`, `1`},
		{`States.MathAdd(-2.5, 0)`, `-2`},
		{`States.MathAdd($.f, 1)`, `3`},
		{`States.StringSplit($.s, ',')`, `["x","y","z"]`},
		{`States.StringSplit('a.b+c', '.+')`, `["a","b","c"]`},
		{`States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))`, `"name"`},
		{`States.ArrayLength($obj.k)`, `2`},
		{`States.ArrayLength($.a.b[*])`, `3`},
		{`  States.ArrayLength( $['a']['b'] )  `, `3`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			c, err := Parse(tt.expr)
			require.NoError(t, err)
			got, err := c.Eval(testEnv())
			require.NoError(t, err)
			require.Equal(t, tt.want, jsonvalue.MarshalString(got))
		})
	}
}

func TestEvalFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr, cause string
	}{
		{`States.Array($.missing)`, `The JSONPath '$.missing' specified for the field 'value.$' could not be found in the input '{"a":{"b":[1,2,3]},"s":"x,y,,z","n":null,"tmpl":"{} and {}","o":{"Arg1":1,"Arg2":[]},"f":1.5}'`},
		{`States.Format('{}', $nope)`, `The JSONPath '$nope' specified for the field 'value.$' could not be found in the input '{"a":{"b":[1,2,3]},"s":"x,y,,z","n":null,"tmpl":"{} and {}","o":{"Arg1":1,"Arg2":[]},"f":1.5}'`},
		{`States.Format('{} {}', 1)`, `Invalid arguments in States.Format: the template has 2 placeholder(s) but 1 argument(s) were given`},
		{`States.ArrayGetItem($.a.b, 3)`, `Invalid arguments in States.ArrayGetItem: the index 3 is out of bounds for an array of length 3`},
		{`States.ArrayPartition($.a.b, 0)`, `Invalid arguments in States.ArrayPartition: the chunk size must be positive, but was 0`},
		{`States.ArrayRange(0, 2000, 1)`, `Invalid arguments in States.ArrayRange: the range would produce 2001 elements, more than the maximum of 1000`},
		{`States.ArrayLength($.s)`, `Invalid arguments in States.ArrayLength: the input must be an array, but was string`},
		{`States.StringToJson('{')`, `Invalid arguments in States.StringToJson: the string "{" is not valid JSON`},
		{`States.Hash('x', 'SHA-3')`, `Invalid arguments in States.Hash: the hash algorithm SHA-3 is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512`},
		{`States.JsonMerge($.o, $.o, true)`, `Invalid arguments in States.JsonMerge: deep merge is not supported; the third argument must be false`},
		{`States.MathAdd(1)`, `Invalid arguments in States.MathAdd: expected 2 argument(s) but received 1`},
		{`States.UUID(1)`, `Invalid arguments in States.UUID: expected 0 argument(s) but received 1`},
		{`States.Base64Decode('%%%')`, `Invalid arguments in States.Base64Decode: the input is not valid Base64`},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			_, err := MustParse(tt.expr).Eval(testEnv())
			var f *Failure
			require.ErrorAs(t, err, &f)
			require.Equal(t, ErrorRuntime, f.Name)
			require.Equal(t, tt.cause, f.Cause)
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{
		``, `States`, `States.Nope()`, `States.Array(`, `States.Array(1,)`, `States.Array(1) x`,
		`States.Format('He said, \"Hello, {}!\"', 'x')`, `States.StringToJson('{"t":"\"q\""}')`,
		`States.Format('unterminated)`, `States.Array($x y)`, `States.Array(tru)`, `Foo.Bar()`,
		`States.Array($.a[)`, `States.Array(1 2)`,
	} {
		_, err := Parse(expr)
		require.ErrorIs(t, err, ErrSyntax, expr)
	}
}

func TestIsIntrinsic(t *testing.T) {
	t.Parallel()
	require.True(t, IsIntrinsic("States.Array()"))
	require.True(t, IsIntrinsic(" States.Format('x')"))
	require.False(t, IsIntrinsic("$.States"))
	require.False(t, IsIntrinsic("States.Array"))
}

func TestRandomIsDeterministic(t *testing.T) {
	t.Parallel()
	uuid := MustParse(`States.UUID()`)
	a, err := uuid.Eval(Env{Rand: counter()})
	require.NoError(t, err)
	b, err := uuid.Eval(Env{Rand: counter()})
	require.NoError(t, err)
	require.Equal(t, a, b)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, a)

	r := MustParse(`States.MathRandom(9999, 99999)`)
	v, err := r.Eval(Env{Rand: counter()})
	require.NoError(t, err)
	n, ok := jsonvalue.Int(v)
	require.True(t, ok)
	require.GreaterOrEqual(t, n, int64(9999))
	require.Less(t, n, int64(99999))

	// Seeded: the values new java.util.Random(seed).nextInt(bound) gives on a JVM.
	for args, want := range map[string]string{"0, 100, 42": "30", "0, 100, 7": "36", "10, 74, 7": "56"} {
		v, err := MustParse(`States.MathRandom(` + args + `)`).Eval(Env{})
		require.NoError(t, err)
		require.Equal(t, want, jsonvalue.MarshalString(v), args)
	}
}
