package asl

import (
	"errors"
	"fmt"

	"stepline/asl/jsonpath"
)

// This file resolves JSONPath-mode paths through asl/jsonpath, compiling each path text
// once per Machine.

// compiledPath returns the compiled form of p.
func (m *Machine) compiledPath(p string) (*jsonpath.Path, error) {
	if c, ok := m.paths.Load(p); ok {
		return c.(*jsonpath.Path), nil
	}
	c, err := jsonpath.Compile(p)
	if err != nil {
		return nil, fmt.Errorf("compile path %q: %w", p, err)
	}
	m.paths.Store(p, c)
	return c, nil
}

// getPath evaluates p against doc. ok is false when a definite path matches nothing;
// notFound then carries Jayway's message ("No results for path: $['a']").
func (m *Machine) getPath(p string, doc any) (v any, ok bool, notFound string, err error) {
	c, err := m.compiledPath(p)
	if err != nil {
		return nil, false, "", err
	}
	v, err = c.Get(doc)
	if err != nil {
		var nf *jsonpath.NotFoundError
		if errors.As(err, &nf) {
			return nil, false, nf.Message, nil
		}
		if errors.Is(err, jsonpath.ErrNoResult) {
			return nil, false, err.Error(), nil
		}
		return nil, false, "", err
	}
	return v, true, "", nil
}

// setPath returns doc with v stored at the reference path p, leaving doc untouched.
func (m *Machine) setPath(doc any, p string, v any) (any, error) {
	c, err := m.compiledPath(p)
	if err != nil {
		return nil, err
	}
	return c.Set(doc, v)
}
