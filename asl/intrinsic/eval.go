package intrinsic

import (
	"fmt"
	"strconv"

	"stepline/jsonvalue"
)

// function is one intrinsic: its arity and implementation. args are the evaluated
// argument values; c gives access to how they were written (States.Format needs to
// know which braces of a literal template were escaped).
type function struct {
	minArgs int
	maxArgs int // -1: any number
	eval    func(c *Call, env *Env, args []any) (any, error)
}

// lookup returns the function called name, or nil.
func lookup(name string) *function {
	switch name {
	case "States.Format":
		return &function{1, -1, evalFormat}
	case "States.StringToJson":
		return &function{1, 1, evalStringToJSON}
	case "States.JsonToString":
		return &function{1, 1, evalJSONToString}
	case "States.Array":
		return &function{0, -1, evalArray}
	case "States.ArrayPartition":
		return &function{2, 2, evalArrayPartition}
	case "States.ArrayContains":
		return &function{2, 2, evalArrayContains}
	case "States.ArrayRange":
		return &function{3, 3, evalArrayRange}
	case "States.ArrayGetItem":
		return &function{2, 2, evalArrayGetItem}
	case "States.ArrayLength":
		return &function{1, 1, evalArrayLength}
	case "States.ArrayUnique":
		return &function{1, 1, evalArrayUnique}
	case "States.Base64Encode":
		return &function{1, 1, evalBase64Encode}
	case "States.Base64Decode":
		return &function{1, 1, evalBase64Decode}
	case "States.Hash":
		return &function{2, 2, evalHash}
	case "States.JsonMerge":
		return &function{3, 3, evalJSONMerge}
	case "States.MathRandom":
		return &function{2, 3, evalMathRandom}
	case "States.MathAdd":
		return &function{2, 2, evalMathAdd}
	case "States.StringSplit":
		return &function{2, 2, evalStringSplit}
	case "States.UUID":
		return &function{0, 0, evalUUID}
	}
	return nil
}

// IsFunction reports whether name ("States.Format") is an intrinsic function.
func IsFunction(name string) bool { return lookup(name) != nil }

// Eval evaluates the call. Run-time failures (a path that matches nothing, arguments of
// the wrong type) are returned as a *Failure; Eval returns no other error.
func (c *Call) Eval(env Env) (any, error) {
	return c.eval(&env)
}

// EvalEnv is Eval on a shared Env: a context object built on first use through
// env.ContextFunc stays in env for the caller's next evaluation.
func (c *Call) EvalEnv(env *Env) (any, error) {
	return c.eval(env)
}

func (c *Call) eval(env *Env) (any, error) {
	args := make([]any, len(c.Args))
	for i := range c.Args {
		a := &c.Args[i]
		switch a.kind {
		case argLiteral:
			args[i] = a.lit
		case argString:
			args[i] = a.str.value
		case argRef:
			v, err := a.ref.ResolveField(env, env.Field)
			if err != nil {
				return nil, err
			}
			args[i] = v
		case argCall:
			v, err := a.call.eval(env)
			if err != nil {
				return nil, err
			}
			args[i] = v
		}
	}
	if len(args) < c.fn.minArgs || (c.fn.maxArgs >= 0 && len(args) > c.fn.maxArgs) {
		return nil, c.arityFailure(len(args))
	}
	return c.fn.eval(c, env, args)
}

func (c *Call) arityFailure(got int) *Failure {
	want := strconv.Itoa(c.fn.minArgs)
	switch {
	case c.fn.maxArgs < 0:
		want = "at least " + want
	case c.fn.maxArgs != c.fn.minArgs:
		want += " to " + strconv.Itoa(c.fn.maxArgs)
	}
	return c.fail("expected %s argument(s) but received %d", want, got)
}

// fail is a States.Runtime Failure about this call's arguments.
func (c *Call) fail(format string, args ...any) *Failure {
	return runtimeFailure(fmt.Sprintf("Invalid arguments in %s: ", c.Name)+fmt.Sprintf(format, args...), nil)
}

// argString returns args[i] as a string or a Failure naming its type.
func (c *Call) argString(args []any, i int, what string) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", c.fail("the %s must be a string, but was %s", what, jsonvalue.TypeName(args[i]))
	}
	return s, nil
}

// argArray returns args[i] as an array or a Failure naming its type.
func (c *Call) argArray(args []any, i int, what string) ([]any, error) {
	a, ok := args[i].([]any)
	if !ok {
		return nil, c.fail("the %s must be an array, but was %s", what, jsonvalue.TypeName(args[i]))
	}
	return a, nil
}

// argInt returns args[i] as an integer or a Failure.
func (c *Call) argInt(args []any, i int, what string) (int64, error) {
	n, ok := jsonvalue.Int(args[i])
	if !ok || !jsonvalue.IsNumber(args[i]) {
		return 0, c.fail("the %s must be an integer, but was %s", what, jsonvalue.MarshalString(args[i]))
	}
	return n, nil
}
