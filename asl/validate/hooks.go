package validate

import (
	"errors"
	"strings"

	"stepline/asl/intrinsic"
	"stepline/jsonata"
)

// This file holds the calls into the path, intrinsic and JSONata parsers of other
// packages, so that the checker accepts exactly what executions can evaluate.

// parseRef parses a path as the interpreter does: a JSONPath ($...), the context
// object ($$...) or a variable ($name...), the JSONPath part with a Jayway-compatible
// grammar, so that the checker accepts exactly the paths executions can evaluate.
// reference reports a reference path: one node, no "@ , : ?" operators
// (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
func parseRef(s string) (valid, reference bool) {
	r, err := intrinsic.ParseRef(s)
	if err != nil {
		return false, false
	}
	return true, r.Path.IsReference() && !strings.ContainsAny(s, "@,:?")
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
