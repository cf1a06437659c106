package asl

import (
	"errors"
	"fmt"
	"strings"

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

// resolve evaluates a path string in JSONPath mode: "$..." against doc, "$$..." against
// the context object, "$name..." against a variable. ok is false when nothing matches;
// notFound then holds Jayway's message.
func (r *run) resolve(f *frame, p string, doc any, ctx func() any) (v any, ok bool, notFound string, err error) {
	switch {
	case len(p) >= 2 && p[1] == '$':
		var c any
		if ctx != nil {
			c = ctx()
		} else {
			c = r.contextObject(f, nil)
		}
		return r.m.getPath(p[1:], c)
	case len(p) > 1 && p[0] == '$' && p[1] != '.' && p[1] != '[':
		name, rest := splitVar(p[1:])
		val, found := f.vars.get(name)
		if !found {
			return nil, false, "", fmt.Errorf("undefined variable %s", name)
		}
		return r.m.getPath("$"+rest, val)
	}
	return r.m.getPath(p, doc)
}

// splitVar splits "name.a.b" into "name" and ".a.b".
func splitVar(s string) (string, string) {
	i := strings.IndexAny(s, ".[")
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
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
	return r.selectPath(f, p.path, f.in())
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
	return r.selectPath(f, p.path, v)
}

// selectPath is InputPath/OutputPath/ItemsPath evaluation; a path that matches nothing
// is a States.Runtime error worded as AWS words it.
func (r *run) selectPath(f *frame, p string, doc any) (any, *failure) {
	v, ok, notFound, err := r.resolve(f, p, doc, nil)
	if err != nil {
		return nil, r.runtimeFailure(f, fmt.Sprintf("Invalid path '%s' : %s", p, err))
	}
	if !ok {
		return nil, r.runtimeFailure(f, fmt.Sprintf("Invalid path '%s' : %s", p, notFound))
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
	env := payload.Env{Input: input, Var: f.vars.get, Rand: r.s.next64, Field: field}
	if ctx != nil {
		env.ContextFunc = ctx
	} else {
		env.ContextFunc = func() any { return r.contextObject(f, nil) }
	}
	v, err := t.Expand(env)
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

// dynamicValue evaluates a path or intrinsic call given as a string (ErrorPath,
// CausePath), as a ".$" key's value would be.
func (r *run) dynamicValue(f *frame, s string, input any, key string, ctx func() any) (any, *failure) {
	if strings.HasPrefix(s, "States.") {
		return r.intrinsic(f, s, input, key, ctx)
	}
	v, ok, _, err := r.resolve(f, s, input, ctx)
	if err != nil || !ok {
		return nil, r.runtimeFailure(f, fmt.Sprintf("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", s, key, textOf(input)))
	}
	return v, nil
}
