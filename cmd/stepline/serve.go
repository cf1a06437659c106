package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"stepline/api/server"
	"stepline/store"
	"stepline/store/postgres"
	"stepline/store/sqlite"
)

// ShutdownTimeoutDefault bounds how long Close waits for requests in flight.
const ShutdownTimeoutDefault = 10 * time.Second

// Main is a running server: the store, the services and the HTTP listener, wired
// together. Tests run it in-process with Listen "127.0.0.1:0" and a temporary DataDir.
type Main struct {
	Config Config
	Stdout io.Writer // where the start banner goes; io.Discard if nil
	Logger *slog.Logger

	// URL is the API endpoint (http://host:port) once Run has returned.
	URL string

	store store.Store
	svcs  *services
	srv   *http.Server
	done  chan error // Serve's result
}

// NewMain returns a Main for cfg; nothing is opened until Run.
func NewMain(cfg Config) *Main {
	return &Main{Config: cfg}
}

// Run opens the store, starts the services and begins serving; it returns once the
// listener accepts connections. Call Close to stop, also after Run fails.
func (m *Main) Run(ctx context.Context) error {
	if m.Stdout == nil {
		m.Stdout = io.Discard
	}
	if m.Logger == nil {
		m.Logger = slog.Default()
	}
	st, err := openStore(ctx, m.Config)
	if err != nil {
		return err
	}
	m.store = st
	sv, err := buildServices(st, m.Config, nodeID(), m.Logger)
	if err != nil {
		return err
	}
	if err := sv.start(context.WithoutCancel(ctx)); err != nil {
		sv.stop()
		return err
	}
	m.svcs = sv
	ln, err := net.Listen("tcp", m.Config.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	m.URL = "http://" + ln.Addr().String()
	m.srv = &http.Server{Handler: sv.handler, ReadHeaderTimeout: 30 * time.Second, ErrorLog: slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn)}
	m.done = make(chan error, 1)
	go func() { m.done <- m.srv.Serve(ln) }()

	where := "SQLite " + filepath.Join(m.Config.DataDir, "stepline.db")
	if m.Config.IsPostgres() {
		where = "PostgreSQL"
	}
	v, _ := buildVersion()
	fmt.Fprintf(m.Stdout, "stepline %s serving (state in %s)\n", v, where)
	fmt.Fprintf(m.Stdout, "  API endpoint: %s   (aws stepfunctions --endpoint-url %s ...)\n", m.URL, m.URL)
	fmt.Fprintf(m.Stdout, "  Console:      %s%s\n", m.URL, server.ConsolePath)
	return nil
}

// Close shuts down gracefully: it stops accepting requests and waits for those in
// flight, stops the executor, then closes the store. Safe after a failed Run.
func (m *Main) Close() error {
	var errs []error
	if m.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeoutDefault)
		defer cancel()
		if err := m.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
		if err := <-m.done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, fmt.Errorf("serve: %w", err))
		}
		m.srv = nil
	}
	if m.svcs != nil {
		m.svcs.stop()
		m.svcs = nil
	}
	if m.store != nil {
		if err := m.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close store: %w", err))
		}
		m.store = nil
	}
	return errors.Join(errs...)
}

// openStore opens PostgreSQL for a postgres:// Database, else SQLite under DataDir.
func openStore(ctx context.Context, cfg Config) (store.Store, error) {
	if cfg.IsPostgres() {
		db, err := postgres.Open(ctx, cfg.Database)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		return db, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	db, err := sqlite.Open(filepath.Join(cfg.DataDir, "stepline.db"))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	return db, nil
}

// nodeID names this process as a lease owner: unique across the nodes sharing a
// PostgreSQL database, and recognisable in it.
func nodeID() string {
	host, err := os.Hostname()
	if err != nil {
		host = "stepline"
	}
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
}
