package jsonata

import (
	"strconv"
)

// lambda is a user-defined function (or a partial application), closed over the
// environment and the context value where it was defined.
type lambda struct {
	input  any
	env    *frame
	params []string
	sig    *signature
	body   *node
	thunk  bool
	// nativeBody is set for a partially applied built-in: the body calls it with
	// the parameters bound in env.
	nativeBody *native
}

// native is a built-in or host function.
type native struct {
	name  string
	sig   *signature
	arity int // the number of declared parameters, which $map and friends consult
	fn    func(c call, args []any) (any, error)
}

// call is what a native function sees of its caller.
type call struct {
	ev    *evaluator
	input any
	env   *frame
}

// arg returns args[i], or undefined when the argument was not supplied.
func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return undefinedValue{}
}

// arity is jsonata-js's getFunctionArity, used by the higher-order functions to
// decide how many arguments to pass.
func arity(fn any) int {
	switch f := fn.(type) {
	case *lambda:
		if f.nativeBody != nil {
			return len(f.params)
		}
		return len(f.params)
	case *native:
		return f.arity
	case *matcher:
		return 1
	case *transformer:
		return 1
	}
	return 0
}

// procName is the name errors report for a called procedure.
func procName(expr *node) string {
	if expr.procedure.typ == nPath && len(expr.procedure.steps) > 0 {
		return expr.procedure.steps[0].op
	}
	return expr.procedure.op
}

