package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// cmdValidate implements `stepline validate DEFINITION.json`: it prints what
// ValidateStateMachineDefinition would report, one diagnostic a line (severity, code,
// location, message), and exits 1 when any is an error.
func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stepline validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stepline validate DEFINITION.json")
		fmt.Fprintln(stderr, "Prints SEVERITY CODE LOCATION MESSAGE per diagnostic; exit status 1 on errors, 2 on usage errors.")
	}
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	def, err := os.ReadFile(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "stepline validate: %v\n", err)
		return 2
	}
	if printDiagnostics(string(def), stdout) {
		return 1
	}
	return 0
}
