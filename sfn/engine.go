package sfn

import "context"

// engine is the durable executor. Placeholder: the executor's files replace this one.
type engine struct{ s *Service }

func newEngine(s *Service) *engine                { return &engine{s: s} }
func (e *engine) start(ctx context.Context) error { return nil }
func (e *engine) stop()                           {}
