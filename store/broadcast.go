package store

import "sync"

// Broadcast is how drivers implement Waker: Wait hands out a channel that Fire
// closes, waking every waiter at once; the next Wait gets a fresh channel. The zero
// value is ready to use.
type Broadcast struct {
	mu sync.Mutex
	ch chan struct{} // guarded by mu; nil until someone waits
}

// Wait returns a channel closed by the next Fire.
func (b *Broadcast) Wait() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch == nil {
		b.ch = make(chan struct{})
	}
	return b.ch
}

// Fire wakes everyone waiting. Without waiters it does nothing.
func (b *Broadcast) Fire() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ch != nil {
		close(b.ch)
		b.ch = nil
	}
}
