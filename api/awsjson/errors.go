package awsjson

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"stepline"
)

// Namespaces AWS's front end puts in "__type" for errors it raises before
// the service's own code runs.
const (
	namespaceValidate = "com.amazon.coral.validate"
	namespaceService  = "com.amazon.coral.service"
)

// CodeRequestEntityTooLarge is a body over Config.MaxBodyBytes.
const CodeRequestEntityTooLarge = "RequestEntityTooLargeException"

// errPanic stands for a recovered panic; it is internal, so callers only
// ever see InternalFailure.
var errPanic = errors.New("operation panicked")

func errTooLarge() *stepline.Error {
	// AWS's front end refuses an oversized body with HTTP 413 before any
	// service code runs.
	return &stepline.Error{
		Code:    CodeRequestEntityTooLarge,
		Message: "Request Entity Too Large",
		Status:  http.StatusRequestEntityTooLarge,
	}
}

// namespace returns the "__type" prefix for an error code: the protocol's
// own errors are the front end's, the rest the service's.
func (s *Service) namespace(code string) string {
	switch code {
	case CodeValidationException:
		return namespaceValidate
	case CodeSerializationException, CodeUnknownOperation, CodeRequestEntityTooLarge, CodeInternalFailure,
		"MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidSignatureException",
		"UnrecognizedClientException":
		return namespaceService
	}
	return s.cfg.ErrorNamespace
}

// writeError sends err as an AWS error response. Only a *stepline.Error is
// shown to the caller; anything else is logged and reported as
// InternalFailure (HTTP 500) without detail.
func (s *Service) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var se *stepline.Error
	if !errors.As(err, &se) {
		ctx := context.Background()
		if r != nil {
			ctx = r.Context()
		}
		if !errors.Is(err, errPanic) && !errors.Is(err, context.Canceled) {
			s.log.ErrorContext(ctx, "operation failed", "request_id", RequestIDFrom(ctx), "err", err)
		}
		se = &stepline.Error{Code: CodeInternalFailure, Status: http.StatusInternalServerError}
	}
	status := se.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	body := make(map[string]any, len(se.Fields)+2)
	for k, v := range se.Fields {
		body[k] = v
	}
	typ := se.Code
	if ns := s.namespace(se.Code); ns != "" {
		typ = ns + "#" + se.Code
	}
	body["__type"] = typ
	if se.Message != "" {
		body["message"] = se.Message
	}
	var buf bytes.Buffer
	if err := newEncoder(&buf).Encode(body); err != nil {
		// Fields held something unencodable: drop them rather than fail.
		buf.Reset()
		_ = newEncoder(&buf).Encode(map[string]string{"__type": typ, "message": se.Message})
	}
	w.Header().Set("Content-Type", s.contentType)
	w.Header().Set("X-Amzn-ErrorType", se.Code)
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
