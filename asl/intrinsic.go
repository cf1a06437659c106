package asl

import (
	"errors"

	"stepline/asl/intrinsic"
)

// intrinsic evaluates an intrinsic function call in a ".$" field (or ErrorPath and
// CausePath). Calls are parsed once per Machine.
func (r *run) intrinsic(f *frame, expr string, input any, key string, ctx func() any) (any, *failure) {
	call, err := r.m.compiledCall(expr)
	if err != nil {
		return nil, r.runtimeFailure(f, err.Error())
	}
	env := intrinsic.Env{Input: input, Var: f.vars.get, Rand: r.s.next64, Field: key}
	if ctx != nil {
		env.ContextFunc = ctx
	} else {
		env.ContextFunc = func() any { return r.contextObject(f, nil) }
	}
	v, err := call.Eval(env)
	if err != nil {
		var ifl *intrinsic.Failure
		if errors.As(err, &ifl) {
			// AWS reports most intrinsic failures as the terminal States.Runtime.
			fl := fail(ifl.Name, r.causePrefix(f)+ifl.Cause)
			fl.terminal = ifl.Name == intrinsic.ErrorRuntime
			return nil, &fl
		}
		return nil, r.runtimeFailure(f, err.Error())
	}
	return v, nil
}

func (m *Machine) compiledCall(expr string) (*intrinsic.Call, error) {
	if c, ok := m.calls.Load(expr); ok {
		return c.(*intrinsic.Call), nil
	}
	c, err := intrinsic.Parse(expr)
	if err != nil {
		return nil, err
	}
	m.calls.Store(expr, c)
	return c, nil
}
