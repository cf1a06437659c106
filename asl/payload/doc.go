// Package payload evaluates JSONPath mode's payload templates (Parameters,
// ResultSelector, ItemSelector, Credentials) and path fields (InputPath, OutputPath,
// ItemsPath, ErrorPath, ...), as described at
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html.
//
// A template is compiled once (Compile) and expanded per transition
// ((*Template).Expand). Keys ending in ".$" take a path on the input ($.x), on the
// context object ($$.x), on a variable ($name.x) or an intrinsic call, and lose their
// ".$"; other values are copied as they are. Expanded values share structure with the
// template and with the input: callers treat values as immutable, as the rest of the
// interpreter does.
//
// Failures use intrinsic.Failure (aliased here as Failure) with AWS's exact causes,
// without the "An error occurred while executing the state ..." prefix the interpreter
// adds.
//
// The package is pure: no I/O, clock, goroutines or global randomness.
package payload
