package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestJacksonMessage pins the parse errors to the wording of Jackson, the parser AWS
// runs (for example "INVALID_JSON_DESCRIPTION: Unexpected character ('S' (code 83)):
// was expecting comma to separate Object entries").
func TestJacksonMessage(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`not json`, `Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')` + "\n" + ` at [Source: (String)"not json"; line: 1, column: 4]`},
		{`{"a":}`, `Unexpected character ('}' (code 125)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')` + "\n" + ` at [Source: (String)"{"a":}"; line: 1, column: 7]`},
		{`{"a":1,}`, `Unexpected character ('}' (code 125)): was expecting double-quote to start field name` + "\n" + ` at [Source: (String)"{"a":1,}"; line: 1, column: 9]`},
		{`{'a':1}`, `Unexpected character (''' (code 39)): was expecting double-quote to start field name` + "\n" + ` at [Source: (String)"{'a':1}"; line: 1, column: 3]`},
		{`{"a" 1}`, `Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value` + "\n" + ` at [Source: (String)"{"a" 1}"; line: 1, column: 7]`},
		{`{"a":1 "b":2}`, `Unexpected character ('"' (code 34)): was expecting comma to separate Object entries` + "\n" + ` at [Source: (String)"{"a":1 "b":2}"; line: 1, column: 9]`},
		{`[1 2]`, `Unexpected character ('2' (code 50)): was expecting comma to separate Array entries` + "\n" + ` at [Source: (String)"[1 2]"; line: 1, column: 5]`},
		{"{\n\"a\"", `Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{` + "\n" + `"a""; line: 1, column: 1])` + "\n" + ` at [Source: (String)"{` + "\n" + `"a""; line: 2, column: 4]`},
		{`{"a":tru}`, `Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')` + "\n" + ` at [Source: (String)"{"a":tru}"; line: 1, column: 9]`},
		{`{"a":01}`, `Invalid numeric value: Leading zeroes not allowed` + "\n" + ` at [Source: (String)"{"a":01}"; line: 1, column: 8]`},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, jacksonMessage(tt.in), tt.in)
	}
}

// TestJacksonMessageTruncatesSource checks that long definitions are cut at 500
// characters in the location, as Jackson does.
func TestJacksonMessageTruncatesSource(t *testing.T) {
	t.Parallel()
	long := `{"a":"` + strings.Repeat("x", 600) + `"`
	msg := jacksonMessage(long)
	require.Contains(t, msg, "[truncated 107 chars]")
}
