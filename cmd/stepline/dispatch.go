package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/signal"
	"syscall"
)

const usage = `stepline is a self-hosted AWS Step Functions: the AWS CLI and SDKs work against it
with --endpoint-url.

Usage:
  stepline serve [--listen 127.0.0.1:4566] [--data-dir ./stepline-data] [--database URL]
                 [--account 000000000000] [--region us-east-1]
      Run the server: every API and the console on one port. State is kept in SQLite under
      --data-dir, or in PostgreSQL with --database postgres://...
      Environment: STEPLINE_LISTEN, STEPLINE_DATA_DIR, STEPLINE_DATABASE stand in for the flags.
  stepline run DEFINITION.json [--input JSON|@file] [--mock FILE] [--history]
      Run a state machine in-process, without a server, and print its output.
  stepline validate DEFINITION.json
      Print the diagnostics ValidateStateMachineDefinition would; exit status 1 on errors.
  stepline version
      Print the version and commit.

Run 'stepline serve --help' for serve's flags.
`

// dispatch runs the subcommand named by args[0] and returns the exit status.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, args[1:], stdout, stderr, getenv)
	case "run":
		return cmdRun(ctx, args[1:], stdout, stderr)
	case "validate":
		return cmdValidate(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		return cmdVersion(stdout)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "stepline: unknown command %q\n\n%s", args[0], usage)
	return 2
}

// cmdServe implements `stepline serve`: it runs until SIGINT or SIGTERM, then shuts
// down gracefully.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, err := ParseServeConfig(args, getenv, stderr)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "stepline serve: %v\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	m := NewMain(cfg)
	m.Stdout = stdout
	if err := m.Run(ctx); err != nil {
		fmt.Fprintf(stderr, "stepline serve: %v\n", err)
		_ = m.Close()
		return 1
	}
	<-ctx.Done()
	fmt.Fprintln(stdout, "stepline: shutting down")
	if err := m.Close(); err != nil {
		fmt.Fprintf(stderr, "stepline serve: %v\n", err)
		return 1
	}
	return 0
}
