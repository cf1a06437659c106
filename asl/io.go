package asl

import (
	"errors"
	"fmt"

	"stepline/asl/intrinsic"
	"stepline/asl/payload"
	"stepline/jsonvalue"
)

// This file is JSONPath mode's input and output processing
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html):
// InputPath → Parameters → (result) → ResultSelector → ResultPath → OutputPath.

// runtimeFailure is a States.Runtime failure of f's current state, with AWS's prefix.
func (r *run) runtimeFailure(f *frame, detail string) *failure {
	fl := fail("States.Runtime", r.causePrefix(f)+detail)
	fl.terminal = true
	return &fl
}

func (r *run) causePrefix(f *frame) string {
	return fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). ", r.node(f).name, f.entered)
}

// env is the payload environment of frame f: paths and intrinsics read input, the
// context object (built only if used; ctx overrides it for ItemSelector), variables
// and the execution's random source.
func (r *run) env(f *frame, input any, field string, ctx func() any) payload.Env {
	env := payload.Env{Input: input, Var: f.vars.get, Rand: r.s.next64, Field: field}
	if ctx != nil {
		env.ContextFunc = ctx
	} else {
		env.ContextFunc = func() any { return r.contextObject(f, nil) }
	}
	return env
}

// lookup evaluates a path for a Choice rule or a Wait *Path field: ok is false when it
// matches nothing (those fields word their own failures).
func (r *run) lookup(f *frame, p string, doc any) (any, bool) {
	s, err := r.m.selector(p, "Variable")
	if err != nil {
		return nil, false
	}
	v, err := s.Select(r.env(f, doc, "Variable", nil))
	return v, err == nil
}

// applyInputPath returns the effective input of f's state.
func (r *run) applyInputPath(f *frame, n *node) (any, *failure) {
	p := n.inputPath
	if !p.set {
		return f.in(), nil
	}
	if p.null {
		return jsonvalue.NewObject(0), nil
	}
	if p.path == "$" {
		return f.in(), nil
	}
	return r.selectPath(f, p.path, f.in(), "InputPath")
}

// applyOutputPath filters a state's output.
func (r *run) applyOutputPath(f *frame, n *node, v any) (any, *failure) {
	p := n.outputPath
	if !p.set || (!p.null && p.path == "$") {
		return v, nil
	}
	if p.null {
		return jsonvalue.NewObject(0), nil
	}
	return r.selectPath(f, p.path, v, "OutputPath")
}

// selectPath evaluates a path field (InputPath, OutputPath, ItemsPath, ErrorPath, the
// other *Path fields) on doc; a path that matches nothing is the failure AWS words for
// that field, States.Runtime.
func (r *run) selectPath(f *frame, p string, doc any, field string) (any, *failure) {
	s, err := r.m.selector(p, field)
	if err != nil {
		return nil, r.runtimeFailure(f, err.Error())
	}
	v, err := s.Select(r.env(f, doc, field, nil))
	if err != nil {
		return nil, r.payloadFailure(f, err)
	}
	return v, nil
}

// applyResultPath merges result into the state's raw input.
func (r *run) applyResultPath(f *frame, p pathField, input, result any) (any, *failure) {
	if !p.set || (!p.null && p.path == "$") {
		return result, nil
	}
	if p.null {
		return input, nil
	}
	out, err := r.m.setPath(input, p.path, result)
	if err != nil {
		fl := fail("States.ResultPathMatchFailure", r.causePrefix(f)+err.Error())
		return nil, &fl
	}
	return out, nil
}

// expand evaluates a payload template (Parameters, ResultSelector, ItemSelector,
// Credentials, Assign in JSONPath mode) with asl/payload: keys ending in ".$" take a
// path or an intrinsic function. Templates are compiled once per Machine.
func (r *run) expand(f *frame, tmpl any, input any, field string, ctx func() any) (any, *failure) {
	t, err := r.m.template(tmpl)
	if err != nil {
		return nil, r.runtimeFailure(f, err.Error())
	}
	if t.IsStatic() {
		return tmpl, nil
	}
	v, err := t.Expand(r.env(f, input, field, ctx))
	if err != nil {
		return nil, r.payloadFailure(f, err)
	}
	return v, nil
}

// payloadFailure turns a payload or intrinsic failure into the state's failure.
func (r *run) payloadFailure(f *frame, err error) *failure {
	var pf *payload.Failure
	if errors.As(err, &pf) {
		fl := fail(pf.Name, r.causePrefix(f)+pf.Cause)
		fl.terminal = pf.Name == intrinsic.ErrorRuntime
		return &fl
	}
	return r.runtimeFailure(f, err.Error())
}

// template returns the compiled form of a payload template. Templates are parts of
// the parsed definition, so objects are cached by identity.
func (m *Machine) template(tmpl any) (*payload.Template, error) {
	o, isObject := tmpl.(*jsonvalue.Object)
	if isObject {
		if t, ok := m.templates.Load(o); ok {
			return t.(*payload.Template), nil
		}
	}
	t, err := payload.Compile(tmpl)
	if err != nil {
		return nil, err
	}
	if isObject {
		m.templates.Store(o, t)
	}
	return t, nil
}
