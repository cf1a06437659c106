package githttp

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"stepline"
	"stepline/repos"
)

// Services a client may ask for, named as git names them.
const (
	serviceUploadPack  = "git-upload-pack"
	serviceReceivePack = "git-receive-pack"
)

// pathPrefix is where repositories are served.
const pathPrefix = "/git/"

// agent is the agent capability value this server advertises.
const agent = "agent=stepline"

// Handler serves git smart HTTP for the repositories of one repos.Service.
type Handler struct {
	svc   *repos.Service // immutable
	log   *slog.Logger
	creds *Credentials // immutable; nil accepts any credentials
}

// Config configures a Handler.
type Config struct {
	// Credentials, when set, are the only ones accepted; nil accepts any
	// credentials, or none.
	Credentials *Credentials
	// Logger receives failures of the server itself; nil means slog's default.
	Logger *slog.Logger
}

// New returns a handler serving svc's repositories under /git/ to anyone.
// Failures of the server itself go to slog's default logger.
func New(svc *repos.Service) http.Handler {
	return NewWithConfig(svc, Config{})
}

// NewWithConfig returns a handler serving svc's repositories under /git/ as cfg says.
func NewWithConfig(svc *repos.Service, cfg Config) http.Handler {
	h := &Handler{svc: svc, log: cfg.Logger, creds: cfg.Credentials}
	if h.log == nil {
		h.log = slog.Default()
	}
	return h
}

var _ http.Handler = (*Handler)(nil)

// Matches reports whether r is a git smart HTTP request for this package, so a
// router sharing one port with the AWS APIs can send it here.
func Matches(r *http.Request) bool {
	_, _, ok := split(r.URL.Path)
	return ok
}

// split parses /git/<name>/<action> into the repository name and the action
// ("info/refs", "git-upload-pack" or "git-receive-pack"). A ".git" suffix on the
// name is dropped, as git users often add one; CodeCommit names cannot end so.
func split(p string) (name, action string, ok bool) {
	rest, ok := strings.CutPrefix(p, pathPrefix)
	if !ok {
		return "", "", false
	}
	for _, a := range []string{"info/refs", serviceUploadPack, serviceReceivePack} {
		if n, found := strings.CutSuffix(rest, "/"+a); found && n != "" && !strings.Contains(n, "/") {
			return strings.TrimSuffix(n, ".git"), a, true
		}
	}
	return "", "", false
}

// ServeHTTP answers one git request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, action, ok := split(r.URL.Path)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache, max-age=0, must-revalidate")
	w.Header().Set("Pragma", "no-cache")
	if h.creds != nil && !h.creds.allows(r) {
		challenge(w)
		return
	}
	repo, err := h.svc.Open(r.Context(), name)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	defer repo.Close()
	switch {
	case action == "info/refs" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		err = h.infoRefs(w, r, repo)
	case action == serviceUploadPack && r.Method == http.MethodPost && wantsV2(r):
		err = h.uploadPackV2(w, r, repo)
	case action == serviceUploadPack && r.Method == http.MethodPost:
		err = h.uploadPack(w, r, repo)
	case action == serviceReceivePack && r.Method == http.MethodPost:
		err = h.receivePack(w, r, repo)
	default:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err != nil {
		h.fail(w, r, err)
	}
}

// errBadRequest marks a malformed request: the client's fault, answered 400.
var errBadRequest = errors.New("bad request")

func badRequest(format string, args ...any) error {
	return fmt.Errorf("%w: %s", errBadRequest, fmt.Sprintf(format, args...))
}

// fail answers an error that happened before the response started. Once a
// response is under way there is nothing better to do than log and stop.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	var se *stepline.Error
	switch {
	case errors.As(err, &se) && (se.Code == repos.CodeRepositoryDoesNotExist || se.Code == repos.CodeInvalidRepositoryName):
		http.Error(w, "Repository not found.", http.StatusNotFound)
	case errors.As(err, &se):
		http.Error(w, se.Message, http.StatusBadRequest)
	case errors.Is(err, errBadRequest):
		http.Error(w, err.Error(), http.StatusBadRequest)
	case errors.Is(err, errStarted):
		h.log.WarnContext(r.Context(), "git request failed", "path", r.URL.Path, "err", err)
	default:
		h.log.ErrorContext(r.Context(), "git request failed", "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// errStarted marks a failure after the response began.
var errStarted = errors.New("response already started")

// body returns the request body, inflated when the client gzipped it (git does
// for large fetch negotiations: Content-Encoding: gzip).
func body(r *http.Request) (io.ReadCloser, error) {
	switch enc := strings.ToLower(r.Header.Get("Content-Encoding")); enc {
	case "", "identity":
		return r.Body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, badRequest("gzip body: %v", err)
		}
		return zr, nil
	default:
		return nil, badRequest("unsupported Content-Encoding %q", enc)
	}
}
