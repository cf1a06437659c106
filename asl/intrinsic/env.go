package intrinsic

import "stepline/jsonvalue"

// Env is what paths inside a call are evaluated against.
type Env struct {
	// Input is the state's effective input: what "$..." paths read.
	Input any
	// Context is the context object ($$). When it is nil, ContextFunc builds it on first
	// use, so that transitions which never read $$ do not pay for it.
	Context     any
	ContextFunc func() any
	// Var looks up a variable for "$name..." references; nil means no variables.
	Var func(name string) (any, bool)
	// Rand is the execution's deterministic random source (States.UUID and unseeded
	// States.MathRandom). Nil draws zeros, which keeps Eval total.
	Rand func() uint64
	// Field is the ".$" key being evaluated ("value.$"); AWS names it in causes.
	Field string
}

// context returns the context object, building it at most once per Env value.
func (e *Env) context() any {
	if e.Context == nil && e.ContextFunc != nil {
		e.Context = e.ContextFunc()
	}
	return e.Context
}

func (e *Env) rand() uint64 {
	if e.Rand == nil {
		return 0
	}
	return e.Rand()
}

// Error names AWS records for failures in JSONPath processing.
const (
	// ErrorRuntime is States.Runtime: a path that matches nothing or an intrinsic given
	// arguments it cannot use. AWS records it, not the documented
	// States.IntrinsicFailure, and Retry/Catch cannot handle it.
	ErrorRuntime = "States.Runtime"
	// ErrorIntrinsicFailure is the error name the ASL specification reserves for
	// intrinsic failures.
	ErrorIntrinsicFailure = "States.IntrinsicFailure"
)

// Failure is a run-time failure of a payload template, path or intrinsic function. It is
// data for the execution's history, not a bug: Name is the AWS error name
// (States.Runtime) and Cause AWS's text without the interpreter's "An error occurred
// while executing the state ..." prefix. (The field is Name rather than Error because a
// Go type cannot have both a field and a method called Error.)
type Failure struct {
	Name  string
	Cause string
	err   error // what went wrong underneath, for errors.Is/As
}

// Error returns "Name: Cause".
func (f *Failure) Error() string { return f.Name + ": " + f.Cause }

// Unwrap exposes the underlying error (for example a jsonpath.ErrNoResult).
func (f *Failure) Unwrap() error { return f.err }

// NewFailure returns a Failure; err may be nil.
func NewFailure(name, cause string, err error) *Failure {
	return &Failure{Name: name, Cause: cause, err: err}
}

// runtimeFailure is a States.Runtime Failure.
func runtimeFailure(cause string, err error) *Failure {
	return &Failure{Name: ErrorRuntime, Cause: cause, err: err}
}

// PathNotFound is AWS's failure for a path in a payload template (or an intrinsic
// argument, or Fail's ErrorPath/CausePath) that matches nothing:
// "The JSONPath '$.x' specified for the field 'value.$' could not be found in the input
// '<compact JSON of the state input>'". AWS quotes the state input even for $$ paths.
func PathNotFound(path, field string, input any, err error) *Failure {
	return runtimeFailure("The JSONPath '"+path+"' specified for the field '"+field+
		"' could not be found in the input '"+jsonvalue.MarshalString(input)+"'", err)
}
