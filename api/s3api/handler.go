package s3api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"stepline"
	"stepline/api/sigv4"
	"stepline/objects"
)

// Config adjusts the handler. The zero value serves path-style requests and
// virtual-host-style requests for hosts under "localhost" and AWS's S3 domains.
type Config struct {
	// DefaultIdentity is the account and region of unsigned requests; requests
	// signed for another region act in that region.
	DefaultIdentity stepline.Identity
	// VirtualHostSuffixes are the domains under which "<bucket>.<suffix>" names a
	// bucket. nil means VirtualHostSuffixesDefault.
	VirtualHostSuffixes []string
	Logger              *slog.Logger
	// Now is the clock for presigned URL expiry; nil means time.Now.
	Now func() time.Time
	// Verifier, when set, turns authentication on: every request must be signed
	// by a key it knows, and acts in that key's account. nil accepts any signature.
	Verifier sigv4.Verifier
}

// VirtualHostSuffixesDefault are the virtual-host domains served when Config has none.
var VirtualHostSuffixesDefault = []string{"localhost", "s3.amazonaws.com", "s3.localhost.localstack.cloud"}

// Handler serves the S3 REST API.
type Handler struct {
	objects  *objects.Service // immutable
	id       stepline.Identity
	suffixes []string
	log      *slog.Logger
	now      func() time.Time
	verifier sigv4.Verifier // nil: authentication off
}

var _ http.Handler = (*Handler)(nil)

