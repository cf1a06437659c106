package sfn

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// recentTTL is how long a start may reuse a state machine, version or alias it has
// read, instead of reading it again for every start. AWS allows the same: "Executions
// started immediately after calling UpdateStateMachine may use the previous state
// machine definition and roleArn" (UpdateStateMachine). The window matters only
// across nodes: a change made through this node drops what it remembers at once
// (see resolveChanged).
const recentTTL = time.Second

// recentMax bounds a recentDocs; past it it starts over.
const recentMax = 4096

// recentDocs remembers documents read on the start path for recentTTL, tagged with
// the service's resolve generation at the time of reading.
type recentDocs[T any] struct {
	mu sync.Mutex
	m  map[string]recentEntry[T] // guarded by mu
}

type recentEntry[T any] struct {
	v   T
	at  time.Time
	gen uint64
}

func newRecentDocs[T any]() *recentDocs[T] {
	return &recentDocs[T]{m: make(map[string]recentEntry[T])}
}

// resolveGen counts this node's writes to state machines, versions and aliases.
type resolveGen struct{ n atomic.Uint64 }

// resolveChanged is called after every write to a state machine, version or alias
// record, so no start on this node resolves to what it replaced.
func (s *Service) resolveChanged() { s.resolveGen.n.Add(1) }

// recentDoc returns the document under key, from r when it was read less than
// recentTTL ago with no write on this node since, else through load. Errors (not
// found included) are never remembered.
func recentDoc[T any](ctx context.Context, s *Service, r *recentDocs[T], key string, load func(context.Context) (T, error)) (T, error) {
	// The generation is read before the document: a write that lands in between
	// leaves the entry tagged with an old generation, which no later lookup accepts.
	gen := s.resolveGen.n.Load()
	now := time.Now()
	r.mu.Lock()
	e, ok := r.m[key]
	r.mu.Unlock()
	if ok && e.gen == gen && now.Sub(e.at) < recentTTL {
		return e.v, nil
	}
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	r.mu.Lock()
	if len(r.m) >= recentMax {
		clear(r.m)
	}
	r.m[key] = recentEntry[T]{v: v, at: now, gen: gen}
	r.mu.Unlock()
	return v, nil
}
