// Package jsonata is a pure Go implementation of JSONata 2.0.6, the version AWS Step
// Functions pins. Placeholder signatures; the implementation replaces this file.
package jsonata

import (
	"errors"
	"time"
)

// Expr is a compiled expression. Immutable; safe for concurrent use.
type Expr struct{}

// Error is a JSONata error with the reference implementation's code (e.g. "T2001").
type Error struct {
	Code     string
	Position int
	Token    string
	Message  string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Env holds the bindings of one evaluation: variables, extra functions and the
// values a pure evaluator may not read itself (the time for $now and $millis).
type Env struct {
	Vars  map[string]any
	Funcs map[string]Func
	Now   time.Time
}

// Func is a host function callable from expressions. Args are evaluated values
// (jsonvalue, with ok=false entries for undefined); it returns the result, whether it
// is defined, and an error (a *Error to report a JSONata error code).
type Func func(args []any) (result any, ok bool, err error)

// Compile parses an expression.
func Compile(expr string) (*Expr, error) { return nil, errors.New("jsonata: not implemented") }

// Eval evaluates e against input. ok is false when the result is undefined.
func (e *Expr) Eval(input any, env *Env) (result any, ok bool, err error) {
	return nil, false, errors.New("jsonata: not implemented")
}
