package asl

import (
	"fmt"

	"stepline/asl/jsonpath"
	"stepline/asl/payload"
)

// This file compiles JSONPath-mode paths once per Machine: reads go through
// asl/payload selectors (which know $$, variables and AWS's failure texts), ResultPath
// writes through asl/jsonpath.

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

// selector returns the compiled form of a path field (InputPath, ErrorPath, a Choice
// Variable, ...), compiling it once per Machine; field decides AWS's failure wording.
func (m *Machine) selector(p, field string) (*payload.Selector, error) {
	key := selectorKey{p, field}
	if s, ok := m.selectors.Load(key); ok {
		return s.(*payload.Selector), nil
	}
	s, err := payload.CompileSelector(p, field)
	if err != nil {
		return nil, err
	}
	m.selectors.Store(key, s)
	return s, nil
}

type selectorKey struct{ path, field string }

// setPath returns doc with v stored at the reference path p, leaving doc untouched.
func (m *Machine) setPath(doc any, p string, v any) (any, error) {
	c, err := m.compiledPath(p)
	if err != nil {
		return nil, err
	}
	return c.Set(doc, v)
}
