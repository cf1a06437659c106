package awsjson_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/awsjson"
)

type cursor struct {
	After string `json:"a"`
	Page  int    `json:"p"`
}

func requireInvalidToken(t *testing.T, err error) {
	t.Helper()
	var se *stepline.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, "InvalidToken", se.Code)
	require.Equal(t, "Invalid Token: 'Invalid token'", se.Message)
}

func TestToken(t *testing.T) {
	t.Parallel()
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	tok := awsjson.EncodeToken(key, cursor{After: "exec-41", Page: 2}, now)
	require.Less(t, len(tok), 1024)

	t.Run("RoundTrip", func(t *testing.T) {
		t.Parallel()
		var c cursor
		require.NoError(t, awsjson.DecodeToken(key, tok, now.Add(time.Hour), 0, &c))
		require.Equal(t, cursor{After: "exec-41", Page: 2}, c)
	})
	t.Run("Expired", func(t *testing.T) {
		t.Parallel()
		var c cursor
		requireInvalidToken(t, awsjson.DecodeToken(key, tok, now.Add(24*time.Hour+time.Second), 0, &c))
	})
	t.Run("OtherKey", func(t *testing.T) {
		t.Parallel()
		var c cursor
		requireInvalidToken(t, awsjson.DecodeToken([]byte("other"), tok, now, 0, &c))
	})
	t.Run("Tampered", func(t *testing.T) {
		t.Parallel()
		var c cursor
		p, m, _ := strings.Cut(tok, ".")
		forged := awsjson.EncodeToken([]byte("attacker"), cursor{After: "exec-0"}, now)
		fp, _, _ := strings.Cut(forged, ".")
		requireInvalidToken(t, awsjson.DecodeToken(key, fp+"."+m, now, 0, &c))
		requireInvalidToken(t, awsjson.DecodeToken(key, p, now, 0, &c))
		requireInvalidToken(t, awsjson.DecodeToken(key, "", now, 0, &c))
		requireInvalidToken(t, awsjson.DecodeToken(key, "!!.??", now, 0, &c))
	})
}

func FuzzDecodeToken(f *testing.F) {
	key := []byte("k")
	now := time.Unix(1_800_000_000, 0)
	f.Add(awsjson.EncodeToken(key, cursor{After: "x"}, now))
	f.Add("a.b")
	f.Fuzz(func(t *testing.T, tok string) {
		var c cursor
		if err := awsjson.DecodeToken(key, tok, now, 0, &c); err != nil {
			requireInvalidToken(t, err)
		}
	})
}
