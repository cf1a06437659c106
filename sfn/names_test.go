package sfn

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestValidName(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"HelloWorld", "a-b_c.d", "日本語", strings.Repeat("x", 80), "(parens)!@"} {
		require.True(t, ValidName(ok), ok)
	}
	bad := []string{"", strings.Repeat("x", 81), "a b", "a\tb", "a\u0085b", "a\u0001", "a\ufffe"}
	for _, c := range "<>{}[]?*\"#%\\^|~`$&,;:/" {
		bad = append(bad, "activity"+string(c)+"name")
	}
	for _, b := range bad {
		require.False(t, ValidName(b), "%q", b)
	}
}

func TestValidAliasName(t *testing.T) {
	t.Parallel()
	require.True(t, ValidAliasName("prod"))
	require.True(t, ValidAliasName("v1.2-beta_3"))
	require.False(t, ValidAliasName("123"))
	require.False(t, ValidAliasName("a b"))
	require.False(t, ValidAliasName(""))
	require.False(t, ValidAliasName(strings.Repeat("a", 81)))
}

func TestPickRoute(t *testing.T) {
	t.Parallel()
	routes := []RoutingEntry{{VersionARN: "v1", Weight: 70}, {VersionARN: "v2", Weight: 30}}
	require.Equal(t, "v1", pickRoute(routes, 0))
	require.Equal(t, "v1", pickRoute(routes, 69))
	require.Equal(t, "v2", pickRoute(routes, 70))
	require.Equal(t, "v2", pickRoute(routes, 99))
}
