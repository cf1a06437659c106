// Package sqlite is the embedded store driver: one database file in WAL mode, one
// writer goroutine that group-commits every write, and a pool of read connections
// that WAL lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"stepline/store"
)

var _ store.Store = (*DB)(nil)
var _ store.Waker = (*DB)(nil)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrClosed is returned by calls made after Close.
var ErrClosed = errors.New("sqlite: database closed")

// Options tune OpenWith. The zero value is what Open uses.
type Options struct {
	// Synchronous is SQLite's synchronous setting in WAL mode. "NORMAL" (the default)
	// does not sync on commit: an accepted write survives kill -9 of the process, and
	// the writer syncs the WAL every SyncEvery, so power loss can lose at most about
	// that much accepted work (never corrupt it). "FULL" syncs the WAL on every commit,
	// so accepted writes also survive power loss, at one fsync per group commit.
	// See docs/adr/0001-sqlite-durability.md.
	Synchronous string
	// SyncEvery is how often the writer syncs the WAL under NORMAL when there were
	// commits since the last sync; 0 means SyncEveryDefault, negative never.
	SyncEvery time.Duration
	// ReadConns is the size of the read pool; 0 means ReadConnsDefault.
	ReadConns int
}

// SyncEveryDefault bounds what power loss may take under synchronous=NORMAL.
const SyncEveryDefault = time.Second

// ReadConnsDefault is the default number of read connections.
const ReadConnsDefault = 4

// DB is a stepline store in one SQLite database file.
type DB struct {
	tempDir   string        // removed by Close when Open made a throwaway database; immutable
	walPath   string        // the WAL file the writer syncs; immutable
	syncEvery time.Duration // 0: the writer never syncs the WAL itself; immutable
	write     *sql.DB       // one connection, used only by Open and the writer goroutine
	read      *sql.DB       // query-only connections

	reqs      chan *writeReq
	stop      chan struct{} // closed by Close to end the writer
	done      chan struct{} // closed when the writer has returned
	closeOnce sync.Once

	wstmts  map[string]*sql.Stmt // prepared on write; owned by the writer goroutine
	wmissed map[string]struct{}  // queries to prepare after the batch; owned by the writer goroutine

	rmu    sync.Mutex
	rstmts map[string]*sql.Stmt // prepared on read; guarded by rmu

	wake store.Broadcast
}

// Open opens (creating if needed) the database at path with the default Options.
// path is a file such as <data-dir>/stepline.db; its parent directories are created.
// ":memory:" or "" opens a throwaway database in a temporary directory that Close
// removes: a real file, so tests exercise WAL and the separate readers, but with
// synchronous=OFF because nothing needs to survive.
func Open(path string) (*DB, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with Options.
func OpenWith(path string, o Options) (*DB, error) {
	db := &DB{
		reqs:    make(chan *writeReq, 4096),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		wstmts:  map[string]*sql.Stmt{},
		wmissed: map[string]struct{}{},
		rstmts:  map[string]*sql.Stmt{},
	}
	syncMode := strings.ToUpper(o.Synchronous)
	switch syncMode {
	case "":
		syncMode = "NORMAL"
	case "FULL", "NORMAL", "OFF", "EXTRA":
	default:
		return nil, fmt.Errorf("sqlite: unknown synchronous setting %q", o.Synchronous)
	}
	if path == "" || path == ":memory:" {
		dir, err := os.MkdirTemp("", "stepline-sqlite-")
		if err != nil {
			return nil, fmt.Errorf("sqlite: temp dir: %w", err)
		}
		db.tempDir = dir
		path = filepath.Join(dir, "stepline.db")
		syncMode = "OFF"
	} else if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("sqlite: create %s: %w", filepath.Dir(path), err)
	}
	// The driver takes everything after the first '?' as parameters.
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: path %q must not contain '?'", path)
	}
	if syncMode == "NORMAL" {
		db.walPath, db.syncEvery = path+"-wal", o.SyncEvery
		if db.syncEvery == 0 {
			db.syncEvery = SyncEveryDefault
		}
		if db.syncEvery < 0 {
			db.syncEvery = 0
		}
	}
	readConns := o.ReadConns
	if readConns <= 0 {
		readConns = ReadConnsDefault
	}

	var err error
	db.write, err = sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"+
		"&_pragma=synchronous("+syncMode+")&_pragma=foreign_keys(0)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate")
	if err != nil {
		db.cleanup()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	if err := db.migrate(); err != nil {
		db.cleanup()
		return nil, err
	}
	db.read, err = sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		db.cleanup()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.read.SetMaxOpenConns(readConns)
	db.read.SetMaxIdleConns(readConns)
	db.read.SetConnMaxIdleTime(0)
	db.read.SetConnMaxLifetime(0)
	go db.writeLoop()
	return db, nil
}

// cleanup closes what Open opened after a failure.
func (db *DB) cleanup() {
	if db.read != nil {
		_ = db.read.Close()
	}
	if db.write != nil {
		_ = db.write.Close()
	}
	if db.tempDir != "" {
		_ = os.RemoveAll(db.tempDir)
	}
}

// Close stops the writer, failing queued writes with ErrClosed, and closes the
// database. It is safe to call more than once.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		close(db.stop)
		<-db.done
		for _, st := range db.wstmts {
			_ = st.Close()
		}
		db.rmu.Lock()
		for _, st := range db.rstmts {
			_ = st.Close()
		}
		db.rmu.Unlock()
		err = errors.Join(db.read.Close(), db.write.Close())
		if db.tempDir != "" {
			err = errors.Join(err, os.RemoveAll(db.tempDir))
		}
	})
	return err
}

// Wake implements store.Waker within this process: SQLite mode has one node.
func (db *DB) Wake() <-chan struct{} { return db.wake.Wait() }

// migrate applies the embedded migrations not yet recorded in schema_migrations, each
// in its own immediate transaction so two processes opening one file do not race.
func (db *DB) migrate() error {
	ctx := context.Background()
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: create schema_migrations: %w", err)
	}
	ms, err := store.ReadMigrations(migrationFiles)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, m := range ms {
		if err := db.migrateOne(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) migrateOne(ctx context.Context, m store.Migration) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	defer func() { _ = tx.Rollback() }()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
	}
	return nil
}

// rstmt returns a statement prepared on the read pool, preparing it once.
func (db *DB) rstmt(q string) (*sql.Stmt, error) {
	db.rmu.Lock()
	defer db.rmu.Unlock()
	if st, ok := db.rstmts[q]; ok {
		return st, nil
	}
	st, err := db.read.Prepare(q)
	if err != nil {
		return nil, fmt.Errorf("sqlite: prepare: %w", err)
	}
	db.rstmts[q] = st
	return st, nil
}
