// Package web is stepline's console: server-rendered pages over the same services the
// APIs use, with the stylesheet and the little JavaScript it needs embedded in the
// binary, so it works offline.
//
// Every page lives under Prefix. Each area of the console has its own file of
// handlers (statemachines.go, executions.go, activities.go, pipelines.go) and its
// own templates in templates/; a new area adds both and a line in routes.
package web

import (
	"embed"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"stepline/objects"
	"stepline/pipeline"
	"stepline/repos"
	"stepline/sfn"
)

// Prefix is the path the console is served under; it matches the server's
// ConsolePath.
const Prefix = "/_console"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Deps is what the console reads and changes.
type Deps struct {
	SFN       *sfn.Service      // required
	Pipelines *pipeline.Service // optional; nil: the pipelines page says the service is not running
	Objects   *objects.Service  // optional; nil: the buckets page says the object store is not running
	Repos     *repos.Service    // optional; nil: the repositories page says the service is not running
	Logger    *slog.Logger      // nil: slog.Default()
	// Region names the default artifact bucket and service role of a pipeline created
	// in the console; empty: us-east-1.
	Region string
	// RoleARN fills the role field of the create form; empty: a role in the default
	// account, since stepline checks only the ARN's shape.
	RoleARN string
}

// Console serves the console's pages. It is safe for concurrent use.
type Console struct {
	deps    Deps    // immutable after New
	pages   pageSet // parsed once in New
	mux     *http.ServeMux
	handler http.Handler // mux behind the cross-origin check
}

var _ http.Handler = (*Console)(nil)

// New returns the console handler. It answers requests whose path starts with
// Prefix; the caller routes them to it with the path unchanged. Should the console
// be unable to start (no Step Functions service), every page says why with a 503
// instead of the server failing.
func New(deps Deps) http.Handler {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	c, err := NewConsole(deps)
	if err != nil {
		deps.Logger.Error("console unavailable", "err", err)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "The console is unavailable: "+err.Error(), http.StatusServiceUnavailable)
		})
	}
	return c
}

// NewConsole is New for callers that want the error: a missing service or templates
// that do not parse.
func NewConsole(deps Deps) (*Console, error) {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.SFN == nil {
		return nil, errors.New("web: Deps.SFN is required")
	}
	if deps.Region == "" {
		deps.Region = "us-east-1"
	}
	if deps.RoleARN == "" {
		deps.RoleARN = "arn:aws:iam::000000000000:role/service-role/StepFunctions-Role"
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	c := &Console{deps: deps, pages: pages, mux: http.NewServeMux()}
	c.routes()
	// Forms change state, so a POST sent by another site's page is refused: the
	// console has no login to protect it otherwise.
	c.handler = http.NewCrossOriginProtection().Handler(c.mux)
	return c, nil
}

// routes registers every page. Paths hold ARNs as single segments: ARNs contain ':'
// but never '/'.
func (c *Console) routes() {
	m := c.mux
	m.Handle("GET "+Prefix+"/static/", http.StripPrefix(Prefix, staticHandler()))
	m.HandleFunc("GET "+Prefix+"/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/statemachines", http.StatusFound)
	})
	m.HandleFunc("GET "+Prefix, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/statemachines", http.StatusFound)
	})

	m.HandleFunc("GET "+Prefix+"/statemachines", c.handle(c.stateMachineList))
	m.HandleFunc("GET "+Prefix+"/statemachines/new", c.handle(c.stateMachineNew))
	m.HandleFunc("POST "+Prefix+"/statemachines/new", c.handle(c.stateMachineCreate))
	m.HandleFunc("GET "+Prefix+"/statemachines/{arn}", c.handle(c.stateMachinePage))
	m.HandleFunc("POST "+Prefix+"/statemachines/{arn}/executions", c.handle(c.executionStart))

	m.HandleFunc("GET "+Prefix+"/executions/{arn}", c.handle(c.executionPage))
	m.HandleFunc("GET "+Prefix+"/executions/{arn}/poll", c.handle(c.executionPoll))
	m.HandleFunc("POST "+Prefix+"/executions/{arn}/stop", c.handle(c.executionStop))

	m.HandleFunc("GET "+Prefix+"/activities", c.handle(c.activityList))

	m.HandleFunc("GET "+Prefix+"/pipelines", c.handle(c.pipelineList))
	m.HandleFunc("GET "+Prefix+"/pipelines/{name}", c.handle(c.pipelinePage))
	m.HandleFunc("GET "+Prefix+"/pipelines/{name}/release", c.handle(c.pipelineReleaseConfirm))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/release", c.handle(c.pipelineRelease))
	m.HandleFunc("GET "+Prefix+"/pipelines/{name}/poll", c.handle(c.pipelinePoll))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/stop", c.handle(c.pipelineStop))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/retry", c.handle(c.pipelineRetry))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/review", c.handle(c.pipelineReview))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/transition", c.handle(c.pipelineTransition))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/rollback", c.handle(c.pipelineRollback))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/override", c.handle(c.pipelineOverride))
	m.HandleFunc("GET "+Prefix+"/pipelines/{name}/json", c.handle(c.pipelineJSONPage))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/json", c.handle(c.pipelineJSONSave))
	m.HandleFunc("GET "+Prefix+"/pipelines/{name}/executions/{id}", c.handle(c.pipelineExecutionPage))
	m.HandleFunc("GET "+Prefix+"/new/pipeline", c.handle(c.pipelineNew))
	m.HandleFunc("POST "+Prefix+"/new/pipeline", c.handle(c.pipelineCreate))

	m.HandleFunc("GET "+Prefix+"/buckets", c.handle(c.bucketList))
	m.HandleFunc("GET "+Prefix+"/buckets/{bucket}", c.handle(c.bucketPage))
	m.HandleFunc("GET "+Prefix+"/buckets/{bucket}/object", c.handle(c.objectPage))
	m.HandleFunc("GET "+Prefix+"/buckets/{bucket}/download", c.handle(c.objectDownload))
	m.HandleFunc("GET "+Prefix+"/repositories", c.handle(c.repoList))
	m.HandleFunc("GET "+Prefix+"/repositories/{repo}", c.handle(c.repoPage))
	m.HandleFunc("GET "+Prefix+"/repositories/{repo}/tree", c.handle(c.repoTreePage))
	m.HandleFunc("GET "+Prefix+"/repositories/{repo}/file", c.handle(c.repoFilePage))
	m.HandleFunc("GET "+Prefix+"/pipelines/{name}/edit", c.handle(c.pipelineEdit))
	m.HandleFunc("POST "+Prefix+"/pipelines/{name}/edit", c.handle(c.pipelineEditPost))

	m.HandleFunc(Prefix+"/", c.handle(func(w http.ResponseWriter, r *http.Request) error {
		return notFound("There is no page at this address.")
	}))
}

// ServeHTTP serves one console request.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	c.handler.ServeHTTP(w, r)
}

// staticHandler serves the embedded stylesheet and scripts.
func staticHandler() http.Handler {
	fs := http.FileServerFS(staticFS)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		// The files change only with the binary; a short cache keeps reloads cheap
		// without serving a stale stylesheet for long after an upgrade.
		w.Header().Set("Cache-Control", "public, max-age=300")
		fs.ServeHTTP(w, r)
	})
}
