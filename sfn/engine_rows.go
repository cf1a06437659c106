package sfn

import (
	"context"
	"sync"

	"stepline/store"
)

// rowCacheMax bounds the cache of open executions' rows; it is emptied when full.
const rowCacheMax = 16384

// rowCache keeps the row of each open execution as this node last wrote it, so that
// the next transition does not read it back. It is safe across nodes because every
// transition is guarded by the row's next event id: a row another node changed makes
// the append fail with ErrConflict, and the engine forgets the row and reads it again.
// Only the bytes are kept; each transition decodes its own copy.
type rowCache struct {
	mu   sync.Mutex
	rows map[string]store.Execution // guarded by mu
}

func newRowCache() *rowCache { return &rowCache{rows: make(map[string]store.Execution)} }

// load returns the cached row of arn, or reads it.
func (c *rowCache) load(ctx context.Context, st store.Store, arn string) (store.Execution, error) {
	c.mu.Lock()
	ex, ok := c.rows[arn]
	c.mu.Unlock()
	if ok {
		return ex, nil
	}
	return st.ExecutionGet(ctx, arn)
}

// keep records a row just written; closed executions are dropped, as they change
// rarely after.
func (c *rowCache) keep(ex store.Execution) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if isClosed(ex.Status) {
		delete(c.rows, ex.ARN)
		return
	}
	if len(c.rows) >= rowCacheMax {
		clear(c.rows)
	}
	c.rows[ex.ARN] = ex
}

func (c *rowCache) forget(arn string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.rows, arn)
}
