// Package stepline holds the domain vocabulary shared by every layer: the error type
// reported to API callers and, as they are added, the domain types. It imports only
// the standard library.
package stepline

import "fmt"

// Error is an error reported to API callers verbatim: Code is the AWS error code
// (for example "ExecutionDoesNotExist"), Message its text. Status is the HTTP status
// (0 means 400, AWS's status for client errors). Any other error reaching the API
// layer becomes an InternalFailure 500 and is only logged.
type Error struct {
	Code    string
	Message string
	Status  int
	// Fields are extra members AWS puts beside "message" (for example "resourceName"
	// on ResourceNotFound, "reason" on ValidationException).
	Fields map[string]any
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
