package sfn

import (
	"crypto/sha256"
	"encoding/json"
	"sync"

	"stepline/asl"
)

// machineCacheMax bounds the parsed-machine cache. When full it is emptied rather than
// tracked for recency: re-parsing is cheap next to the bookkeeping an LRU would add on
// every start, and the working set of a server rarely reaches this.
const machineCacheMax = 4096

// machineCache keeps parsed definitions so that starting an execution does not parse
// its state machine again. Entries are keyed by the ARN (unqualified or version) and a
// digest of the exact definition text: an update changes the digest, so a stale entry
// is never returned and needs no invalidation.
type machineCache struct {
	mu sync.Mutex
	m  map[machineKey]*asl.Machine // guarded by mu
}

type machineKey struct {
	arn string
	sum [sha256.Size]byte
}

func newMachineCache() *machineCache {
	return &machineCache{m: make(map[machineKey]*asl.Machine)}
}

// get returns the parsed machine for (arn, definition), parsing it on a miss.
func (c *machineCache) get(arn, definition string) (*asl.Machine, error) {
	k := machineKey{arn: arn, sum: sha256.Sum256([]byte(definition))}
	c.mu.Lock()
	m, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return m, nil
	}
	m, err := asl.Parse(definition)
	if err != nil {
		return nil, err
	}
	c.put(k, m)
	return m, nil
}

// add records a machine parsed elsewhere (at create or update time).
func (c *machineCache) add(arn, definition string, m *asl.Machine) {
	c.put(machineKey{arn: arn, sum: sha256.Sum256([]byte(definition))}, m)
}

func (c *machineCache) put(k machineKey, m *asl.Machine) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= machineCacheMax {
		clear(c.m)
	}
	c.m[k] = m
}

// docCacheMaxBytes bounds the decoded-document cache by the size of the documents it
// keys on (a definition may be 1 MiB); past it the cache starts over.
const docCacheMaxBytes = 64 << 20

// docCache remembers the decoding of record documents on the start path, where the
// same state machine is read for every execution: the record must still be read (it
// may have changed, on this node or another), but decoding the same bytes again is
// waste. The key is the document itself, so a hit is exact by construction. Values
// are shared between callers and must be treated as read-only.
type docCache[T any] struct {
	mu    sync.Mutex
	m     map[string]T // guarded by mu
	bytes int          // guarded by mu; total key length
}

func newDocCache[T any]() *docCache[T] { return &docCache[T]{m: make(map[string]T)} }

// decode returns data decoded into T, from the cache when the same bytes were seen.
func (c *docCache[T]) decode(data []byte) (T, error) {
	c.mu.Lock()
	v, ok := c.m[string(data)]
	c.mu.Unlock()
	if ok {
		return v, nil
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return v, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+len(data) > docCacheMaxBytes || len(c.m) >= machineCacheMax {
		clear(c.m)
		c.bytes = 0
	}
	c.m[string(data)] = v
	c.bytes += len(data)
	return v, nil
}
