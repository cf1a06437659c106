package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestParseServeConfig(t *testing.T) {
	t.Parallel()
	t.Run("Defaults", func(t *testing.T) {
		t.Parallel()
		c, err := ParseServeConfig(nil, env(), &bytes.Buffer{})
		require.NoError(t, err)
		require.Equal(t, Config{Listen: "127.0.0.1:4566", DataDir: "./stepline-data", Account: "000000000000", Region: "us-east-1"}, c)
		require.False(t, c.IsPostgres())
	})
	t.Run("EnvStandsInForFlags", func(t *testing.T) {
		t.Parallel()
		c, err := ParseServeConfig(nil, env(EnvListen, ":9000", EnvDataDir, "/tmp/d", EnvDatabase, "postgres://u@h/db"), &bytes.Buffer{})
		require.NoError(t, err)
		require.Equal(t, ":9000", c.Listen)
		require.Equal(t, "/tmp/d", c.DataDir)
		require.True(t, c.IsPostgres())
	})
	t.Run("FlagsWinOverEnv", func(t *testing.T) {
		t.Parallel()
		c, err := ParseServeConfig([]string{"--listen", "127.0.0.1:0", "--data-dir=/x", "--account", "123456789012", "--region", "eu-west-1"},
			env(EnvListen, ":9000", EnvDataDir, "/tmp/d"), &bytes.Buffer{})
		require.NoError(t, err)
		require.Equal(t, Config{Listen: "127.0.0.1:0", DataDir: "/x", Account: "123456789012", Region: "eu-west-1"}, c)
	})
	t.Run("Help", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		_, err := ParseServeConfig([]string{"--help"}, env(), &out)
		require.ErrorIs(t, err, errHelp)
		require.Contains(t, out.String(), "--data-dir")
		require.Contains(t, out.String(), EnvListen)
	})
	for name, args := range map[string][]string{
		"BadAccount":    {"--account", "12"},
		"BadRegion":     {"--region", "US East"},
		"BadDatabase":   {"--database", "mysql://x"},
		"UnknownFlag":   {"--nope"},
		"ExtraArgument": {"extra"},
		"EmptyListen":   {"--listen", ""},
		"EmptyDataDir":  {"--data-dir", ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseServeConfig(args, env(), &bytes.Buffer{})
			require.Error(t, err)
		})
	}
}
