// Package jsonata is a pure Go implementation of JSONata 2.0.6, the version AWS Step
// Functions pins (https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html).
// It follows the reference implementation, jsonata-js 2.0.6, down to its error codes,
// so that the causes Step Functions reports ("T1006: Attempted to invoke a
// non-function") come out the same.
//
// The package is pure: it reads no clock (Env.Now supplies $now and $millis), draws
// randomness only for $random and $shuffle from a source seeded by Env.Now, starts
// no goroutines and keeps no mutable package state. $eval does not exist, as in
// Step Functions ("All 2.0.6 built-ins are supported except $eval").
//
// Values in and out are the jsonvalue model. Numbers from the input stay
// json.Number until an operator or function computes with them, in float64, and
// computed numbers come out as float64. Objects keep their key order. A result may
// share structure with the input; callers must not modify either.
//
// Known differences from jsonata-js, all outside the official suite:
//   - Regex literals are translated to RE2 (see regex.go): lookaround and
//     backreferences fail to compile with S0303.
//   - Strings are UTF-8: a lone UTF-16 surrogate in a string literal is kept as
//     WTF-8 bytes rather than as a JavaScript string unit, and regex matching and
//     $split(s, "") work on code points where JavaScript splits astral
//     characters into surrogate halves.
//   - Runaway evaluation stops at Env.MaxDepth or Env.MaxSteps with U1001, the
//     code jsonata-js's own test harness uses, instead of exhausting the stack.
//   - Times without an offset given to $toMillis are read as UTC, not local time.
package jsonata

import (
	"time"
)

// Expr is a compiled expression. Immutable; safe for concurrent use.
type Expr struct {
	ast *node
	src string
}

// Env holds the bindings of one evaluation: variables, extra functions and the
// values a pure evaluator may not read itself (the time for $now and $millis).
type Env struct {
	// Vars binds variables by name without the '$' ("states" for $states).
	// They shadow the built-in functions, as jsonata-js's bindings do.
	Vars map[string]any
	// Funcs adds functions callable exactly like built-ins ($partition(...),
	// $map(xs, $partition) or partial application); they take precedence over
	// built-ins of the same name, so Step Functions' $random replaces JSONata's.
	Funcs map[string]Func
	// Signatures optionally gives Funcs entries a JSONata signature (for example
	// "<n-n?:a<n>>"), so that their arguments are checked and coerced exactly as
	// a built-in's are, with the same T0410/T0411/T0412 errors.
	Signatures map[string]string
	Now        time.Time
	// MaxDepth bounds the nesting of evaluation (recursion); exceeding it is
	// error U1001. Zero means MaxDepthDefault.
	MaxDepth int
	// MaxSteps bounds the number of evaluation steps, so that a runaway
	// expression stops with error U1002 instead of running forever. Zero means
	// MaxStepsDefault.
	MaxSteps int
}

// MaxDepthDefault is the evaluation depth allowed when Env.MaxDepth is zero.
const MaxDepthDefault = 10000

// MaxStepsDefault is the number of evaluation steps allowed when Env.MaxSteps is zero.
const MaxStepsDefault = 10_000_000

// Func is a host function callable from expressions exactly like a built-in. Args
// are evaluated values of the jsonvalue model; an undefined argument (a path that
// matched nothing) is reported by IsUndefined. It returns the result, whether it
// is defined, and an error (a *Error to report a JSONata error code).
type Func func(args []any) (result any, ok bool, err error)

// Compile parses an expression.
func Compile(expr string) (*Expr, error) {
	ast, err := parse(expr)
	if err != nil {
		return nil, finish(err, expr)
	}
	return &Expr{ast: ast, src: expr}, nil
}

// String returns the expression's source text.
func (e *Expr) String() string { return e.src }

// Eval evaluates e against input. ok is false when the result is undefined.
func (e *Expr) Eval(input any, env *Env) (result any, ok bool, err error) {
	if env == nil {
		env = &Env{}
	}
	st := newEvalState(env, input)
	ev, root := &st.ev, &st.root
	in := input
	if _, isArr := input.([]any); isArr {
		// jsonata-js wraps an array input in a one-item sequence, so that a path
		// maps over the array as a whole ($[0] is its first item).
		in = &array{items: []any{input}, seq: true, outerWrapper: true}
	}
	v, err := ev.eval(e.ast, in, root)
	if err != nil {
		return nil, false, finish(err, e.src)
	}
	// A function has no JSON form; JSON.stringify leaves it out too.
	if isUndef(v) || isFunction(v) {
		return nil, false, nil
	}
	return externalize(v), true, nil
}

// evalAny is Eval for an input that may be undefined (the suite's "dataset": null).
func (e *Expr) evalAny(input any, env *Env) (any, bool, error) {
	if isUndef(input) {
		st := newEvalState(env, input)
		ev, root := &st.ev, &st.root
		v, err := ev.eval(e.ast, input, root)
		if err != nil {
			return nil, false, finish(err, e.src)
		}
		if isUndef(v) || isFunction(v) {
			return nil, false, nil
		}
		return externalize(v), true, nil
	}
	return e.Eval(input, env)
}
