package sfn

import "sync"

// lockTable serializes the work of this process on each execution, so that a node
// never races itself on one history (which would only end in ErrConflict retries).
// Other nodes are kept out by the store's next-event-id guard, not by this table.
type lockTable struct {
	mu    sync.Mutex
	locks map[string]*lockEntry // guarded by mu; entries live while someone holds or waits
}

type lockEntry struct {
	mu   sync.Mutex
	refs int // guarded by lockTable.mu
}

func newLockTable() *lockTable { return &lockTable{locks: make(map[string]*lockEntry)} }

// lock takes the lock of key and returns its release.
func (t *lockTable) lock(key string) (unlock func()) {
	t.mu.Lock()
	e := t.locks[key]
	if e == nil {
		e = &lockEntry{}
		t.locks[key] = e
	}
	e.refs++
	t.mu.Unlock()
	e.mu.Lock()
	return func() {
		e.mu.Unlock()
		t.mu.Lock()
		e.refs--
		if e.refs == 0 {
			delete(t.locks, key)
		}
		t.mu.Unlock()
	}
}
