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
		require.Equal(t, Config{Listen: "127.0.0.1:4566", DataDir: "./stepline-data", Account: "000000000000", Region: "us-east-1",
			MaxOpenExecutions: 1_000_000}, c)
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
		require.Equal(t, Config{Listen: "127.0.0.1:0", DataDir: "/x", Account: "123456789012", Region: "eu-west-1",
			MaxOpenExecutions: 1_000_000}, c)
	})
	t.Run("MaxOpenExecutions", func(t *testing.T) {
		t.Parallel()
		c, err := ParseServeConfig(nil, env(EnvMaxOpen, "5"), &bytes.Buffer{})
		require.NoError(t, err)
		require.Equal(t, int64(5), c.MaxOpenExecutions)
		c, err = ParseServeConfig([]string{"--max-open-executions", "2"}, env(EnvMaxOpen, "5"), &bytes.Buffer{})
		require.NoError(t, err)
		require.Equal(t, int64(2), c.MaxOpenExecutions)
		_, err = ParseServeConfig(nil, env(EnvMaxOpen, "many"), &bytes.Buffer{})
		require.Error(t, err)
	})
	t.Run("Help", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		_, err := ParseServeConfig([]string{"--help"}, env(), &out)
		require.ErrorIs(t, err, errHelp)
		require.Contains(t, out.String(), "--data-dir")
		require.Contains(t, out.String(), EnvListen)
		require.Contains(t, out.String(), "--max-open-executions")
		require.Contains(t, out.String(), `(default "1000000")`)
	})
	for name, args := range map[string][]string{
		"BadAccount":    {"--account", "12"},
		"BadRegion":     {"--region", "US East"},
		"BadDatabase":   {"--database", "mysql://x"},
		"UnknownFlag":   {"--nope"},
		"ExtraArgument": {"extra"},
		"EmptyListen":   {"--listen", ""},
		"EmptyDataDir":  {"--data-dir", ""},
		"NoExecutions":  {"--max-open-executions", "0"},
		"NotANumber":    {"--max-open-executions", "x"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseServeConfig(args, env(), &bytes.Buffer{})
			require.Error(t, err)
		})
	}
}
