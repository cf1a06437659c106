package validate

import (
	"errors"
	"strings"

	"stepline/asl/intrinsic"
	"stepline/asl/jsonpath"
	"stepline/jsonata"
)

// This file holds the calls into the path, intrinsic and JSONata parsers of other
// packages, so that the checker accepts exactly what executions can evaluate.

// compileJSONPath compiles a JSONPath ("$..." only: callers strip the $$ and
// variable prefixes) with the interpreter's Jayway-compatible parser, so that the
// checker accepts exactly the paths executions can evaluate. reference reports a
// reference path: one node, no "@ , : ?" operators
// (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
func compileJSONPath(s string) (valid, reference bool) {
	p, err := jsonpath.Compile(s)
	if err != nil {
		return false, false
	}
	return true, p.IsReference() && !strings.ContainsAny(s, "@,:?")
}

// parseIntrinsic parses an intrinsic function call with the interpreter's parser:
// function names, argument forms, escapes in quoted strings and paths inside.
func parseIntrinsic(s string) bool {
	_, err := intrinsic.Parse(s)
	return err == nil
}

// compileJSONata compiles a JSONata expression and returns the parser's message for
// a syntax error, without the error code (AWS reports "Unexpected end of
// expression", not "S0207: ...").
func compileJSONata(expr string) (msg string, bad bool) {
	_, err := jsonata.Compile(expr)
	if err == nil {
		return "", false
	}
	var je *jsonata.Error
	if errors.As(err, &je) {
		return je.Message, true
	}
	return err.Error(), true
}
