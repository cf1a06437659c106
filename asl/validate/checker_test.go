package validate

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestInteger(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   any
		want int64
		ok   bool
	}{
		{json.Number("5"), 5, true},
		{json.Number("1.0"), 1, true},
		{json.Number("1e3"), 1000, true},
		{json.Number("1.5"), 0, false},
		{json.Number("-3"), -3, true},
		{json.Number("1e400"), math.MaxInt64, true},
		{json.Number("-99999999999999999999"), math.MinInt64, true},
		{"5", 0, false},
		{true, 0, false},
	}
	for _, tt := range tests {
		got, ok := integer(tt.in)
		require.Equal(t, tt.ok, ok, "%v", tt.in)
		require.Equal(t, tt.want, got, "%v", tt.in)
	}
}
