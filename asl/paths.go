package asl

import (
	"fmt"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// This file resolves the reference paths of JSONPath mode: "$..." against a document,
// "$$..." against the context object and "$name..." against a variable.

// pathStep is one step of a reference path: an object key or an array index.
type pathStep struct {
	key   string
	index int
	isIdx bool
}

// parseRefPath splits a simple reference path ("$", "$.a.b", "$['a b'][0]").
func parseRefPath(p string) ([]pathStep, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("path %q does not start with $", p)
	}
	var steps []pathStep
	i := 1
	for i < len(p) {
		switch p[i] {
		case '.':
			j := i + 1
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, fmt.Errorf("empty key in path %q", p)
			}
			steps = append(steps, pathStep{key: p[i+1 : j]})
			i = j
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in path %q", p)
			}
			in := strings.TrimSpace(p[i+1 : i+end])
			if len(in) >= 2 && (in[0] == '\'' || in[0] == '"') && in[len(in)-1] == in[0] {
				steps = append(steps, pathStep{key: in[1 : len(in)-1]})
			} else if n, err := strconv.Atoi(in); err == nil {
				steps = append(steps, pathStep{index: n, isIdx: true})
			} else {
				return nil, fmt.Errorf("unsupported selector [%s] in path %q", in, p)
			}
			i += end + 1
		default:
			return nil, fmt.Errorf("unexpected %q in path %q", p[i], p)
		}
	}
	return steps, nil
}

// simpleGet evaluates a reference path. ok is false when nothing is found.
func simpleGet(p string, doc any) (any, bool, error) {
	steps, err := parseRefPath(p)
	if err != nil {
		return nil, false, err
	}
	cur := doc
	for _, s := range steps {
		switch c := cur.(type) {
		case *jsonvalue.Object:
			if s.isIdx {
				return nil, false, nil
			}
			v, ok := c.Get(s.key)
			if !ok {
				return nil, false, nil
			}
			cur = v
		case []any:
			if !s.isIdx {
				return nil, false, nil
			}
			i := s.index
			if i < 0 {
				i += len(c)
			}
			if i < 0 || i >= len(c) {
				return nil, false, nil
			}
			cur = c[i]
		default:
			return nil, false, nil
		}
	}
	return cur, true, nil
}

// simpleSet returns doc with v stored at reference path p, creating missing objects and
// copying the containers it changes so that doc itself is left untouched.
func simpleSet(doc any, p string, v any) (any, error) {
	steps, err := parseRefPath(p)
	if err != nil {
		return nil, err
	}
	return setSteps(doc, steps, v)
}

func setSteps(doc any, steps []pathStep, v any) (any, error) {
	if len(steps) == 0 {
		return v, nil
	}
	s := steps[0]
	if s.isIdx {
		arr, ok := doc.([]any)
		if !ok || s.index < 0 || s.index >= len(arr) {
			return nil, fmt.Errorf("index %d out of range", s.index)
		}
		c := append([]any(nil), arr...)
		nv, err := setSteps(arr[s.index], steps[1:], v)
		if err != nil {
			return nil, err
		}
		c[s.index] = nv
		return c, nil
	}
	var o *jsonvalue.Object
	switch d := doc.(type) {
	case *jsonvalue.Object:
		o = d.Clone()
	case nil:
		o = jsonvalue.NewObject(1)
	default:
		return nil, fmt.Errorf("cannot set key %q on a %s", s.key, jsonvalue.TypeName(doc))
	}
	child, _ := o.Get(s.key)
	nv, err := setSteps(child, steps[1:], v)
	if err != nil {
		return nil, err
	}
	o.Set(s.key, nv)
	return o, nil
}

// normalizedPath renders p as Jayway does in "No results for path" messages: $['a']['b'].
func normalizedPath(p string) string {
	steps, err := parseRefPath(p)
	if err != nil {
		return p
	}
	var b strings.Builder
	b.WriteString("$")
	for _, s := range steps {
		if s.isIdx {
			fmt.Fprintf(&b, "[%d]", s.index)
		} else {
			fmt.Fprintf(&b, "['%s']", s.key)
		}
	}
	return b.String()
}
