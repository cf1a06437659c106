package intrinsic

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHashHex(t *testing.T) {
	for alg, want := range map[string]string{
		"MD5":     "5d41402abc4b2a76b9719d911017c592",
		"SHA-1":   "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d",
		"SHA-256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
	} {
		got, ok := HashHex("hello", alg)
		require.True(t, ok, alg)
		require.Equal(t, want, got, alg)
	}
	for _, alg := range []string{"SHA-384", "SHA-512"} {
		got, ok := HashHex("", alg)
		require.True(t, ok, alg)
		require.Len(t, got, map[string]int{"SHA-384": 96, "SHA-512": 128}[alg])
	}
	_, ok := HashHex("hello", "sha-256")
	require.False(t, ok)
}
