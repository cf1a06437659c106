package jsonpath

import (
	"errors"

	"stepline/jsonvalue"
)

// ErrNoResult reports that a definite path matched nothing. Errors from Get wrap it, so
// callers can tell a missing node (a States.Runtime failure in AWS) from a bad path.
var ErrNoResult = errors.New("jsonpath: no result")

// ErrSyntax is wrapped by every error Compile returns.
var ErrSyntax = errors.New("jsonpath: invalid path")

// ErrResultPathMatch is wrapped by the error Set returns when the value cannot be placed
// in the document: AWS fails the state with States.ResultPathMatchFailure.
var ErrResultPathMatch = errors.New("jsonpath: unable to apply reference path")

// NotFoundError is a definite path that matched nothing. Message is the text of the
// PathNotFoundException Jayway throws ("No results for path: $['a']"), which AWS embeds
// in its causes.
type NotFoundError struct {
	Message string
}

// Error returns Jayway's message.
func (e *NotFoundError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrNoResult) hold for every NotFoundError.
func (e *NotFoundError) Is(target error) bool { return target == ErrNoResult }

// SyntaxError is a path Compile cannot parse. Message follows Jayway's
// InvalidPathException wording where Jayway has one.
type SyntaxError struct {
	Path    string
	Message string
}

// Error returns why the path does not compile.
func (e *SyntaxError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrSyntax) hold for every SyntaxError.
func (e *SyntaxError) Is(target error) bool { return target == ErrSyntax }

// SetError is a ResultPath that cannot be applied. Its message is AWS's cause for
// States.ResultPathMatchFailure: "Unable to apply ReferencePath $.a.b to input <json>".
type SetError struct {
	Path  string
	Input any
}

// Error returns AWS's cause for the failure.
func (e *SetError) Error() string {
	return "Unable to apply ReferencePath " + e.Path + " to input " + jsonvalue.MarshalString(e.Input)
}

// Is makes errors.Is(err, ErrResultPathMatch) hold for every SetError.
func (e *SetError) Is(target error) bool { return target == ErrResultPathMatch }
