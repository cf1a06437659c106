package intrinsic

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"stepline/asl/jsonpath"
)

// RefKind tells what a reference reads.
type RefKind uint8

// The reference kinds.
const (
	RefInput   RefKind = iota // $... on the state input
	RefContext                // $$... on the context object
	RefVar                    // $name... on a variable
)

// ErrNoVariable reports a reference to a variable that is not set.
var ErrNoVariable = errors.New("intrinsic: variable not defined")

// ErrBadReference is wrapped by ParseRef's errors.
var ErrBadReference = errors.New("intrinsic: invalid reference")

// Ref is a compiled JSONPath-mode reference: a path on the input, the context object
// or a variable. It is immutable once parsed.
type Ref struct {
	Kind RefKind
	Var  string         // the variable name for RefVar
	Path *jsonpath.Path // the path below the root ("$" for the root itself)
	text string
}

// ParseRef compiles "$.a", "$", "$$.Execution.Id", "$$", "$name" or "$name.a[0]".
func ParseRef(s string) (*Ref, error) {
	text := strings.TrimSpace(s)
	if !strings.HasPrefix(text, "$") {
		return nil, fmt.Errorf("%w: %q does not start with $", ErrBadReference, s)
	}
	r := &Ref{text: text}
	rest := text
	switch {
	case strings.HasPrefix(text, "$$"):
		r.Kind = RefContext
		rest = text[1:]
	case len(text) > 1 && text[1] != '.' && text[1] != '[':
		r.Kind = RefVar
		end := strings.IndexAny(text[1:], ".[")
		if end < 0 {
			end = len(text) - 1
		}
		r.Var = text[1 : 1+end]
		if !ValidVariableName(r.Var) {
			return nil, fmt.Errorf("%w: %q is not a valid variable name", ErrBadReference, r.Var)
		}
		rest = "$" + text[1+end:]
	}
	p, err := jsonpath.Compile(rest)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadReference, err)
	}
	r.Path = p
	return r, nil
}

// ValidVariableName reports whether name can be a variable: a letter or underscore,
// then letters, digits and underscores, at most 80 characters (AWS's Assign rules).
func ValidVariableName(name string) bool {
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return false
	}
	for i, r := range name {
		switch {
		case r == '_' || unicode.IsLetter(r):
		case i > 0 && unicode.IsDigit(r):
		default:
			return false
		}
	}
	return true
}

// String returns the reference as written.
func (r *Ref) String() string { return r.text }

// Resolve evaluates the reference. A path that matches nothing returns an error
// wrapping jsonpath.ErrNoResult; an unset variable one wrapping ErrNoVariable.
func (r *Ref) Resolve(env *Env) (any, error) {
	var doc any
	switch r.Kind {
	case RefInput:
		doc = env.Input
	case RefContext:
		doc = env.context()
	case RefVar:
		var ok bool
		if env.Var != nil {
			doc, ok = env.Var(r.Var)
		}
		if !ok {
			return nil, fmt.Errorf("%w: %s", ErrNoVariable, r.Var)
		}
	}
	if r.Path.IsRoot() {
		return doc, nil
	}
	return r.Path.Get(doc)
}

// ResolveField is Resolve with AWS's failure for a missing result, naming field.
func (r *Ref) ResolveField(env *Env, field string) (any, error) {
	v, err := r.Resolve(env)
	if err != nil {
		return nil, PathNotFound(r.text, field, env.Input, err)
	}
	return v, nil
}
