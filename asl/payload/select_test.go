package payload

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func TestSelect(t *testing.T) {
	t.Parallel()
	doc := jsonvalue.MustParse(`{"a":{"b":[1,2]},"Error":"E","Cause":"C"}`)
	tests := []struct {
		path, field, want string
	}{
		{"$", "InputPath", `{"a":{"b":[1,2]},"Error":"E","Cause":"C"}`},
		{"$.a.b[1]", "InputPath", `2`},
		{"$.a.b[*]", "OutputPath", `[1,2]`},
		{"$.a.none[*]", "ItemsPath", `[]`},
		{"States.Format('{}-{}', $.Error, $.Cause)", "CausePath", `"E-C"`},
		{"$.Error", "ErrorPath", `"E"`},
	}
	for _, tt := range tests {
		got, err := Select(tt.path, doc, tt.field)
		require.NoError(t, err, tt.path)
		require.Equal(t, tt.want, jsonvalue.MarshalString(got), tt.path)
	}
}

func TestSelectEnv(t *testing.T) {
	t.Parallel()
	env := testEnv()
	for path, want := range map[string]string{
		"$$.Execution.Name": `"run-1"`,
		"$$":                `{"Execution":{"Name":"run-1"},"Map":{"Item":{"Index":3}}}`,
		"$cfg.n":            `[1,2]`,
		"$greeting":         `"hi"`,
	} {
		got, err := SelectEnv(path, env, "InputPath")
		require.NoError(t, err, path)
		require.Equal(t, want, jsonvalue.MarshalString(got), path)
	}
}

func TestSelectFailures(t *testing.T) {
	t.Parallel()
	env := testEnv()
	input := jsonvalue.MarshalString(env.Input)
	tests := []struct {
		path, field, cause string
	}{
		{"$.NoSuchInputPath", "InputPath", "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"},
		{"$.a.c", "OutputPath", "Invalid path '$.a.c' : No results for path: $['a']['c']"},
		{"$.x.y", "TimeoutSecondsPath", "Invalid path '$.x.y' : Missing property in path $['x']"},
		{"$$.Nope", "InputPath", "Invalid path '$$.Nope' : No results for path: $['Nope']"},
		{"$missing.a", "OutputPath", "Invalid path '$missing.a' : No results for path: $['a']"},
		{"$.ErrorX", "ErrorPath", "The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '" + input + "'"},
		{"States.Format('{}', $.q)", "CausePath", "The JSONPath '$.q' specified for the field 'CausePath' could not be found in the input '" + input + "'"},
		{"$.w", "SecondsPath", "The SecondsPath parameter does not reference an input value: $.w"},
	}
	for _, tt := range tests {
		_, err := SelectEnv(tt.path, env, tt.field)
		var f *Failure
		require.ErrorAs(t, err, &f, tt.path)
		require.Equal(t, "States.Runtime", f.Name)
		require.Equal(t, tt.cause, f.Cause)
	}
	_, err := Select("States.Array()", nil, "InputPath")
	require.ErrorIs(t, err, ErrTemplate, "only ErrorPath and CausePath take intrinsics")
}