// New returns the S3 handler over svc.
func New(svc *objects.Service, cfg Config) *Handler {
	h := &Handler{objects: svc, id: cfg.DefaultIdentity, suffixes: cfg.VirtualHostSuffixes, log: cfg.Logger, now: cfg.Now, verifier: cfg.Verifier}
	if h.suffixes == nil {
		h.suffixes = VirtualHostSuffixesDefault
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.id.Account == "" {
		h.id.Account = "000000000000"
	}
	if h.id.Region == "" {
		h.id.Region = "us-east-1"
	}
	return h
}

// Matches reports whether r is an S3 request by DESIGN.md §1's rule: anything that
// is not an AWS JSON call (X-Amz-Target), not under the console's path (which has
// a "_" no bucket name can have) and not git smart HTTP. api/server applies the
// same rule; this is the S3 side of it.
func Matches(r *http.Request) bool {
	if r.Header.Get("X-Amz-Target") != "" || strings.HasPrefix(r.URL.Path, "/_") {
		return false
	}
	q := r.URL.Query()
	p := r.URL.Path
	if strings.HasSuffix(p, "/info/refs") && strings.HasPrefix(q.Get("service"), "git-") {
		return false
	}
	if strings.HasSuffix(p, "/git-upload-pack") || strings.HasSuffix(p, "/git-receive-pack") {
		return r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-git-")
	}
	return true
}

// request is one S3 request's addressing and caller.
type request struct {
	*http.Request
	bucket string
	key    string
	query  url.Values
	id     stepline.Identity
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	w.Header().Set("x-amz-request-id", reqID)
	w.Header().Set("x-amz-id-2", reqID)
	w.Header().Set("Server", "AmazonS3")
	req, err := h.parse(r)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if err := h.route(w, req); err != nil {
		h.writeError(w, r, err)
	}
}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// parse finds the bucket and key (virtual-host style when the Host names a bucket
// under a configured suffix, else path style) and the caller's identity.
func (h *Handler) parse(r *http.Request) (*request, error) {
	req := &request{Request: r, query: r.URL.Query(), id: h.id}
	if strings.HasPrefix(r.Header.Get("Authorization"), sigv4.Algorithm) || r.URL.Query().Has("X-Amz-Algorithm") {
		if code, msg := sigv4.Problem(r); code != "" {
			if r.Header.Get("Authorization") != "" {
				return nil, &stepline.Error{Code: "AuthorizationHeaderMalformed", Status: http.StatusBadRequest, Message: msg}
			}
			return nil, &stepline.Error{Code: "AuthorizationQueryParametersError", Status: http.StatusBadRequest, Message: msg}
		}
	}
	cred, credErr := sigv4.FromRequest(r)
	if h.verifier != nil {
		account, err := h.authenticate(r, cred, credErr)
		if err != nil {
			return nil, err
		}
		req.id.Account = account
	}
	// With authentication off a credential only tells the region and, for a
	// presigned URL, when it expires; other signature schemes are let through.
	if credErr == nil {
		req.id.Region = cred.Region
		if cred.Presigned && cred.Expires > 0 && h.now().After(cred.RequestTime.Add(cred.Expires)) {
			return nil, &stepline.Error{Code: codeAccessDenied, Status: http.StatusForbidden, Message: "Request has expired",
				Fields: map[string]any{"X-Amz-Expires": fmt.Sprint(int(cred.Expires.Seconds())),
					"Expires":    cred.RequestTime.Add(cred.Expires).UTC().Format(time.RFC3339),
					"ServerTime": h.now().UTC().Format(time.RFC3339)}}
		}
	}
	path := r.URL.Path
	if raw := r.URL.EscapedPath(); raw != "" {
		// Keys may hold "%2F" and other escapes; PathUnescape keeps "+" as is.
		if p, err := url.PathUnescape(raw); err == nil {
			path = p
		}
	}
	if b := h.hostBucket(r.Host); b != "" {
		req.bucket = b
		req.key = strings.TrimPrefix(path, "/")
		return req, nil
	}
	rest := strings.TrimPrefix(path, "/")
	req.bucket, req.key, _ = strings.Cut(rest, "/")
	return req, nil
}

// hostBucket returns the bucket a virtual-host-style Host names, or "".
func (h *Handler) hostBucket(host string) string {
	if hst, _, err := net.SplitHostPort(host); err == nil {
		host = hst
	}
	host = strings.ToLower(host)
	for _, suf := range h.suffixes {
		if b, ok := strings.CutSuffix(host, "."+suf); ok && objects.ValidBucketName(b) {
			return b
		}
		// Regional AWS endpoints: bucket.s3.us-west-2.amazonaws.com.
		if suf == "s3.amazonaws.com" {
			if i := strings.Index(host, ".s3."); i > 0 && strings.HasSuffix(host, ".amazonaws.com") {
				return host[:i]
			}
		}
	}
	return ""
}

// unsupported are subresources this server does not implement; a request naming
// one is refused whole rather than misread as a plain object or bucket request.
var unsupported = []string{"acl", "tagging", "policy", "policyStatus", "lifecycle", "cors", "website", "encryption",
	"replication", "logging", "notification", "accelerate", "requestPayment", "object-lock", "retention", "legal-hold",
	"ownershipControls", "publicAccessBlock", "intelligent-tiering", "inventory", "metrics", "analytics", "torrent",
	"restore", "select", "attributes", "session", "renameObject", "metadataTable", "abac"}

// unsupportedHeaders imply features objects cannot honour.
var unsupportedHeaders = []string{"x-amz-tagging", "x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date",
	"x-amz-object-lock-legal-hold", "x-amz-server-side-encryption-customer-algorithm", "x-amz-website-redirect-location",
	"x-amz-write-offset-bytes", "If-None-Match:POST", "If-Match:POST"}

// route dispatches by method, addressing and subresource.
func (h *Handler) route(w http.ResponseWriter, r *request) error {
	for _, sub := range unsupported {
		if r.query.Has(sub) {
			return errNotImplemented("?" + sub)
		}
	}
	for _, hd := range unsupportedHeaders {
		name, method, scoped := strings.Cut(hd, ":")
		if r.Header.Get(name) != "" && (!scoped || r.Method == method) {
			return errNotImplemented(name)
		}
	}
	switch {
	case r.bucket == "":
		if r.Method == http.MethodGet {
			return h.listBuckets(w, r)
		}
		return errMethodNotAllowed(r.Method, "SERVICE")
	case r.key == "":
		return h.routeBucket(w, r)
	default:
		if err := objects.ValidateKey(r.key); err != nil {
			return err
		}
		return h.routeObject(w, r)
	}
}

func errMethodNotAllowed(method, resource string) *stepline.Error {
	return &stepline.Error{Code: objects.CodeMethodNotAllowed, Status: http.StatusMethodNotAllowed,
		Message: "The specified method is not allowed against this resource.", Fields: map[string]any{"Method": method, "ResourceType": resource}}
}

func (h *Handler) routeBucket(w http.ResponseWriter, r *request) error {
	q := r.query
	switch r.Method {
	case http.MethodPut:
		if q.Has("versioning") {
			return h.putBucketVersioning(w, r)
		}
		return h.createBucket(w, r)
	case http.MethodHead:
		return h.headBucket(w, r)
	case http.MethodDelete:
		return h.deleteBucket(w, r)
	case http.MethodPost:
		if q.Has("delete") {
			return h.deleteObjects(w, r)
		}
	case http.MethodGet:
		switch {
		case q.Has("location"):
			return h.getBucketLocation(w, r)
		case q.Has("versioning"):
			return h.getBucketVersioning(w, r)
		case q.Has("versions"):
			return h.listObjectVersions(w, r)
		case q.Has("uploads"):
			return h.listMultipartUploads(w, r)
		case q.Get("list-type") == "2":
			return h.listObjectsV2(w, r)
		default:
			return h.listObjectsV1(w, r)
		}
	}
	return errMethodNotAllowed(r.Method, "BUCKET")
}

func (h *Handler) routeObject(w http.ResponseWriter, r *request) error {
	q := r.query
	switch r.Method {
	case http.MethodPut:
		switch {
		case q.Has("uploadId") && r.Header.Get("x-amz-copy-source") != "":
			return h.uploadPartCopy(w, r)
		case q.Has("uploadId"):
			return h.uploadPart(w, r)
		case r.Header.Get("x-amz-copy-source") != "":
			return h.copyObject(w, r)
		default:
			return h.putObject(w, r)
		}
	case http.MethodGet:
		if q.Has("uploadId") {
			return h.listParts(w, r)
		}
		return h.getObject(w, r, true)
	case http.MethodHead:
		return h.getObject(w, r, false)
	case http.MethodDelete:
		if q.Has("uploadId") {
			return h.abortMultipartUpload(w, r)
		}
		return h.deleteObject(w, r)
	case http.MethodPost:
		switch {
		case q.Has("uploads"):
			return h.createMultipartUpload(w, r)
		case q.Has("uploadId"):
			return h.completeMultipartUpload(w, r)
		}
	}
	return errMethodNotAllowed(r.Method, "OBJECT")
}
