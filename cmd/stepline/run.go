package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"

	"stepline/asl"
	"stepline/asl/validate"
	"stepline/jsonvalue"
	"stepline/sfn"
)

// runAccount and runRegion make the ARNs of `stepline run` executions.
const (
	runAccount = "000000000000"
	runRegion  = "us-east-1"
	runRole    = "arn:aws:iam::000000000000:role/stepline"
)

// runOptions are the flags of `stepline run`.
type runOptions struct {
	definition   string
	input        string
	mock         string
	testCase     string
	stateMachine string
	history      bool
}

// parseInterleaved parses flags that may come before or after the positional
// arguments (`stepline run def.json --input {}`), which flag.FlagSet alone does not.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func parseRunFlags(args []string, stderr io.Writer) (runOptions, error) {
	var o runOptions
	fs := flag.NewFlagSet("stepline run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.input, "input", "{}", "execution input: JSON text, or @FILE to read it from a file")
	fs.StringVar(&o.mock, "mock", "", "AWS Step Functions Local mock config file answering Task states")
	fs.StringVar(&o.testCase, "test-case", "", "test case of the mock config (needed when it has several)")
	fs.StringVar(&o.stateMachine, "state-machine", "", "state machine name in the mock config (default: the only one, or the file's base name)")
	fs.BoolVar(&o.history, "history", false, "print the execution history to stderr, one event per line")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: stepline run DEFINITION.json [--input JSON|@file] [--mock FILE] [--test-case NAME] [--history]")
		fmt.Fprintln(stderr, "Runs the state machine in-process and prints its output. Wait states and retry back-offs do not")
		fmt.Fprintln(stderr, "wait: the execution's clock jumps to when they are due. Exit status 0 on SUCCEEDED, 1 otherwise.")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return o, err
	}
	if len(pos) != 1 {
		fs.Usage()
		return o, errors.New("expected exactly one definition file")
	}
	o.definition = pos[0]
	return o, nil
}

// cmdRun implements `stepline run`: one execution in memory, with no server and no
// store, through the same loop Express executions use (sfn.RunInMemory). Timers fire
// at once, so a Wait of an hour costs nothing in CI.
func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseRunFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "stepline run: %v\n", err)
		return 2
	}
	def, err := os.ReadFile(o.definition)
	if err != nil {
		fmt.Fprintf(stderr, "stepline run: %v\n", err)
		return 2
	}
	if printDiagnostics(string(def), stderr) {
		return 2
	}
	m, err := asl.Parse(string(def))
	if err != nil {
		fmt.Fprintf(stderr, "stepline run: %s: %v\n", o.definition, err)
		return 2
	}
	inputText, err := readArg(o.input)
	if err != nil {
		fmt.Fprintf(stderr, "stepline run: --input: %v\n", err)
		return 2
	}
	input, err := jsonvalue.ParseString(inputText)
	if err != nil {
		fmt.Fprintf(stderr, "stepline run: --input is not JSON: %v\n", err)
		return 2
	}
	smName := o.stateMachine
	if smName == "" {
		smName = strings.TrimSuffix(strings.TrimSuffix(filepath.Base(o.definition), ".json"), ".asl")
	}
	tasks, err := runTasks(o, smName)
	if err != nil {
		fmt.Fprintf(stderr, "stepline run: %v\n", err)
		return 2
	}
	execName := uuid.NewString()
	res, err := sfn.RunInMemory(ctx, sfn.MemoryRunOptions{
		Machine: m,
		Info: asl.ExecutionInfo{
			ExecutionARN:     "arn:aws:states:" + runRegion + ":" + runAccount + ":execution:" + smName + ":" + execName,
			Name:             execName,
			StateMachineARN:  "arn:aws:states:" + runRegion + ":" + runAccount + ":stateMachine:" + smName,
			StateMachineName: smName,
			RoleARN:          runRole,
			Type:             sfn.TypeStandard,
		},
		Input:         input,
		Seed:          rand.Uint64(),
		InstantTimers: true,
		Tasks:         tasks,
		KeepHistory:   o.history,
	})
	if o.history {
		for _, e := range res.Events {
			fmt.Fprintf(stderr, "%d\t%d\t%s\t%s\n", e.ID, e.PreviousEventID, e.Type, e.Details)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "stepline run: %v\n", err)
		return 1
	}
	if res.Status != sfn.ExecSucceeded {
		fmt.Fprintf(stderr, "%s: error=%q cause=%q\n", res.Status, res.Error, res.Cause)
		return 1
	}
	fmt.Fprintln(stdout, res.Output)
	return 0
}

// runTasks answers Task states from --mock, or fails them as unavailable.
func runTasks(o runOptions, smName string) (sfn.TaskFunc, error) {
	if o.mock == "" {
		return nil, nil
	}
	b, err := os.ReadFile(o.mock)
	if err != nil {
		return nil, err
	}
	mc, err := sfn.ParseMockConfig(b)
	if err != nil {
		return nil, err
	}
	name := o.stateMachine
	if name == "" && len(mc.StateMachines) != 1 {
		name = smName
	}
	tc, err := mc.TestCase(name, o.testCase)
	if err != nil {
		return nil, err
	}
	return mc.MockTasks(tc, nil), nil
}

// readArg returns s, or the contents of the file s names when it starts with "@"
// (the AWS CLI's convention is file://; @ is curl's and shorter).
func readArg(s string) (string, error) {
	if name, ok := strings.CutPrefix(s, "@"); ok {
		b, err := os.ReadFile(name)
		return string(b), err
	}
	if name, ok := strings.CutPrefix(s, "file://"); ok {
		b, err := os.ReadFile(name)
		return string(b), err
	}
	return s, nil
}

// printDiagnostics writes the definition's diagnostics and reports whether any is an
// error.
func printDiagnostics(def string, w io.Writer) bool {
	bad := false
	for _, d := range validate.Definition(def, validate.Options{}) {
		loc := d.Location
		if loc == "" {
			loc = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", d.Severity, d.Code, loc, d.Message)
		if d.Severity == validate.SeverityError {
			bad = true
		}
	}
	return bad
}
