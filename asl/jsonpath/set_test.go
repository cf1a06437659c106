package jsonpath

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func TestSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, path, value, want string
	}{
		{"Root", `{"a":1}`, "$", `"x"`, `"x"`},
		{"NewKey", `{"a":1}`, "$.b", `2`, `{"a":1,"b":2}`},
		{"Replace", `{"a":1,"b":2}`, "$.a", `3`, `{"a":3,"b":2}`},
		{"CreateIntermediate", `{"a":1}`, "$.x.y.z", `true`, `{"a":1,"x":{"y":{"z":true}}}`},
		{"IntoExisting", `{"x":{"k":0}}`, "$.x.y", `1`, `{"x":{"k":0,"y":1}}`},
		{"ArrayElement", `{"l":[1,2,3]}`, "$.l[1]", `9`, `{"l":[1,9,3]}`},
		{"ArrayLast", `{"l":[1,2,3]}`, "$.l[-1]", `9`, `{"l":[1,2,9]}`},
		{"InsideArrayElement", `{"l":[{"a":1}]}`, "$.l[0].b", `2`, `{"l":[{"a":1,"b":2}]}`},
		{"Bracket", `{}`, "$['a b']", `1`, `{"a b":1}`},
		{"NullValue", `{"a":1}`, "$.a", `null`, `{"a":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := jsonvalue.MustParse(tt.doc)
			before := jsonvalue.MarshalString(doc)
			got, err := Set(doc, tt.path, jsonvalue.MustParse(tt.value))
			require.NoError(t, err)
			require.Equal(t, tt.want, jsonvalue.MarshalString(got))
			require.Equal(t, before, jsonvalue.MarshalString(doc), "input must not change")
		})
	}
}

func TestSetErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc, path, msg string
	}{
		{"ThroughString", `"abc"`, "$.a", `Unable to apply ReferencePath $.a to input "abc"`},
		{"ThroughNumber", `{"a":1}`, "$.a.b", `Unable to apply ReferencePath $.a.b to input {"a":1}`},
		{"IndexOutOfRange", `{"l":[]}`, "$.l[0]", `Unable to apply ReferencePath $.l[0] to input {"l":[]}`},
		{"MissingArray", `{}`, "$.l[0]", `Unable to apply ReferencePath $.l[0] to input {}`},
		{"NullInput", `null`, "$.a", `Unable to apply ReferencePath $.a to input null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Set(jsonvalue.MustParse(tt.doc), tt.path, "v")
			require.ErrorIs(t, err, ErrResultPathMatch)
			require.EqualError(t, err, tt.msg)
		})
	}
	for _, path := range []string{"$.a[*]", "$..a", "$.a[?(@.b)]", "x"} {
		_, err := Set(jsonvalue.MustParse(`{}`), path, 1)
		require.ErrorIs(t, err, ErrSyntax, path)
	}
}

func TestSetSharesUntouchedBranches(t *testing.T) {
	t.Parallel()
	doc := jsonvalue.MustParse(`{"big":{"k":[1,2,3]},"x":{}}`).(*jsonvalue.Object)
	got, err := Set(doc, "$.x.y", 1)
	require.NoError(t, err)
	big, _ := doc.Get("big")
	gotBig, _ := got.(*jsonvalue.Object).Get("big")
	require.Same(t, big, gotBig)
}
