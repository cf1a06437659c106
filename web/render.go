package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"stepline"
)

// pageSet holds one template per page, each the layout plus the page's own file.
type pageSet map[string]*template.Template

// parsePages parses the layout with every page file. Files whose name starts with "_"
// are partials shared by all pages.
func parsePages() (pageSet, error) {
	entries, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	var shared, pages []string
	for _, e := range entries {
		if strings.HasPrefix(path.Base(e), "_") {
			shared = append(shared, e)
		} else {
			pages = append(pages, e)
		}
	}
	base, err := template.New("base").Funcs(funcs()).ParseFS(templateFS, shared...)
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	set := pageSet{}
	for _, p := range pages {
		t, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout: %w", err)
		}
		if _, err := t.ParseFS(templateFS, p); err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		set[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return set, nil
}

// view is what every page template receives: the layout's fields and the page's own
// data in Body.
type view struct {
	Title  string  // the page's heading and the document title
	Nav    string  // the navigation entry to highlight: "statemachines", "activities", "pipelines"
	Crumbs []crumb // the path to this page, the page itself last (without a link)
	Body   any
}

// crumb is one breadcrumb.
type crumb struct {
	Text string
	Href string // empty for the current page
}

// render writes a page with status 200 (or status, when not zero). Rendering into a
// buffer first means a template error becomes a clean error page, not half a page.
func (c *Console) render(w http.ResponseWriter, status int, page string, v view) error {
	t, ok := c.pages[page]
	if !ok {
		return fmt.Errorf("no template for page %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if status != 0 {
		w.WriteHeader(status)
	}
	_, _ = w.Write(buf.Bytes())
	return nil
}

// httpError is an error with the status and message a user should see.
type httpError struct {
	Status  int
	Message string
}

func (e *httpError) Error() string { return e.Message }

func notFound(msg string) error { return &httpError{Status: http.StatusNotFound, Message: msg} }

// handle adapts a handler that returns an error: service errors (*stepline.Error) are
// shown to the user with their code, anything else is logged and shown as an
// internal error, as the API does.
func (c *Console) handle(h func(http.ResponseWriter, *http.Request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		status, title, msg := http.StatusInternalServerError, "Something went wrong", "The console could not load this page; the server log has the details."
		var he *httpError
		var se *stepline.Error
		switch {
		case errors.As(err, &he):
			status, title, msg = he.Status, http.StatusText(he.Status), he.Message
		case errors.As(err, &se):
			status, title, msg = serviceStatus(se), se.Code, se.Message
		default:
			c.deps.Logger.Error("console page", "path", r.URL.Path, "err", err)
		}
		if strings.HasSuffix(r.URL.Path, "/poll") {
			writeJSON(w, status, map[string]string{"error": msg})
			return
		}
		if rerr := c.render(w, status, "error", view{Title: title, Body: msg}); rerr != nil {
			c.deps.Logger.Error("console error page", "err", rerr)
			http.Error(w, msg, status)
		}
	}
}

// serviceStatus is the HTTP status of a service error: missing resources are 404,
// other client errors 400.
func serviceStatus(e *stepline.Error) int {
	if e.Status != 0 {
		return e.Status
	}
	if strings.HasSuffix(e.Code, "DoesNotExist") || strings.Contains(e.Code, "NotFound") {
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}
