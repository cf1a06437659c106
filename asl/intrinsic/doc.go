// Package intrinsic parses and evaluates the intrinsic functions of JSONPath mode
// (States.Format, States.Array, States.Hash, ...), as documented at
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html.
//
// A call is parsed once (Parse) and evaluated per transition ((*Call).Eval). Arguments
// are string literals in single quotes (escapes \' \{ \} \\ only, as AWS accepts),
// numbers, true, false, null, paths on the state input ($.x), on the context object
// ($$.x), on variables ($name.x), and nested calls.
//
// Evaluation is deterministic: States.UUID and unseeded States.MathRandom draw from
// Env.Rand, so replaying an execution reproduces its history. Failures at run time are
// data, not bugs: Eval returns a *Failure carrying AWS's error name and cause, which the
// interpreter records in history after its "An error occurred while executing the state"
// prefix.
//
// The package is pure: no I/O, clock, goroutines or global randomness.
package intrinsic
