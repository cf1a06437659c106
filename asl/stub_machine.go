package asl

import (
	"errors"
	"time"
)

// This file holds placeholder signatures so that packages above asl compile while the
// interpreter is written; the interpreter's own files replace it.

var errNotImplemented = errors.New("asl: not implemented")

// Machine is a parsed state machine definition. Immutable; safe for concurrent use.
type Machine struct{}

// Parse parses a definition that validate accepted.
func Parse(definition string) (*Machine, error) { return nil, errNotImplemented }

// Step applies one Input to an execution's State at time now and reports what the
// engine must do next. Step is deterministic and does no I/O. s is nil for Start.
func (m *Machine) Step(s *State, in Input, now time.Time) (Decision, error) {
	return Decision{}, errNotImplemented
}

// State is the serializable snapshot of one execution inside the interpreter.
type State struct{}

// MarshalState encodes a State for the store.
func MarshalState(s *State) ([]byte, error) { return nil, errNotImplemented }

// UnmarshalState decodes what MarshalState wrote.
func UnmarshalState(b []byte) (*State, error) { return nil, errNotImplemented }

// NewTaskToken makes the task token of a task: opaque to users, decodable by the engine.
func NewTaskToken(executionARN, taskID string, nonce uint64) string { return "" }

// ParseTaskToken returns what NewTaskToken encoded, or an error for a foreign token.
func ParseTaskToken(token string) (executionARN, taskID string, err error) {
	return "", "", errNotImplemented
}
