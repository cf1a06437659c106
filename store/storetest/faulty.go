package storetest

import (
	"context"
	"sync"
	"time"

	"stepline/store"
)

// Faulty wraps a Store to inject faults, so an engine's retry and recovery paths can
// be tested against a real driver [temporal faultinjection]. Both hooks get the
// method's name ("HistoryAppend", "TimerClaim", ...).
type Faulty struct {
	Store store.Store
	// FailFunc, when set, runs before each call; a non-nil error is returned instead of
	// calling Store, so nothing is written.
	FailFunc func(method string) error
	// AckFunc, when set, runs after each call with its error and may replace it: an
	// error returned for a write that was applied models a lost acknowledgement.
	AckFunc func(method string, err error) error
}

var (
	_ store.Store = (*Faulty)(nil)
	_ store.Waker = (*Faulty)(nil)
)

// FailNth returns a FailFunc that fails the nth call (from 1) of method with err, and
// every call after it when sticky is set.
func FailNth(method string, n int, err error, sticky bool) func(string) error {
	var mu sync.Mutex
	calls := 0
	return func(m string) error {
		if m != method {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == n || (sticky && calls > n) {
			return err
		}
		return nil
	}
}

func (f *Faulty) before(method string) error {
	if f.FailFunc == nil {
		return nil
	}
	return f.FailFunc(method)
}

func (f *Faulty) after(method string, err error) error {
	if f.AckFunc == nil {
		return err
	}
	return f.AckFunc(method, err)
}

// ExecutionGet implements store.Store.
func (f *Faulty) ExecutionGet(ctx context.Context, arn string) (store.Execution, error) {
	if err := f.before("ExecutionGet"); err != nil {
		return store.Execution{}, err
	}
	e, err := f.Store.ExecutionGet(ctx, arn)
	return e, f.after("ExecutionGet", err)
}

// ExecutionList implements store.Store.
func (f *Faulty) ExecutionList(ctx context.Context, p store.ExecutionListParams) ([]store.Execution, error) {
	if err := f.before("ExecutionList"); err != nil {
		return nil, err
	}
	es, err := f.Store.ExecutionList(ctx, p)
	return es, f.after("ExecutionList", err)
}

// HistoryAppend implements store.Store.
func (f *Faulty) HistoryAppend(ctx context.Context, p store.HistoryAppendParams) error {
	if err := f.before("HistoryAppend"); err != nil {
		return err
	}
	return f.after("HistoryAppend", f.Store.HistoryAppend(ctx, p))
}

// HistoryList implements store.Store.
func (f *Faulty) HistoryList(ctx context.Context, p store.HistoryListParams) ([]store.HistoryEvent, error) {
	if err := f.before("HistoryList"); err != nil {
		return nil, err
	}
	evs, err := f.Store.HistoryList(ctx, p)
	return evs, f.after("HistoryList", err)
}

// RecordDelete implements store.Store.
func (f *Faulty) RecordDelete(ctx context.Context, kind, key string, expectVersion int64) error {
	if err := f.before("RecordDelete"); err != nil {
		return err
	}
	return f.after("RecordDelete", f.Store.RecordDelete(ctx, kind, key, expectVersion))
}

// RecordGet implements store.Store.
func (f *Faulty) RecordGet(ctx context.Context, kind, key string) (store.Record, error) {
	if err := f.before("RecordGet"); err != nil {
		return store.Record{}, err
	}
	r, err := f.Store.RecordGet(ctx, kind, key)
	return r, f.after("RecordGet", err)
}

// RecordList implements store.Store.
func (f *Faulty) RecordList(ctx context.Context, p store.RecordListParams) ([]store.Record, error) {
	if err := f.before("RecordList"); err != nil {
		return nil, err
	}
	rs, err := f.Store.RecordList(ctx, p)
	return rs, f.after("RecordList", err)
}

// RecordPut implements store.Store.
func (f *Faulty) RecordPut(ctx context.Context, r store.Record) (store.Record, error) {
	if err := f.before("RecordPut"); err != nil {
		return store.Record{}, err
	}
	out, err := f.Store.RecordPut(ctx, r)
	return out, f.after("RecordPut", err)
}

// TaskClaim implements store.Store.
func (f *Faulty) TaskClaim(ctx context.Context, p store.TaskClaimParams) ([]store.Task, error) {
	if err := f.before("TaskClaim"); err != nil {
		return nil, err
	}
	ts, err := f.Store.TaskClaim(ctx, p)
	return ts, f.after("TaskClaim", err)
}

// TaskGet implements store.Store.
func (f *Faulty) TaskGet(ctx context.Context, executionARN, id string) (store.Task, error) {
	if err := f.before("TaskGet"); err != nil {
		return store.Task{}, err
	}
	t, err := f.Store.TaskGet(ctx, executionARN, id)
	return t, f.after("TaskGet", err)
}

// TaskGetByToken implements store.Store.
func (f *Faulty) TaskGetByToken(ctx context.Context, token string) (store.Task, error) {
	if err := f.before("TaskGetByToken"); err != nil {
		return store.Task{}, err
	}
	t, err := f.Store.TaskGetByToken(ctx, token)
	return t, f.after("TaskGetByToken", err)
}

// TaskUpdate implements store.Store.
func (f *Faulty) TaskUpdate(ctx context.Context, t store.Task) (store.Task, error) {
	if err := f.before("TaskUpdate"); err != nil {
		return store.Task{}, err
	}
	out, err := f.Store.TaskUpdate(ctx, t)
	return out, f.after("TaskUpdate", err)
}

// TimerClaim implements store.Store.
func (f *Faulty) TimerClaim(ctx context.Context, p store.TimerClaimParams) ([]store.Timer, error) {
	if err := f.before("TimerClaim"); err != nil {
		return nil, err
	}
	ts, err := f.Store.TimerClaim(ctx, p)
	return ts, f.after("TimerClaim", err)
}

// TimerNext implements store.Store.
func (f *Faulty) TimerNext(ctx context.Context, now time.Time) (time.Time, error) {
	if err := f.before("TimerNext"); err != nil {
		return time.Time{}, err
	}
	t, err := f.Store.TimerNext(ctx, now)
	return t, f.after("TimerNext", err)
}

// Close implements store.Store; it is never faulted, so tests always release the store.
func (f *Faulty) Close() error { return f.Store.Close() }

// Wake passes through to the wrapped store's wake-ups; a store without them gives a
// channel that never fires, so pollers fall back to TimerNext.
func (f *Faulty) Wake() <-chan struct{} {
	if w, ok := f.Store.(store.Waker); ok {
		return w.Wake()
	}
	return nil
}
