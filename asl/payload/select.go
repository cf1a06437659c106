package payload

import (
	"errors"
	"fmt"

	"stepline/asl/intrinsic"
)

// Selector is a compiled path field: InputPath, OutputPath, ItemsPath, ErrorPath, ...
// It is immutable and safe to share.
type Selector struct {
	ref   *intrinsic.Ref
	call  *intrinsic.Call // ErrorPath and CausePath may be intrinsic calls
	field string
}

// acceptsIntrinsic reports the path fields that also accept an intrinsic call.
func acceptsIntrinsic(field string) bool {
	return field == "ErrorPath" || field == "CausePath"
}

// CompileSelector compiles the path of a path field. field is the field's name as
// written in the definition ("InputPath", "ErrorPath", ...): it decides which failure
// wording AWS uses and whether an intrinsic call is allowed.
func CompileSelector(path, field string) (*Selector, error) {
	s := &Selector{field: field}
	if acceptsIntrinsic(field) && intrinsic.IsIntrinsic(path) {
		c, err := intrinsic.Parse(path)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrTemplate, field, err)
		}
		s.call = c
		return s, nil
	}
	r, err := intrinsic.ParseRef(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrTemplate, field, err)
	}
	s.ref = r
	return s, nil
}

// IsRoot reports whether the selector is "$", which selects the input itself.
func (s *Selector) IsRoot() bool {
	return s.ref != nil && s.ref.Kind == intrinsic.RefInput && s.ref.Path.IsRoot()
}

// String returns the path as written.
func (s *Selector) String() string {
	if s.call != nil {
		return s.call.String()
	}
	return s.ref.String()
}

// Select evaluates the selector. A path that matches nothing returns a *Failure worded
// as AWS words it for the field:
//
//   - InputPath, OutputPath, ItemsPath and the other *Path fields:
//     "Invalid path '$.x' : No results for path: $['x']"
//   - ErrorPath, CausePath: "The JSONPath '$.x' specified for the field 'ErrorPath'
//     could not be found in the input '<input>'"
//   - SecondsPath, TimestampPath: "The SecondsPath parameter does not reference an input
//     value: $.x"
func (s *Selector) Select(env Env) (any, error) {
	if s.call != nil {
		// A copy, so that only this branch moves an Env to the heap.
		e := env
		e.Field = s.field
		return s.call.EvalEnv(&e)
	}
	if s.ref.Kind == intrinsic.RefInput {
		v, err := s.ref.Path.Get(env.Input)
		if err != nil {
			return nil, s.notFound(env.Input, err)
		}
		return v, nil
	}
	e := env
	v, err := s.ref.Resolve(&e)
	if err == nil {
		return v, nil
	}
	return nil, s.notFound(env.Input, err)
}

func (s *Selector) notFound(input any, err error) *Failure {
	text := s.ref.String()
	switch s.field {
	case "ErrorPath", "CausePath":
		return intrinsic.PathNotFound(text, s.field, input, err)
	case "SecondsPath", "TimestampPath":
		return intrinsic.NewFailure(intrinsic.ErrorRuntime,
			"The "+s.field+" parameter does not reference an input value: "+text, err)
	}
	detail := err.Error()
	if errors.Is(err, intrinsic.ErrNoVariable) {
		detail = "No results for path: " + s.ref.Path.Normalized()
	}
	return intrinsic.NewFailure(intrinsic.ErrorRuntime, "Invalid path '"+text+"' : "+detail, err)
}

// Select evaluates a "$..." path on doc for field (see (*Selector).Select for the
// failures). It compiles path on every call; hot paths use CompileSelector.
func Select(path string, doc any, field string) (any, error) {
	return SelectEnv(path, Env{Input: doc}, field)
}

// SelectEnv is Select for paths that may also read the context object ($$) or
// variables ($name), which InputPath and OutputPath accept.
func SelectEnv(path string, env Env, field string) (any, error) {
	s, err := CompileSelector(path, field)
	if err != nil {
		return nil, err
	}
	return s.Select(env)
}
