package awsjson

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/google/uuid"

	"stepline"
	"stepline/api/sigv4"
)

// MaxBodyBytesDefault bounds a request body when Config.MaxBodyBytes is 0.
// The largest legitimate Step Functions request, a 1 MB definition, stays
// under it even when every character is JSON-escaped.
const MaxBodyBytesDefault = 8 << 20

// Config describes one AWS JSON service.
type Config struct {
	// TargetPrefix is the part of X-Amz-Target before the dot, for example
	// "AWSStepFunctions" or "CodePipeline_20150709".
	TargetPrefix string
	// JSONVersion is "1.0" or "1.1"; it only changes the response
	// Content-Type, the two protocols encode bodies alike.
	JSONVersion string
	// ErrorNamespace prefixes the codes of the service's own errors in
	// "__type", for example "com.amazonaws.swf.service.v2.model".
	ErrorNamespace string
	// MaxBodyBytes bounds the request body; 0 means MaxBodyBytesDefault.
	MaxBodyBytes int64
	// DefaultIdentity gives the account, and the region of unsigned
	// requests.
	DefaultIdentity stepline.Identity
	// Logger receives internal failures and recovered panics; nil discards.
	Logger *slog.Logger
	// Verifier checks signatures; nil accepts any request, signed or not,
	// as the default account.
	Verifier sigv4.Verifier
}

// Service serves the operations of one AWS JSON service. Register every
// operation with Handle before serving; ServeHTTP is safe for concurrent use.
type Service struct {
	cfg         Config
	contentType string
	log         *slog.Logger

	mu  sync.RWMutex
	ops map[string]operation // guarded by mu
}

// operation runs one registered operation on a raw request body.
type operation func(ctx context.Context, body []byte) (any, error)

// NewService returns a Service with no operations.
func NewService(cfg Config) *Service {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = MaxBodyBytesDefault
	}
	if cfg.JSONVersion == "" {
		cfg.JSONVersion = "1.0"
	}
	if cfg.DefaultIdentity.Partition == "" {
		cfg.DefaultIdentity.Partition = "aws"
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{
		cfg:         cfg,
		contentType: "application/x-amz-json-" + cfg.JSONVersion,
		log:         log,
		ops:         map[string]operation{},
	}
}

// Handle registers fn as the operation op (the name after the dot in
// X-Amz-Target). The request body is decoded into a new In, unknown members
// ignored as AWS does; if *In has a Validate() error method (the generated
// wire types do) it runs before fn, so fn only sees input that meets the
// model's constraints. A nil *Out is sent as "{}".
func Handle[In any, Out any](s *Service, op string, fn func(ctx context.Context, in *In) (*Out, error)) {
	run := func(ctx context.Context, body []byte) (any, error) {
		in := new(In)
		if err := decodeInput(body, in); err != nil {
			return nil, err
		}
		if v, ok := any(in).(interface{ Validate() error }); ok {
			if err := v.Validate(); err != nil {
				return nil, err
			}
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return nil, nil
		}
		return out, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ops[op] = run
}

// Operations lists the registered operation names, for routing and
// diagnostics.
func (s *Service) Operations() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.ops))
	for name := range s.ops {
		names = append(names, name)
	}
	return names
}

// Matches reports whether an X-Amz-Target header belongs to this service, so
// a server sharing one port among services can route on it.
func (s *Service) Matches(target string) bool {
	prefix, _, ok := strings.Cut(target, ".")
	return ok && prefix == s.cfg.TargetPrefix
}

// ServeHTTP answers one AWS JSON request. Every response carries an
// X-Amzn-RequestId; every failure is an AWS error body, never a bare status.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := uuid.NewString()
	w.Header().Set("X-Amzn-RequestId", reqID)
	ctx := contextWithRequestID(r.Context(), reqID)

	op, ok := s.lookup(r)
	if !ok {
		s.writeError(w, r, &stepline.Error{Code: CodeUnknownOperation})
		return
	}
	body, err := s.readBody(w, r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	id, err := s.identify(r, body)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	ctx = stepline.ContextWithIdentity(ctx, id)
	resp, err := s.call(ctx, op, body)
	if err != nil {
		s.writeError(w, r.WithContext(ctx), err)
		return
	}
	s.writeJSON(w, resp)
}

// lookup finds the operation named by X-Amz-Target. AWS answers a missing
// or foreign target, and any method but POST, with UnknownOperationException.
func (s *Service) lookup(r *http.Request) (operation, bool) {
	if r.Method != http.MethodPost {
		return nil, false
	}
	prefix, name, ok := strings.Cut(r.Header.Get("X-Amz-Target"), ".")
	if !ok || prefix != s.cfg.TargetPrefix {
		return nil, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	op, ok := s.ops[name]
	return op, ok
}

// readBody reads the whole body within the configured limit.
func (s *Service) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return nil, errTooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, errTooLarge()
	case err != nil:
		// The client went away or sent a broken chunked body.
		return nil, &stepline.Error{Code: CodeSerializationException, Message: "Unable to read the request body"}
	}
	return body, nil
}

// call runs op and encodes its output, turning a panic in either into an
// internal failure so one bad request cannot take the server down.
func (s *Service) call(ctx context.Context, op operation, body []byte) (resp []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(ctx, "operation panicked",
				"request_id", RequestIDFrom(ctx), "panic", p, "stack", string(debug.Stack()))
			resp, err = nil, errPanic
		}
	}()
	out, err := op(ctx, body)
	if err != nil {
		return nil, err
	}
	return encodeOutput(out)
}

// encodeOutput renders a success body: compact JSON without HTML escaping,
// "{}" for an empty output.
func encodeOutput(v any) ([]byte, error) {
	if v == nil {
		return []byte("{}"), nil
	}
	var buf bytes.Buffer
	if err := newEncoder(&buf).Encode(v); err != nil {
		return nil, fmt.Errorf("encode output: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// writeJSON sends a success response.
func (s *Service) writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", s.contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
