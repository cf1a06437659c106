package jsonvalue_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func TestRoundTripKeepsOrderAndNumbers(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		`{"b":1,"a":[1.0,-2e5,12345678901234567890],"c":{"z":null,"y":true,"x":"\u00e9\n\""}}`,
		`"2"`, `[]`, `{}`, `null`,
	} {
		v, err := jsonvalue.ParseString(in)
		require.NoError(t, err, in)
		require.Equal(t, in[:0]+jsonvalue.MarshalString(v), jsonvalue.MarshalString(jsonvalue.MustParse(jsonvalue.MarshalString(v))))
	}
	v := jsonvalue.MustParse(`{"b":1,"a":2}`)
	require.Equal(t, `{"b":1,"a":2}`, jsonvalue.MarshalString(v))
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, in := range []string{``, `not`, `{"a":}`, `[1,]`, `01`, `"\x"`, `{"a":1} x`, "\"\x01\""} {
		_, err := jsonvalue.ParseString(in)
		require.Error(t, err, in)
	}
}

func TestAppendFloatLikeJavaScript(t *testing.T) {
	t.Parallel()
	a, b := 0.1, 0.2
	cases := map[float64]string{1: "1", a + b: "0.30000000000000004", 1e21: "1e+21", 1.5e-7: "1.5e-7", -3.5: "-3.5", 123456789012: "123456789012"}
	for f, want := range cases {
		require.Equal(t, want, string(jsonvalue.AppendFloat(nil, f)))
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"a":[1,2,{"b":"c"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := jsonvalue.Parse(data)
		if err != nil {
			return
		}
		again, err := jsonvalue.Parse(jsonvalue.Marshal(v))
		require.NoError(t, err)
		require.True(t, jsonvalue.Equal(v, again))
	})
}
