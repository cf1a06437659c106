package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"stepline/asl"
	"stepline/store"
)

// timerLoop claims due timers and delivers them. It sleeps until the earliest pending
// timer, at most TimerPollMax (other nodes may add timers it cannot hear of), and
// wakes when this node (or, through store.Waker, another) writes a timer. A wake-up
// only re-reads when the next timer is due (TimerNext, a read): claiming is a write,
// so the loop claims only when something is due. Claims are leases: a timer whose
// node died before delivering it is claimed again once the lease lapses, so timers
// fire late rather than never.
func (e *engine) timerLoop(ctx context.Context) {
	for ctx.Err() == nil {
		storeWake := e.storeWake()
		now := e.s.cfg.Clock.Now()
		wait := TimerPollMax
		next, err := e.s.store.TimerNext(ctx, now)
		if err != nil && ctx.Err() == nil {
			e.s.cfg.Logger.Warn("look for timers", "err", err)
		}
		if err == nil && !next.IsZero() {
			wait = min(wait, next.Sub(now))
		}
		if wait <= 0 {
			timers, err := e.s.store.TimerClaim(ctx, store.TimerClaimParams{
				Now: now, Owner: e.s.cfg.NodeID, LeaseFor: TimerLeaseDefault, Limit: timerClaimBatch,
			})
			if err != nil && ctx.Err() == nil {
				e.s.cfg.Logger.Warn("claim timers", "err", err)
			}
			e.fireAll(ctx, timers)
			if len(timers) > 0 {
				continue
			}
			// Due by TimerNext yet nothing to claim (another node got there first, or
			// the clock moved back): do not spin.
			wait = timerRetryWait
		}
		select {
		case <-ctx.Done():
			return
		case <-e.wake:
		case <-storeWake:
		case <-e.s.cfg.Clock.After(wait):
		}
	}
}

// timerRetryWait is how long the timer loop waits when TimerNext named a due timer
// that TimerClaim did not get.
const timerRetryWait = 10 * time.Millisecond

// storeWake returns the store's wake-up channel (store.Waker: in process for SQLite,
// LISTEN/NOTIFY across nodes for PostgreSQL), or nil, which never fires.
func (e *engine) storeWake() <-chan struct{} {
	if w, ok := e.s.store.(store.Waker); ok {
		return w.Wake()
	}
	return nil
}

// fireAll delivers claimed timers concurrently, so that the store commits their
// transitions as one group, without waiting for them: the loop goes on claiming
// while they are written. timerInflight bounds the deliveries under way.
func (e *engine) fireAll(ctx context.Context, timers []store.Timer) {
	for _, tm := range timers {
		select {
		case e.inflight <- struct{}{}:
		case <-ctx.Done():
			return
		}
		e.wg.Add(1)
		go func() {
			defer func() { <-e.inflight; e.wg.Done() }()
			e.fire(ctx, tm)
		}()
	}
}

// fire delivers one timer; the transition removes it. A failed delivery leaves the
// timer leased, and it is retried when the lease lapses.
func (e *engine) fire(ctx context.Context, tm store.Timer) {
	if tm.Kind == timerMapChild {
		e.mapChildTimer(ctx, tm)
		return
	}
	in, ok := timerInput(tm)
	d := delivery{consumeTimer: tm.ID}
	if ok {
		d.inputs = []asl.Input{in}
	}
	_, err := e.deliver(ctx, tm.ExecutionARN, d)
	if err != nil && !errors.Is(err, errClosed) && ctx.Err() == nil {
		e.s.cfg.Logger.Warn("deliver timer", "execution", tm.ExecutionARN, "timer", tm.ID, "err", err)
	}
}

// timerInput turns a store timer into the interpreter's input; false for a timer
// that only needs removing.
func timerInput(tm store.Timer) (asl.Input, bool) {
	switch tm.Kind {
	case timerASL:
		return asl.TimerFired{TimerID: strings.TrimPrefix(tm.ID, prefixASL)}, true
	case timerTimeout:
		return asl.TaskTimedOut{TaskID: strings.TrimPrefix(tm.ID, prefixTimeout)}, true
	case timerHeartbeat:
		return asl.TaskTimedOut{TaskID: strings.TrimPrefix(tm.ID, prefixHeartbeat), Heartbeat: true}, true
	case timerChild:
		var out childOutcome
		if err := json.Unmarshal(tm.Data, &out); err != nil {
			return nil, false
		}
		return childTaskInput(strings.TrimPrefix(tm.ID, prefixChild), out), true
	}
	return nil, false
}
