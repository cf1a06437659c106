package codecommitapi

import (
	"context"
	"net"
	"net/http"
	"strings"
)

type baseURLKey struct{}

// WithBaseURL records the scheme and host each request came to, so the clone
// URLs in responses point back at the address the client used (through a port
// mapping or proxy too). The router wraps the CodeCommit handler in it.
func WithBaseURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), baseURLKey{}, requestBaseURL(r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requestBaseURL is the scheme and Host of r, honouring X-Forwarded-Proto.
func requestBaseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	return scheme + "://" + r.Host
}

// cloneURL is where git reaches repository name: the configured public URL, the
// address the request came to, or the local address of the connection.
func (a *api) cloneURL(ctx context.Context, name string) string {
	base := strings.TrimSuffix(a.opts.PublicURL, "/")
	if base == "" {
		base, _ = ctx.Value(baseURLKey{}).(string)
	}
	if base == "" {
		if addr, ok := ctx.Value(http.LocalAddrContextKey).(net.Addr); ok {
			base = "http://" + addr.String()
		}
	}
	if base == "" {
		base = "http://localhost:4566"
	}
	return base + "/git/" + name
}
