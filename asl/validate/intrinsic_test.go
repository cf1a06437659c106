package validate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestValidIntrinsic covers the forms AWS accepts and refuses in ".$" values.
func TestValidIntrinsic(t *testing.T) {
	t.Parallel()
	nest := func(n int) string {
		return strings.Repeat("States.Array(", n) + "1" + strings.Repeat(")", n)
	}
	tests := []struct {
		in   string
		want bool
	}{
		{"States.UUID()", true},
		{"States.Format('a {} b', $.x)", true},
		{`States.Format('it\'s \{\} \\ {}', $$.Execution.Id)`, true},
		{"States.Array(1, -2.5e3, true, false, null, 'x', $v.a[0])", true},
		{nest(10), true},
		{nest(11), false},
		{`States.Format('say \"hi\"')`, false},
		{"States.Nope()", false},
		{"States.Format('x'", false},
		{"States.Format('x') trailing", false},
		{"States.Array($.a b)", false},
		{"$.a", false},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, validIntrinsic(tt.in), tt.in)
	}
}
