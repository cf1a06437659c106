package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"stepline/store"
)

// maxBatch bounds how many writes share one transaction, so one commit never holds
// the writer for long.
const maxBatch = 512

// writeReq is one write waiting for the writer goroutine.
type writeReq struct {
	ctx context.Context
	// apply runs the write inside tx. It returns a *refusal when its guard (always its
	// first statement) refused, having written nothing, so the batch can go on; any
	// other error may leave part of it written, so the batch is rolled back.
	// apply must reset whatever results it captures, as it may run twice.
	apply func(w *wtx) error
	wakes bool       // a successful commit of this write should wake pollers
	done  chan error // receives the outcome; buffered
}

// refusal reports a guard that refused (ErrConflict, ErrExists, ErrNotFound) before
// the write touched anything.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// refuse marks a guard's sentinel as a refusal; any other error passes through, as it
// may come from a broken transaction.
func refuse(err error) error {
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrNotFound) {
		return &refusal{err: err}
	}
	return err
}

// unrefuse turns a refusal back into the sentinel the caller sees.
func unrefuse(err error) error {
	var r *refusal
	if errors.As(err, &r) {
		return r.err
	}
	return err
}

// write queues fn for the writer and waits for its outcome.
func (db *DB) write1(ctx context.Context, wakes bool, fn func(w *wtx) error) error {
	r := &writeReq{ctx: ctx, apply: fn, wakes: wakes, done: make(chan error, 1)}
	select {
	case db.reqs <- r:
	case <-db.stop:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-r.done:
		return err
	case <-db.done:
		// The writer may have answered just before it returned.
		select {
		case err := <-r.done:
			return err
		default:
			return ErrClosed
		}
	case <-ctx.Done():
		// Already queued: the write may still be applied (see the store contract).
		return ctx.Err()
	}
}

// writeLoop is the single writer: it takes whatever writes are queued, up to maxBatch,
// and commits them together, so concurrent transitions share one fsync.
func (db *DB) writeLoop() {
	defer close(db.done)
	var tick <-chan time.Time
	if db.syncEvery > 0 {
		t := time.NewTicker(db.syncEvery)
		defer t.Stop()
		tick = t.C
	}
	dirty := false
	batch := make([]*writeReq, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case r := <-db.reqs:
			batch = append(batch, r)
		case <-tick:
			if dirty {
				db.syncWAL()
				dirty = false
			}
			continue
		case <-db.stop:
			db.failQueued()
			if dirty {
				db.syncWAL()
			}
			return
		}
		batch = db.fill(batch)
		db.commitBatch(batch)
		dirty = true
		db.prepareMissed()
	}
}

// syncWAL makes the commits so far survive power loss under synchronous=NORMAL.
// fsync applies to the file, not the descriptor, so a descriptor of our own will do.
// A failure only widens the window until the next tick or checkpoint.
func (db *DB) syncWAL() {
	f, err := os.Open(db.walPath)
	if err != nil {
		return
	}
	_ = f.Sync()
	_ = f.Close()
}

// fill adds queued writes to batch. Callers whose last write was just answered are
// usually about to send the next one, so while yielding brings in more, it yields
// again: a larger batch costs one commit instead of several.
func (db *DB) fill(batch []*writeReq) []*writeReq {
	for yields := 0; ; yields++ {
		n := len(batch)
	drain:
		for len(batch) < maxBatch {
			select {
			case r := <-db.reqs:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		if len(batch) == maxBatch || yields == maxYields || (yields > 0 && len(batch) == n) {
			return batch
		}
		runtime.Gosched()
	}
}

// maxYields bounds how long fill keeps collecting.
const maxYields = 4

// failQueued answers the writes still queued at Close.
func (db *DB) failQueued() {
	for {
		select {
		case r := <-db.reqs:
			r.done <- ErrClosed
		default:
			return
		}
	}
}

// commitBatch applies batch in one transaction and answers each write. When a write
// fails for a reason other than its guard, or the commit fails, every write is retried
// in a transaction of its own so that only the culprit fails.
func (db *DB) commitBatch(batch []*writeReq) {
	errs := make([]error, len(batch))
	err := db.inTx(func(w *wtx) error {
		for i, r := range batch {
			if err := r.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			err := r.apply(w)
			var rf *refusal
			switch {
			case err == nil:
			case errors.As(err, &rf):
				errs[i] = rf.err
			default:
				errs[i] = err
				return err
			}
		}
		return nil
	})
	if err != nil {
		if len(batch) == 1 {
			errs[0] = unrefuse(err)
		} else {
			for i, r := range batch {
				if errs[i] = r.ctx.Err(); errs[i] == nil {
					errs[i] = unrefuse(db.inTx(r.apply))
				}
			}
		}
	}
	wake := false
	for i, r := range batch {
		wake = wake || (r.wakes && errs[i] == nil)
	}
	if wake {
		db.wake.Fire()
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
}

// inTx runs fn in an immediate transaction on the write connection.
func (db *DB) inTx(fn func(w *wtx) error) error {
	tx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	if err := fn(&wtx{tx: tx, db: db}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// wtx is the writer's transaction with its cache of prepared statements.
type wtx struct {
	tx *sql.Tx
	db *DB
}

// maxStmts bounds the writer's statement cache; queries built from variable-length
// lists (a claim by ids) could otherwise grow it without end.
const maxStmts = 256

// stmt returns the cached statement for q bound to this transaction, or nil when q is
// not prepared yet. The write pool has one connection, held by the transaction, so
// preparing must wait until the transaction ends: see prepareMissed.
func (w *wtx) stmt(q string) *sql.Stmt {
	if st, ok := w.db.wstmts[q]; ok {
		return w.tx.Stmt(st)
	}
	if len(w.db.wstmts)+len(w.db.wmissed) < maxStmts {
		w.db.wmissed[q] = struct{}{}
	}
	return nil
}

// prepareMissed prepares the queries the last transaction ran unprepared.
func (db *DB) prepareMissed() {
	for q := range db.wmissed {
		delete(db.wmissed, q)
		if st, err := db.write.Prepare(q); err == nil {
			db.wstmts[q] = st
		}
	}
}

// exec runs q and returns the number of rows it changed.
func (w *wtx) exec(q string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := w.stmt(q); st != nil {
		res, err = st.Exec(args...)
	} else {
		res, err = w.tx.Exec(q, args...)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	return n, nil
}

func (w *wtx) query(q string, args ...any) (*sql.Rows, error) {
	var rows *sql.Rows
	var err error
	if st := w.stmt(q); st != nil {
		rows, err = st.Query(args...)
	} else {
		rows, err = w.tx.Query(q, args...)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return rows, nil
}

// insert runs an INSERT and returns the new row's id, or 0 when it inserted nothing.
func (w *wtx) insert(q string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := w.stmt(q); st != nil {
		res, err = st.Exec(args...)
	} else {
		res, err = w.tx.Exec(q, args...)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	return id, nil
}

// queryInt runs q and returns the first column of its first row, if any.
func (w *wtx) queryInt(q string, args ...any) (n int64, found bool, err error) {
	rows, err := w.query(q, args...)
	if err != nil {
		return 0, false, err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, false, fmt.Errorf("sqlite: %w", err)
		}
		found = true
	}
	if err := rows.Err(); err != nil {
		return 0, false, fmt.Errorf("sqlite: %w", err)
	}
	return n, found, nil
}

// exists reports whether q finds a row.
func (w *wtx) exists(q string, args ...any) (bool, error) {
	rows, err := w.query(q, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	found := rows.Next()
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	return found, nil
}