// evalFunction evaluates a call. applyTo carries the left side of ~>, which becomes
// the first argument.
func (ev *evaluator) evalFunction(expr *node, input any, env *frame, applyTo []any) (any, error) {
	proc, err := ev.eval(expr.procedure, input, env)
	if err != nil {
		return nil, err
	}
	name := procName(expr)
	// sum(x) instead of $sum(x): say which variable was probably meant.
	if isUndef(proc) && expr.procedure.typ == nPath {
		if v, ok := ev.lookup(env, expr.procedure.steps[0].op); ok && !isUndef(v) {
			return nil, newErr("T1005", expr.pos, expr.procedure.steps[0].op)
		}
	}
	args := make([]any, 0, len(expr.items)+len(applyTo))
	args = append(args, applyTo...)
	for _, a := range expr.items {
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	result, err := ev.apply(proc, args, input, env, name, expr.pos)
	if err != nil {
		if e, ok := err.(*Error); ok {
			return nil, e.locate(expr.pos, name)
		}
		return nil, err
	}
	return result, nil
}

// apply calls a function, then keeps calling while the result is a tail call
// (a thunk), so that tail recursion runs in constant stack depth.
func (ev *evaluator) apply(proc any, args []any, input any, env *frame, name string, pos int) (any, error) {
	result, err := ev.applyInner(proc, args, input, env, name, pos)
	// A lambda whose body ends in a call returns that call unevaluated (a thunk,
	// see tailCallOptimize); run it here so the Go stack does not grow.
	for err == nil {
		th, ok := result.(*lambda)
		if !ok || !th.thunk {
			break
		}
		body := th.body
		var next any
		next, err = ev.eval(body.procedure, th.input, th.env)
		if err != nil {
			return nil, err
		}
		nextName := procName(body)
		evaluated := make([]any, 0, len(body.items))
		for _, a := range body.items {
			v, err := ev.eval(a, th.input, th.env)
			if err != nil {
				return nil, err
			}
			evaluated = append(evaluated, v)
		}
		result, err = ev.applyInner(next, evaluated, input, env, nextName, body.procedure.pos)
	}
	return result, err
}

// applyInner calls one function. pos is the call site: like jsonata-js, which
// records it on the function object, an error raised inside a lambda or built-in
// is reported there.
func (ev *evaluator) applyInner(proc any, args []any, input any, env *frame, name string, pos int) (any, error) {
	var result any
	var err error
	switch p := proc.(type) {
	case *lambda:
		if p.sig != nil {
			if args, err = p.sig.validate(args, input); err != nil {
				break
			}
		}
		result, err = ev.applyProcedure(p, args)
	case *native:
		if p.sig != nil {
			if args, err = p.sig.validate(args, input); err != nil {
				break
			}
		}
		result, err = p.fn(call{ev: ev, input: input, env: env}, args)
	case *matcher:
		result, err = p.call(args)
	case *transformer:
		if args, err = transformSignature().validate(args, input); err != nil {
			break
		}
		result, err = ev.applyTransform(p, arg(args, 0))
	default:
		err = newErr("T1006", 0, "")
	}
	if err != nil {
		if e, ok := err.(*Error); ok {
			if e.Token == "" && name != "" {
				e.Token = name
			}
			switch proc.(type) {
			case *lambda, *native:
				if pos > 0 {
					e.Position = pos
				}
			}
		}
		return nil, err
	}
	return result, nil
}

// applyProcedure runs a lambda: its parameters bound in a scope inside the one it
// was defined in, its body evaluated against the context it was defined with.
func (ev *evaluator) applyProcedure(p *lambda, args []any) (any, error) {
	f := &frame{parent: p.env, names: make([]string, 0, len(p.params)), values: make([]any, 0, len(p.params))}
	for i, name := range p.params {
		f.names = append(f.names, name)
		f.values = append(f.values, arg(args, i))
	}
	if p.nativeBody != nil {
		nargs := make([]any, len(p.nativeBody.params()))
		for i, name := range p.nativeBody.params() {
			nargs[i], _ = ev.lookup(f, name)
		}
		// Trailing undefined arguments count as not supplied.
		for len(nargs) > 0 && isUndef(nargs[len(nargs)-1]) {
			nargs = nargs[:len(nargs)-1]
		}
		// Like jsonata-js, a partially applied built-in is called without
		// checking its signature; the built-ins tolerate any argument types.
		return p.nativeBody.fn(call{ev: ev, env: f, input: undefinedValue{}}, nargs)
	}
	return ev.eval(p.body, p.input, f)
}

// params names a native's parameters for partial application.
func (n *native) params() []string {
	names := make([]string, n.arity)
	for i := range names {
		names[i] = "\x00" + strconv.Itoa(i)
	}
	return names
}

// evalPartial evaluates a partial application such as $substring(?, 0, 3): a
// lambda of the '?' parameters with the other arguments bound.
func (ev *evaluator) evalPartial(expr *node, input any, env *frame) (any, error) {
	args := make([]any, len(expr.items))
	for i, a := range expr.items {
		if a.typ == nOperator && a.op == "?" {
			args[i] = placeholder{}
			continue
		}
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	proc, err := ev.eval(expr.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && expr.procedure.typ == nPath {
		if v, ok := ev.lookup(env, expr.procedure.steps[0].op); ok && !isUndef(v) {
			return nil, newErr("T1007", expr.pos, expr.procedure.steps[0].op)
		}
	}
	switch p := proc.(type) {
	case *lambda:
		return partialApply(p, args), nil
	case *native:
		return partialApply(&lambda{params: p.params(), nativeBody: p}, args), nil
	}
	return nil, newErr("T1008", expr.pos, procName(expr))
}

// placeholder marks a '?' argument of a partial application.
type placeholder struct{}

// partialApply binds the supplied arguments of p, leaving the placeholders as
// parameters of the new lambda.
func partialApply(p *lambda, args []any) *lambda {
	f := newFrame(p.env)
	var unbound []string
	for i, name := range p.params {
		a := arg(args, i)
		if _, ok := a.(placeholder); ok {
			unbound = append(unbound, name)
		} else {
			f.bind(name, a)
		}
	}
	return &lambda{input: p.input, env: f, params: unbound, body: p.body, nativeBody: p.nativeBody}
}

// evalApply evaluates lhs ~> rhs: a call with lhs as first argument, or the
// composition of two functions.
func (ev *evaluator) evalApply(expr *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(expr.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if expr.rhs.typ == nFunction {
		return ev.evalFunction(expr.rhs, input, env, []any{lhs})
	}
	fn, err := ev.eval(expr.rhs, input, env)
	if err != nil {
		return nil, err
	}
	if !isFunction(fn) {
		e := valErr("T2006", fn)
		e.Position = expr.pos
		return nil, e
	}
	if isFunction(lhs) {
		return &native{name: "", arity: 1, fn: func(c call, args []any) (any, error) {
			v, err := c.ev.apply(lhs, []any{arg(args, 0)}, nil, c.env, "", 0)
			if err != nil {
				return nil, err
			}
			return c.ev.apply(fn, []any{v}, nil, c.env, "", 0)
		}}, nil
	}
	return ev.apply(fn, []any{lhs}, nil, env, "", 0)
}
