// Package server is stepline's single HTTP front door: every API and the console share
// one port, and this handler sends each request to the service it is for.
//
// Routing follows DESIGN.md §1: a POST with X-Amz-Target is an AWS JSON call, routed by
// the target's prefix (AWSStepFunctions.*, CodePipeline_20150709.*,
// CodeCommit_20150413.*); GET /healthz is the health check; everything else belongs to
// git smart HTTP, CodePipeline webhook URLs, the S3 REST API or the console. Any Host
// header is accepted, because the SDKs prepend "sync-" to the endpoint's host for
// StartSyncExecution and TestState.
package server

import (
	"log/slog"
	"net/http"
	"strings"
)

// Target prefixes of the AWS JSON services, as the SDKs send them in X-Amz-Target.
const (
	TargetStepFunctions = "AWSStepFunctions."
	TargetCodePipeline  = "CodePipeline_20150709."
	TargetCodeCommit    = "CodeCommit_20150413."
)

// ConsolePath is where the console lives: a path no S3 bucket name can take, because
// bucket names have neither "_" nor capitals.
const ConsolePath = "/_console/"

// WebhookPath is where CodePipeline webhook URLs live, for the same reason.
const WebhookPath = "/_webhooks/"

// Config names the handler of each service. A nil handler means the service is not
// served; its requests get AWS's UnknownOperationException (JSON) or 404.
type Config struct {
	StepFunctions http.Handler // AWSStepFunctions.* (awsJson 1.0)
	CodePipeline  http.Handler // CodePipeline_20150709.* (awsJson 1.1)
	CodeCommit    http.Handler // CodeCommit_20150413.* (awsJson 1.1)
	Git           http.Handler // git smart HTTP, for requests GitMatch accepts
	GitMatch      func(*http.Request) bool
	S3            http.Handler // S3 REST: any request that is none of the above
	Console       http.Handler // everything under ConsolePath; "/" in a browser redirects there
	Webhooks      http.Handler // CodePipeline webhook URLs, everything under WebhookPath
	Logger        *slog.Logger
}

// Handler routes requests to the services of a Config.
type Handler struct {
	cfg Config // immutable after New
}

var _ http.Handler = (*Handler)(nil)

// New returns the handler for cfg.
func New(cfg Config) *Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Handler{cfg: cfg}
}

// ServeHTTP routes one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		h.serveTarget(w, r, target)
		return
	}
	switch {
	case r.URL.Path == "/healthz" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok\n"))
	case h.cfg.Git != nil && h.cfg.GitMatch != nil && h.cfg.GitMatch(r):
		h.cfg.Git.ServeHTTP(w, r)
	case strings.HasPrefix(r.URL.Path, WebhookPath) && h.cfg.Webhooks != nil:
		h.cfg.Webhooks.ServeHTTP(w, r)
	case strings.HasPrefix(r.URL.Path, ConsolePath) && h.cfg.Console != nil:
		h.cfg.Console.ServeHTTP(w, r)
	case r.URL.Path == "/" && r.Method == http.MethodGet && h.cfg.Console != nil && isBrowser(r):
		http.Redirect(w, r, ConsolePath, http.StatusFound)
	case h.cfg.S3 != nil:
		h.cfg.S3.ServeHTTP(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (h *Handler) serveTarget(w http.ResponseWriter, r *http.Request, target string) {
	var next http.Handler
	switch {
	case strings.HasPrefix(target, TargetStepFunctions):
		next = h.cfg.StepFunctions
	case strings.HasPrefix(target, TargetCodePipeline):
		next = h.cfg.CodePipeline
	case strings.HasPrefix(target, TargetCodeCommit):
		next = h.cfg.CodeCommit
	}
	if next == nil {
		unknownOperation(w, target)
		return
	}
	next.ServeHTTP(w, r)
}

// unknownOperation answers a target no service here handles, in the awsJson error
// shape the SDKs parse.
func unknownOperation(w http.ResponseWriter, target string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-ErrorType", "UnknownOperationException")
	w.WriteHeader(http.StatusBadRequest)
	msg := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(target)
	_, _ = w.Write([]byte(`{"__type":"UnknownOperationException","message":"Unknown operation ` + msg + `"}`))
}

// isBrowser reports whether a request for "/" comes from a browser (which asks for
// HTML) rather than an S3 client listing buckets.
func isBrowser(r *http.Request) bool {
	return r.Header.Get("Authorization") == "" && strings.Contains(r.Header.Get("Accept"), "text/html")
}
