package asl

import (
	"errors"
	"fmt"
	"strings"

	"stepline/jsonata"
	"stepline/jsonvalue"
)

// exprText returns the expression inside a "{% ... %}" string.
func exprText(v any) (string, bool) {
	s, ok := v.(string)
	if !ok || len(s) < 4 || !strings.HasPrefix(s, "{%") || !strings.HasSuffix(s, "%}") {
		return "", false
	}
	return strings.TrimSpace(s[2 : len(s)-2]), true
}

// compiled returns the compiled form of expr, compiling it once per Machine.
func (m *Machine) compiled(expr string) (*jsonata.Expr, error) {
	if e, ok := m.exprs.Load(expr); ok {
		return e.(*jsonata.Expr), nil
	}
	e, err := jsonata.Compile(expr)
	if err != nil {
		return nil, err
	}
	m.exprs.Store(expr, e)
	return e, nil
}

// statesVar builds $states for JSONata mode.
func (r *run) statesVar(f *frame, input any, result any, hasResult bool, errOut any, extra func(*jsonvalue.Object)) *jsonvalue.Object {
	st := jsonvalue.NewObject(4)
	st.Set("input", input)
	if hasResult {
		st.Set("result", result)
	}
	if errOut != nil {
		st.Set("errorOutput", errOut)
	}
	st.Set("context", r.contextObject(f, extra))
	return st
}

// evalTemplate evaluates a JSONata-mode field: "{% %}" strings anywhere in it are
// expressions, everything else is literal. field names the location for errors
// ("Output", "Assign/result", "Arguments/x").
func (r *run) evalTemplate(f *frame, n *node, tmpl any, states *jsonvalue.Object, field string) (any, *failure) {
	switch t := tmpl.(type) {
	case string:
		expr, ok := exprText(t)
		if !ok {
			return t, nil
		}
		return r.evalExpr(f, expr, states, field)
	case *jsonvalue.Object:
		out := jsonvalue.NewObject(t.Len())
		var fl *failure
		t.Range(func(k string, v any) bool {
			var val any
			val, fl = r.evalTemplate(f, n, v, states, field+"/"+k)
			if fl != nil {
				return false
			}
			out.Set(k, val)
			return true
		})
		if fl != nil {
			return nil, fl
		}
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, v := range t {
			val, fl := r.evalTemplate(f, n, v, states, fmt.Sprintf("%s[%d]", field, i))
			if fl != nil {
				return nil, fl
			}
			out[i] = val
		}
		return out, nil
	}
	return tmpl, nil
}

// evalExpr evaluates one expression. An undefined result is an error in Step Functions.
func (r *run) evalExpr(f *frame, expr string, states *jsonvalue.Object, field string) (any, *failure) {
	e, err := r.m.compiled(expr)
	if err != nil {
		return nil, r.queryFailure(f, field, fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s", expr, field, jsonataMessage(err)))
	}
	if r.funcs == nil {
		r.funcs = r.stepFunctions()
	}
	env := &jsonata.Env{Vars: map[string]any{}, Now: r.now, Funcs: r.funcs}
	f.vars.all(env.Vars)
	if states != nil {
		env.Vars["states"] = states
	}
	var input any
	if states != nil {
		input, _ = states.Get("input")
	}
	v, ok, err := e.Eval(input, env)
	if err != nil {
		return nil, r.queryFailure(f, field, fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s", expr, field, jsonataMessage(err)))
	}
	if !ok {
		return nil, r.queryFailure(f, field, fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).", expr, field))
	}
	return v, nil
}

func jsonataMessage(err error) string {
	var je *jsonata.Error
	if errors.As(err, &je) {
		return je.Code + ": " + je.Message
	}
	return err.Error()
}

// queryFailure records an EvaluationFailed event and returns the
// States.QueryEvaluationError failure it stands for.
func (r *run) queryFailure(f *frame, field, detail string) *failure {
	fl := fail("States.QueryEvaluationError", r.causePrefix(f)+detail)
	r.evaluationFailed(f, field, fl, f.enteredPrev)
	return &fl
}

// evaluationFailed writes EvaluationFailed. AWS gives a failed expression the
// previousEventId of the state's StateEntered event (the two are siblings), but a Wait
// Timestamp that evaluated and then failed to parse follows StateEntered.
func (r *run) evaluationFailed(f *frame, field string, fl failure, prev int64) {
	b := newDetails().str("error", fl.Error).str("cause", fl.Cause)
	if field != "" {
		b = b.str("location", field)
	}
	b = b.str("state", r.node(f).name)
	f.last = r.emitFrom(f, prev, "EvaluationFailed", b.done())
}

// typedExprFailure is the failure of a field whose expression returned the wrong type.
func (r *run) typedExprFailure(f *frame, field, expr, want string, v any) *failure {
	return r.queryFailure(f, field, fmt.Sprintf("The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s",
		expr, field, want, jsonvalue.TypeName(v), textOf(v)))
}
