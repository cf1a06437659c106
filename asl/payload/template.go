package payload

import (
	"errors"
	"fmt"
	"strings"

	"stepline/asl/intrinsic"
	"stepline/jsonvalue"
)

// Env is what templates and paths are evaluated against: the state input, the context
// object, the variables and the execution's random source.
type Env = intrinsic.Env

// Failure is a run-time failure with AWS's error name and cause.
type Failure = intrinsic.Failure

// ErrTemplate is wrapped by Compile's errors: a template AWS would have rejected when
// the state machine was created.
var ErrTemplate = errors.New("payload: invalid template")

// Template is a compiled payload template. It is immutable and safe to share.
type Template struct {
	root node
}

// node is one compiled part of a template.
type node interface {
	expand(env *Env) (any, error)
}

// constNode is a part with nothing to evaluate; it is returned as it is.
type constNode struct{ v any }

// objectNode is an object with at least one dynamic value somewhere below it.
type objectNode struct {
	keys  []string
	nodes []node
}

// arrayNode is an array with at least one dynamic element somewhere below it.
type arrayNode struct{ nodes []node }

// refNode is a ".$" key holding a path.
type refNode struct {
	ref   *intrinsic.Ref
	field string
}

// callNode is a ".$" key holding an intrinsic call.
type callNode struct {
	call  *intrinsic.Call
	field string
}

// Compile compiles a template (a jsonvalue value).
func Compile(tmpl any) (*Template, error) {
	n, err := compileNode(tmpl, 0)
	if err != nil {
		return nil, err
	}
	return &Template{root: n}, nil
}

// maxTemplateDepth bounds nesting; jsonvalue.Parse already bounds it, but templates may
// be built in code.
const maxTemplateDepth = 10000

func compileNode(v any, depth int) (node, error) {
	if depth > maxTemplateDepth {
		return nil, fmt.Errorf("%w: nested too deeply", ErrTemplate)
	}
	switch t := v.(type) {
	case *jsonvalue.Object:
		o := &objectNode{keys: make([]string, 0, t.Len()), nodes: make([]node, 0, t.Len())}
		dynamic := false
		for _, k := range t.Keys() {
			val, _ := t.Get(k)
			var n node
			var err error
			if strings.HasSuffix(k, ".$") {
				n, err = compileDynamic(k, val)
				dynamic = true
				k = k[:len(k)-2]
			} else {
				n, err = compileNode(val, depth+1)
				if _, ok := n.(constNode); !ok {
					dynamic = true
				}
			}
			if err != nil {
				return nil, err
			}
			o.keys = append(o.keys, k)
			o.nodes = append(o.nodes, n)
		}
		if !dynamic {
			return constNode{v}, nil
		}
		return o, nil
	case []any:
		a := &arrayNode{nodes: make([]node, len(t))}
		dynamic := false
		for i, e := range t {
			n, err := compileNode(e, depth+1)
			if err != nil {
				return nil, err
			}
			if _, ok := n.(constNode); !ok {
				dynamic = true
			}
			a.nodes[i] = n
		}
		if !dynamic {
			return constNode{v}, nil
		}
		return a, nil
	}
	return constNode{v}, nil
}

// compileDynamic compiles the value of a ".$" key.
func compileDynamic(key string, v any) (node, error) {
	s, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("%w: the value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", ErrTemplate, key)
	}
	if intrinsic.IsIntrinsic(s) {
		c, err := intrinsic.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("%w: field '%s': %w", ErrTemplate, key, err)
		}
		return &callNode{call: c, field: key}, nil
	}
	r, err := intrinsic.ParseRef(s)
	if err != nil {
		return nil, fmt.Errorf("%w: field '%s': %w", ErrTemplate, key, err)
	}
	return &refNode{ref: r, field: key}, nil
}

// Expand evaluates the template. A path that matches nothing or a failing intrinsic
// returns a *Failure.
func (t *Template) Expand(env Env) (any, error) {
	return t.root.expand(&env)
}

// ExpandEnv is Expand on a shared Env: a context object built on first use through
// env.ContextFunc stays in env for the caller's next evaluation, and no copy of env is
// made.
func (t *Template) ExpandEnv(env *Env) (any, error) {
	saved := env.Field
	v, err := t.root.expand(env)
	env.Field = saved
	return v, err
}

// IsStatic reports whether the template has nothing to evaluate, so that callers may
// skip Expand.
func (t *Template) IsStatic() bool {
	_, ok := t.root.(constNode)
	return ok
}

// Expand compiles and expands tmpl in one go. field names the template's field
// (Parameters, ResultSelector, ...) in the error for a template that does not compile.
// The interpreter's hot path should Compile once and call (*Template).Expand instead.
func Expand(tmpl any, env Env, field string) (any, error) {
	t, err := Compile(tmpl)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	return t.Expand(env)
}

func (n constNode) expand(*Env) (any, error) { return n.v, nil }

func (n *objectNode) expand(env *Env) (any, error) {
	out := jsonvalue.NewObject(len(n.keys))
	for i, k := range n.keys {
		v, err := n.nodes[i].expand(env)
		if err != nil {
			return nil, err
		}
		out.Set(k, v)
	}
	return out, nil
}

func (n *arrayNode) expand(env *Env) (any, error) {
	out := make([]any, len(n.nodes))
	for i, c := range n.nodes {
		v, err := c.expand(env)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (n *refNode) expand(env *Env) (any, error) {
	return n.ref.ResolveField(env, n.field)
}

func (n *callNode) expand(env *Env) (any, error) {
	saved := env.Field
	env.Field = n.field
	v, err := n.call.EvalEnv(env)
	env.Field = saved
	return v, err
}
