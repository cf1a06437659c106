// Package servertest runs a whole stepline server in-process for tests: a fresh SQLite
// database in a temporary directory, the services started, and an HTTP server on a
// loopback port. It also builds AWS SDK clients pointed at it, so tests drive the
// server the way users do.
package servertest

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"stepline"
	"stepline/api/server"
	"stepline/api/sfnapi"
	"stepline/internal/clock"
	"stepline/sfn"
	"stepline/store"
	"stepline/store/sqlite"
)

// Region and Account are the identity a Server's requests act as.
const (
	Region  = "us-east-1"
	Account = "000000000000"
)

// Server is a running in-process stepline.
type Server struct {
	URL   string       // the API endpoint, http://127.0.0.1:port
	SFN   *sfn.Service // the Step Functions service behind the API
	Store store.Store  // the SQLite store
}

// Options adjust Start. The zero value is the usual server.
type Options struct {
	Clock clock.Clock // nil: the real clock
}

// Start runs a server for the duration of tb and stops it at cleanup.
func Start(tb testing.TB, opts ...Options) *Server {
	tb.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "stepline.db"))
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	id := stepline.Identity{Account: Account, Region: Region, Partition: "aws"}
	svc := sfn.New(st, sfn.Config{Identity: id, NodeID: "servertest", Clock: o.Clock})
	if err := svc.Start(context.Background()); err != nil {
		_ = st.Close()
		tb.Fatalf("start sfn: %v", err)
	}
	h := server.New(server.Config{StepFunctions: sfnapi.New(svc, sfnapi.Config{DefaultIdentity: id})})
	hs := httptest.NewServer(h)
	tb.Cleanup(func() {
		hs.Close()
		svc.Stop()
		if err := st.Close(); err != nil {
			tb.Errorf("close store: %v", err)
		}
	})
	return &Server{URL: hs.URL, SFN: svc, Store: st}
}

// SFNClient returns an AWS SDK Step Functions client for the server, with static
// test credentials in Region. The SDK prepends "sync-" to the endpoint's host for
// StartSyncExecution and TestState; the client's dialer drops that prefix, so those
// calls reach the server with the prefixed Host header, as they do behind wildcard DNS.
func (s *Server) SFNClient() *awssfn.Client {
	return awssfn.New(awssfn.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:   syncPrefixClient(),
	})
}

// syncPrefixClient is an HTTP client that connects to "sync-<host>" as to "<host>".
func syncPrefixClient() *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, strings.TrimPrefix(addr, "sync-"))
		},
		MaxIdleConnsPerHost: 16,
	}
	return &http.Client{Transport: tr}
}
