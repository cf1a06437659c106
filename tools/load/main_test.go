package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/server/servertest"
)

// TestRunAgainstServer runs a short load against a real server: every call must
// succeed, so the tool's numbers are about successful starts.
func TestRunAgainstServer(t *testing.T) {
	srv := servertest.Start(t)
	o, err := parseFlags([]string{"--endpoint", srv.URL, "--requests", "50", "--concurrency", "4"})
	require.NoError(t, err)
	require.NoError(t, run(context.Background(), o))
}

func TestParseFlagsRejectsNoCallers(t *testing.T) {
	_, err := parseFlags([]string{"--concurrency", "0"})
	require.Error(t, err)
}
