package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"stepline/store"
)

// maxBatch bounds how many appends share one transaction.
const maxBatch = 512

// maxWriters is how many batches a node keeps in flight: while one waits on its
// commit (a round trip and an fsync on the server) the next is being sent. Writers
// take at most half the pool, so reads and claims always find a connection.
const maxWriters = 4

// appendReq is one HistoryAppend waiting for the writer goroutine.
type appendReq struct {
	ctx  context.Context
	p    store.HistoryAppendParams
	done chan error // receives the outcome; buffered
}

// writeLoop is this node's append writer: it takes whatever appends are queued and
// commits them in one transaction, so concurrent transitions share one commit.
func (db *DB) writeLoop() {
	batch := make([]*appendReq, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case r := <-db.reqs:
			batch = append(batch, r)
		case <-db.stop:
			db.failQueued()
			return
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case r := <-db.reqs:
				batch = append(batch, r)
			default:
				break fill
			}
		}
		db.commitBatch(batch)
	}
}

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

// commitBatch applies batch in one transaction in two round trips: every guard, then
// the rest of the appends whose guard passed. A refused guard wrote nothing and fails
// only its own append. Any other failure rolls the batch back and each append is
// retried in a transaction of its own, so only the culprit fails.
func (db *DB) commitBatch(batch []*appendReq) {
	// Lock execution rows in ARN order, so batches on different nodes cannot deadlock
	// on each other; the stable sort keeps appends to one execution in arrival order.
	slices.SortStableFunc(batch, func(a, b *appendReq) int { return strings.Compare(a.p.Execution.ARN, b.p.Execution.ARN) })
	errs := make([]error, len(batch))
	err := db.applyBatch(batch, errs)
	if err != nil {
		if len(batch) == 1 {
			errs[0] = err
		} else {
			for i := range batch {
				one := make([]error, 1)
				if err := db.applyBatch(batch[i:i+1], one); err != nil {
					one[0] = err
				}
				errs[i] = one[0]
			}
		}
	}
	wake := false
	for i, r := range batch {
		wake = wake || (errs[i] == nil && (len(r.p.TimersAdd) > 0 || len(r.p.TasksAdd) > 0))
	}
	if wake {
		db.wake.Fire()
	}
	for i, r := range batch {
		r.done <- errs[i]
	}
}

// applyBatch runs batch in one transaction, recording refusals and context errors
// in errs. It returns an error when the transaction failed as a whole.
func (db *DB) applyBatch(batch []*appendReq, errs []error) (err error) {
	var guards pgx.Batch
	var live []int
	for i, r := range batch {
		if errs[i] = r.ctx.Err(); errs[i] != nil {
			continue
		}
		if len(live) == 0 {
			// BEGIN travels with the guards and COMMIT with the rest: two round trips.
			guards.Queue("BEGIN")
		}
		queueGuard(&guards, r.p)
		live = append(live, i)
	}
	if len(live) == 0 {
		return nil
	}
	ctx := context.Background()
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: history append: %w", err)
	}
	// The pool discards a connection released inside a transaction, so a failed
	// ROLLBACK leaves nothing behind.
	defer conn.Release()
	defer func() {
		if err != nil {
			_, _ = conn.Exec(ctx, "ROLLBACK")
		}
	}()

	res := conn.SendBatch(ctx, &guards)
	if _, err := res.Exec(); err != nil {
		_ = res.Close()
		return fmt.Errorf("postgres: begin: %w", err)
	}
	var passed []int
	for _, i := range live {
		var n int64
		var existed bool
		if err := res.QueryRow().Scan(&n, &existed); err != nil {
			_ = res.Close()
			return fmt.Errorf("postgres: history append: %w", err)
		}
		if errs[i] = guardOutcome(batch[i].p, n, existed); errs[i] == nil {
			passed = append(passed, i)
		}
	}
	if err := res.Close(); err != nil {
		return fmt.Errorf("postgres: history append: %w", err)
	}

	var rest pgx.Batch
	type plan struct{ i, stmts int }
	var plans []plan
	wake := false
	for _, i := range passed {
		plans = append(plans, plan{i, queueRest(&rest, batch[i].p)})
		wake = wake || len(batch[i].p.TimersAdd) > 0 || len(batch[i].p.TasksAdd) > 0
	}
	if wake {
		rest.Queue(`SELECT pg_notify('` + wakeChannel + `', '')`)
	}
	rest.Queue("COMMIT")
	res = conn.SendBatch(ctx, &rest)
	for _, pl := range plans {
		for range pl.stmts {
			if _, err := res.Exec(); err != nil {
				_ = res.Close()
				if taskTaken(err) {
					return fmt.Errorf("postgres: history append %s: task id or token: %w",
						batch[pl.i].p.Execution.ARN, store.ErrExists)
				}
				return fmt.Errorf("postgres: history append %s: %w", batch[pl.i].p.Execution.ARN, err)
			}
		}
	}
	if wake {
		if _, err := res.Exec(); err != nil {
			_ = res.Close()
			return fmt.Errorf("postgres: notify: %w", err)
		}
	}
	tag, err := res.Exec()
	if err == nil && tag.String() != "COMMIT" {
		err = fmt.Errorf("transaction ended with %q", tag.String())
	}
	if cerr := res.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}
