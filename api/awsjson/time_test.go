package awsjson_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/api/awsjson"
)

func TestTimeMarshal(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2024, 11, 25, 16, 0, 0, 0, time.UTC), "1732550400"},
		{time.Date(2024, 11, 25, 16, 0, 0, 123_456_789, time.UTC), "1732550400.123"},
		{time.Date(2024, 11, 25, 16, 0, 0, 100_000_000, time.UTC), "1732550400.1"},
		{time.Date(2024, 11, 25, 16, 0, 0, 5_000_000, time.UTC), "1732550400.005"},
		{time.Unix(-2, 500_000_000), "-1.5"},
	} {
		b, err := json.Marshal(awsjson.Time{Time: tc.in})
		require.NoError(t, err)
		require.Equal(t, tc.want, string(b))
	}
}

func TestTimeUnmarshal(t *testing.T) {
	t.Parallel()
	want := time.Date(2024, 11, 25, 16, 0, 0, 123_000_000, time.UTC)
	for _, in := range []string{`1732550400.123`, `"1732550400.123"`, `"2024-11-25T16:00:00.123Z"`, `1.732550400123e9`} {
		var got awsjson.Time
		require.NoError(t, json.Unmarshal([]byte(in), &got), in)
		require.True(t, want.Equal(got.Time), "%s gave %v", in, got.Time)
	}
	for _, in := range []string{`"soon"`, `true`, `1e300`, `{}`} {
		var got awsjson.Time
		require.Error(t, json.Unmarshal([]byte(in), &got), in)
	}
}

func TestTimeRoundTrip(t *testing.T) {
	t.Parallel()
	now := time.Now()
	b, err := json.Marshal(awsjson.NewTime(now))
	require.NoError(t, err)
	var back awsjson.Time
	require.NoError(t, json.Unmarshal(b, &back))
	require.True(t, awsjson.NewTime(now).Equal(back.Time))
}
