// Package postgres is the store driver for several nodes sharing one PostgreSQL
// database: claims take rows with FOR UPDATE SKIP LOCKED, history appends are group
// committed by one writer per node, and LISTEN/NOTIFY wakes every node's pollers when
// timers or tasks appear.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"stepline/store"
)

var (
	_ store.Store = (*DB)(nil)
	_ store.Waker = (*DB)(nil)
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("postgres: database closed")

// wakeChannel is the NOTIFY channel that announces new timers and tasks.
const wakeChannel = "stepline_wake"

// DB is a stepline store in a PostgreSQL database (the schema first on search_path).
type DB struct {
	pool *pgxpool.Pool

	reqs      chan *appendReq
	stop      chan struct{} // closed by Close
	done      chan struct{} // closed when every writer has returned
	listenEnd chan struct{} // closed when the listener has returned
	cancel    context.CancelFunc
	closeOnce sync.Once

	wake store.Broadcast
}

// Open connects to url (postgres://...), applies the migrations the database lacks, and
// starts the append writer and the LISTEN connection. Pool settings such as
// pool_max_conns may be given in url; search_path=name selects the schema.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	lctx, cancel := context.WithCancel(context.Background())
	db := &DB{
		pool:      pool,
		reqs:      make(chan *appendReq, 4096),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
		listenEnd: make(chan struct{}),
		cancel:    cancel,
	}
	var wg sync.WaitGroup
	writers := min(maxWriters, max(1, int(cfg.MaxConns)/2))
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.writeLoop()
		}()
	}
	go func() {
		wg.Wait()
		close(db.done)
	}()
	go db.listen(lctx, cfg.ConnConfig.Copy())
	return db, nil
}

// Close stops the writer (failing queued appends with ErrClosed) and the listener, and
// closes the pool. It is safe to call more than once.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		close(db.stop)
		<-db.done
		db.cancel()
		<-db.listenEnd
		db.pool.Close()
	})
	return nil
}

// Wake implements store.Waker: it fires on this node's own commits at once and on
// other nodes' through NOTIFY.
func (db *DB) Wake() <-chan struct{} { return db.wake.Wait() }

// listen holds one connection in LISTEN and turns notifications into wake-ups,
// reconnecting after failures until ctx ends.
func (db *DB) listen(ctx context.Context, cfg *pgx.ConnConfig) {
	defer close(db.listenEnd)
	for ctx.Err() == nil {
		err := db.listenOnce(ctx, cfg)
		if ctx.Err() != nil {
			return
		}
		_ = err // the next attempt reports nothing better; pollers still run on TimerNext
		// Wake anyway: whatever was announced while disconnected is lost.
		db.wake.Fire()
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (db *DB) listenOnce(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "LISTEN "+wakeChannel); err != nil {
		return fmt.Errorf("postgres: listen: %w", err)
	}
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("postgres: listen: %w", err)
		}
		db.wake.Fire()
	}
}

// migrate applies the embedded migrations missing from schema_migrations, holding an
// advisory lock so nodes starting together apply each one once.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	ms, err := store.ReadMigrations(migrationFiles)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7365706)`); err != nil {
		return fmt.Errorf("postgres: migrate lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version integer PRIMARY KEY, name text NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
		if n > 0 {
			continue
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	return nil
}
