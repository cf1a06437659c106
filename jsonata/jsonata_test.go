package jsonata

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// evalString compiles and evaluates expr against the JSON text data.
func evalString(t *testing.T, expr, data string, env *Env) (any, bool, error) {
	t.Helper()
	e, err := Compile(expr)
	require.NoError(t, err)
	var input any
	if data != "" {
		input = jsonvalue.MustParse(data)
	}
	return e.Eval(input, env)
}

func requireJSON(t *testing.T, want string, got any) {
	t.Helper()
	require.Equal(t, want, jsonvalue.MarshalString(got))
}

func TestEval(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, expr, data, want string
	}{
		{"KeepsObjectKeyOrder", `{"z": 1, "a": 2, "m": 3}`, ``, `{"z":1,"a":2,"m":3}`},
		{"UntouchedNumbersKeepTheirText", `a`, `{"a": 1.50}`, `1.50`},
		{"ComputedNumbersAreFloats", `a * 2`, `{"a": 1.5}`, `3`},
		{"SingletonFilterIsAScalar", `items[id = 2].name`, `{"items": [{"id": 1, "name": "x"}, {"id": 2, "name": "y"}]}`, `"y"`},
		{"KeepArray", `items[id = 2][].name`, `{"items": [{"id": 1, "name": "x"}, {"id": 2, "name": "y"}]}`, `["y"]`},
		{"ArrayInputIndex", `$[1]`, `[10, 20, 30]`, `20`},
		{"StringOfFloat", `$string(0.1 + 0.2)`, ``, `"0.3"`},
		{"LargeNumberFormat", `1e21 + 0`, ``, `1e+21`},
		{"TailRecursion", `($f := function($n, $acc) { $n = 0 ? $acc : $f($n - 1, $acc + $n) }; $f(10000, 0))`, ``, `50005000`},
		{"Transform", `$ ~> | a | {"c": 3}, ["b"] |`, `{"a": {"b": 1, "x": 2}}`, `{"a":{"x":2,"c":3}}`},
		{"ParentOperator", `a.b.%.id`, `{"a": {"id": 7, "b": {"c": 1}}}`, `7`},
		{"Regex", `$match("ab12cd345", /[0-9]+/).match`, ``, `["12","345"]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, ok, err := evalString(t, c.expr, c.data, nil)
			require.NoError(t, err)
			require.True(t, ok)
			requireJSON(t, c.want, got)
		})
	}
}

func TestUndefinedResult(t *testing.T) {
	t.Parallel()
	got, ok, err := evalString(t, `nothing.here`, `{"a": 1}`, nil)
	require.NoError(t, err)
	require.False(t, ok)
	require.Nil(t, got)
}

func TestErrorCodes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		expr, code, message string
	}{
		{`$x()`, "T1006", "Attempted to invoke a non-function"},
		{`"a" + 1`, "T2001", `The left side of the "+" operator must evaluate to a number`},
		{`$number("x")`, "D3030", `Unable to cast value to a number: "x"`},
		{`$substring(true)`, "T0410", `Argument 1 of function "substring" does not match function signature`},
		{`$eval("1")`, "T1006", "Attempted to invoke a non-function"},
		{`{"a": 1`, "S0203", `Expected "}" before end of expression`},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			t.Parallel()
			e, err := Compile(c.expr)
			if err == nil {
				_, _, err = e.Eval(nil, nil)
			}
			var je *Error
			require.ErrorAs(t, err, &je)
			require.Equal(t, c.code, je.Code)
			require.Equal(t, c.message, je.Message)
			require.Equal(t, c.code+": "+c.message, je.Error())
		})
	}
}

func TestHostFunctions(t *testing.T) {
	t.Parallel()
	double := func(args []any) (any, bool, error) {
		if len(args) == 0 || IsUndefined(args[0]) {
			return nil, false, nil
		}
		f, _ := jsonvalue.Float(args[0])
		return 2 * f, true, nil
	}
	failing := func(args []any) (any, bool, error) {
		return nil, false, &Error{Code: "X0001", Message: "host failure"}
	}
	env := &Env{
		Funcs:      map[string]Func{"double": double, "fail": failing},
		Signatures: map[string]string{"double": "<n-:n>"},
		Vars:       map[string]any{"base": json.Number("21")},
	}
	t.Run("CalledLikeABuiltIn", func(t *testing.T) {
		t.Parallel()
		got, ok, err := evalString(t, `$double($base)`, ``, env)
		require.NoError(t, err)
		require.True(t, ok)
		requireJSON(t, `42`, got)
	})
	t.Run("ContextArgumentFromSignature", func(t *testing.T) {
		t.Parallel()
		got, _, err := evalString(t, `n.$double()`, `{"n": 4}`, env)
		require.NoError(t, err)
		requireJSON(t, `8`, got)
	})
	t.Run("HigherOrderAndPartial", func(t *testing.T) {
		t.Parallel()
		got, _, err := evalString(t, `[$map([1, 2], $double), [3] ~> $map($double)]`, ``, env)
		require.NoError(t, err)
		requireJSON(t, `[2,4,6]`, got)
	})
	t.Run("SignatureChecked", func(t *testing.T) {
		t.Parallel()
		_, _, err := evalString(t, `$double("x")`, ``, env)
		var je *Error
		require.ErrorAs(t, err, &je)
		require.Equal(t, "T0410", je.Code)
		require.Equal(t, "double", je.Token)
	})
	t.Run("ErrorsPassThrough", func(t *testing.T) {
		t.Parallel()
		_, _, err := evalString(t, `$fail()`, ``, env)
		var je *Error
		require.ErrorAs(t, err, &je)
		require.Equal(t, "X0001", je.Code)
	})
	t.Run("VariablesShadowBuiltIns", func(t *testing.T) {
		t.Parallel()
		got, _, err := evalString(t, `$sum`, ``, &Env{Vars: map[string]any{"sum": "mine"}})
		require.NoError(t, err)
		requireJSON(t, `"mine"`, got)
	})
}

func TestNowComesFromEnv(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 2, 29, 13, 14, 15, 678e6, time.UTC)
	got, _, err := evalString(t, `[$now(), $millis(), $now('[D01]/[M01]/[Y0001]')]`, ``, &Env{Now: now})
	require.NoError(t, err)
	requireJSON(t, `["2024-02-29T13:14:15.678Z",1709212455678,"29/02/2024"]`, got)
}

func TestLimits(t *testing.T) {
	t.Parallel()
	t.Run("Depth", func(t *testing.T) {
		t.Parallel()
		_, _, err := evalString(t, `($f := function($n) { 1 + $f($n + 1) }; $f(0))`, ``, &Env{MaxDepth: 100})
		var je *Error
		require.ErrorAs(t, err, &je)
		require.Equal(t, "U1001", je.Code)
	})
	t.Run("Steps", func(t *testing.T) {
		t.Parallel()
		_, _, err := evalString(t, `($f := function() { $f() }; $f())`, ``, &Env{MaxSteps: 10000})
		var je *Error
		require.ErrorAs(t, err, &je)
		require.Equal(t, "U1001", je.Code)
	})
}

func TestCompileErrorIsError(t *testing.T) {
	t.Parallel()
	_, err := Compile(`a[`)
	var je *Error
	require.True(t, errors.As(err, &je))
	require.Equal(t, "S0203", je.Code)
}

func TestConcurrentEval(t *testing.T) {
	t.Parallel()
	e, err := Compile(`$sum(Account.Order.Product.(Price*Quantity))`)
	require.NoError(t, err)
	data := orderDataset(t)
	done := make(chan float64)
	for range 4 {
		go func() {
			v, _, _ := e.Eval(data, nil)
			f, _ := v.(float64)
			done <- f
		}()
	}
	for range 4 {
		require.InDelta(t, 336.36, <-done, 1e-9)
	}
}

func TestDeepNestingIsAnError(t *testing.T) {
	t.Parallel()
	_, err := Compile(strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000))
	var je *Error
	require.ErrorAs(t, err, &je)
	require.Equal(t, "U1001", je.Code)
	e, err := Compile(strings.Repeat("-", 1000) + "1")
	require.NoError(t, err)
	v, _, err := e.Eval(nil, nil)
	require.NoError(t, err)
	require.Equal(t, 1.0, v)
}
