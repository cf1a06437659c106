package jsonpath

import (
	"encoding/json"
	"math"
	"math/rand"
	"strconv"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func TestJavaNumbers(t *testing.T) {
	for _, c := range []struct{ in, java, message string }{
		{"0", "0", "0"},
		{"-0", "0", "-0"},
		{"1", "1", "1"},
		{"-42", "-42", "-42"},
		{"123456789012345678901234567890", "123456789012345678901234567890", "123456789012345678901234567890"},
		{"1.0", "1.0", "1.0"},
		{"1.5", "1.5", "1.5"},
		{"-1.5", "-1.5", "-1.5"},
		{"1e2", "100.0", "100.0"},
		{"1e7", "1.0E7", "1.0E7"},
		{"9999999.5", "9999999.5", "9999999.5"},
		{"1e-3", "0.001", "0.001"},
		{"0.000999", "9.99E-4", "9.99E-4"},
		{"1.23e-5", "1.23E-5", "1.23E-5"},
		{"-2.5E+21", "-2.5E21", "-2.5E21"},
		{"-0.0", "-0.0", "-0.0"},
		{"1e-400", "0.0", "0.0"},
		{"1e400", "Infinity", "1e400"},
		{"-1e400", "-Infinity", "-1e400"},
	} {
		n := json.Number(c.in)
		require.Equal(t, c.java, string(AppendJava(nil, n)), c.in)
		require.Equal(t, c.message, string(appendJavaMessage(nil, n)), c.in)
		if f, err := strconv.ParseFloat(c.in, 64); err == nil && !IsIntegerText(n) {
			require.Equal(t, c.java, string(AppendJava(nil, f)), c.in)
			require.Equal(t, c.java, string(appendJavaMessage(nil, f)), c.in)
		}
	}
	require.Equal(t, "NaN", JavaDouble(math.NaN()))
	require.Equal(t, "-Infinity", JavaDouble(math.Inf(-1)))
	require.Equal(t, "7 -8", string(AppendJava(AppendJava(AppendJava(nil, 7), " "), int64(-8))))
	require.Equal(t, "null", string(AppendJava(nil, map[string]any{})))
}

func TestAppendJavaNested(t *testing.T) {
	o := jsonvalue.NewObject(2)
	o.Set("k", json.Number("-0"))
	o.Set("l", []any{json.Number("1"), "two", true, nil, 2.5})
	require.Equal(t, "{k=0, l=[1, two, true, null, 2.5]}", string(AppendJava(nil, o)))
	require.Equal(t, "{k=-0, l=[1, two, true, null, 2.5]}", string(appendJavaMessage(nil, o)))
}

// compareUTF16Encoded is the obvious definition CompareUTF16 must agree with.
func compareUTF16Encoded(a, b string) int {
	ua, ub := utf16.Encode([]rune(a)), utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			if ua[i] < ub[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(ua) < len(ub):
		return -1
	case len(ua) > len(ub):
		return 1
	}
	return 0
}

func TestCompareUTF16(t *testing.T) {
	require.Equal(t, 1, CompareUTF16("\uff5e", "\U0001F600"))
	require.Equal(t, -1, CompareUTF16("\U0001F600", "\U0001F601"))
	require.Equal(t, -1, CompareUTF16("a", "b"))
	require.Equal(t, 0, CompareUTF16("é", "é"))
	require.Equal(t, -1, CompareUTF16("ab", "abc"))
	require.Equal(t, 1, CompareUTF16("abc", "ab"))
	require.Equal(t, 0, CompareUTF16("", ""))
	alphabet := []string{"a", "b", "é", "\u00ff", "\ud7ff", "\ue000", "\uffff", "\U00010000", "\U0001F600", "\U0010FFFF", "\xff", "\xc3", "\x80", "\uFFFD", ""}
	r := rand.New(rand.NewSource(1))
	word := func() string {
		s := ""
		for n := r.Intn(5); n > 0; n-- {
			s += alphabet[r.Intn(len(alphabet))]
		}
		return s
	}
	for i := 0; i < 200000; i++ {
		a, b := word(), word()
		require.Equal(t, compareUTF16Encoded(a, b), CompareUTF16(a, b), "%q vs %q", a, b)
	}
}
