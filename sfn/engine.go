package sfn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"stepline/asl"
	"stepline/store"
)

// The executor's tunables.
const (
	// TimerLeaseDefault is how long a claimed timer stays with its node: a node that
	// dies holding it delays the timer by at most this much.
	TimerLeaseDefault = 30 * time.Second
	// TimerPollMax is the longest the timer loop sleeps without looking at the store,
	// which bounds how late a timer written by another node (PostgreSQL) fires.
	TimerPollMax = time.Second
	// timerClaimBatch bounds the timers claimed per round.
	timerClaimBatch = 256
	// timerInflight bounds concurrent timer deliveries: enough to fill a group commit.
	timerInflight = 1024
	// TaskLeaseDefault is how long a node holds a service task it is dispatching.
	TaskLeaseDefault = 30 * time.Second
)

// engine is the durable executor (DESIGN.md §3). Every change to a Standard execution
// goes through deliver: one interpreter Step (or a few) and one store.HistoryAppend
// holding the events, the snapshot and the timers and tasks they create or remove,
// guarded by the execution's next event id. Everything that must happen later lives in
// the store's outbox (timers and tasks), so a restarted node, or another node, picks
// up where a dead one stopped.
type engine struct {
	s     *Service
	locks *lockTable
	defs  *definitions
	rows  *rowCache
	acts  *activityWaiters
	mr    *mapRuns      // Distributed Map runs; see maprun_run.go
	wake  chan struct{} // nudges the timer loop; buffered, one pending nudge is enough
	// inflight bounds the timer deliveries running at once (a semaphore).
	inflight chan struct{}

	smMu     sync.Mutex
	smStatus map[string]smStatusEntry // guarded by smMu; see stateMachineGone

	mu     sync.Mutex
	cancel context.CancelFunc // guarded by mu; set while running
	ctx    context.Context    // guarded by mu; the loops' context, for work they spawn
	wg     sync.WaitGroup
}

func newEngine(s *Service) *engine {
	return &engine{
		s:        s,
		locks:    newLockTable(),
		defs:     newDefinitions(),
		rows:     newRowCache(),
		smStatus: make(map[string]smStatusEntry),
		acts:     newActivityWaiters(),
		mr:       newMapRuns(),
		wake:     make(chan struct{}, 1),
		inflight: make(chan struct{}, timerInflight),
		ctx:      context.Background(),
	}
}

// start runs the timer loop and the task dispatcher until stop or ctx ends. Work
// left by a previous run (due timers, undispatched tasks) is found by the loops.
func (e *engine) start(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.cancel != nil {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	e.ctx, e.cancel = ctx, cancel
	e.wg.Add(2)
	go func() { defer e.wg.Done(); e.timerLoop(ctx) }()
	go func() { defer e.wg.Done(); e.taskLoop(ctx) }()
	return nil
}

// stop ends the loops and waits for them. Idempotent.
func (e *engine) stop() {
	e.mu.Lock()
	cancel := e.cancel
	e.cancel = nil
	e.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	e.wg.Wait()
}

// background returns the context work spawned after an API call returns runs in: it
// outlives the request but ends with the engine.
func (e *engine) background() context.Context {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ctx
}

// spawn runs f in the background, tracked so that stop waits for it.
func (e *engine) spawn(f func(ctx context.Context)) {
	ctx := e.background()
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		f(ctx)
	}()
}

// nudge wakes the timer loop to look for due timers now.
func (e *engine) nudge() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// delivery is one change to deliver to an execution.
type delivery struct {
	inputs       []asl.Input
	consumeTimer string // the id of the timer this delivery answers, removed in the same write
	// consumeTimers are more timers removed in the same write (a map run's child ends).
	consumeTimers []string
	// noStep writes only the timer removals: the interpreter is not stepped.
	noStep bool
	// heartbeat, when set, pushes back this task's heartbeat deadline instead of
	// stepping the interpreter: a heartbeat writes no history event.
	heartbeat string
	// child records the nested execution a task started, before its inputs are stepped.
	child     string
	childTask string
	// requireTask fails the delivery with errTaskGone unless this task is still open,
	// so that an answer to a task that already ended is reported, not silently dropped.
	requireTask string
	// redrive restarts a closed execution (RedriveExecution), with its clientToken.
	redrive     bool
	clientToken string
}

// errClosed is returned by deliver when the execution has already ended.
var errClosed = errors.New("execution closed")

// deliver applies d to the execution and persists it as one transition. It holds the
// execution's lock for the whole read-step-write, and on ErrConflict (another node
// wrote first) reads again and redoes the Step.
func (e *engine) deliver(ctx context.Context, arn string, d delivery) (store.Execution, error) {
	unlock := e.locks.lock(arn)
	defer unlock()
	return e.deliverLocked(ctx, arn, d)
}

// deliverLocked is deliver for a caller holding the execution's lock.
func (e *engine) deliverLocked(ctx context.Context, arn string, d delivery) (store.Execution, error) {
	for attempt := 0; ; attempt++ {
		ex, err := e.rows.load(ctx, e.s.store, arn)
		if err != nil {
			return ex, fmt.Errorf("load execution %s: %w", arn, err)
		}
		tr, err := e.apply(ctx, ex, d)
		if errors.Is(err, errRedriveRepeat) {
			return ex, nil
		}
		if err != nil {
			return ex, err
		}
		if tr == nil {
			return ex, errClosed
		}
		var snap []byte // nil keeps the stored snapshot
		if tr.state != nil {
			if snap, err = asl.MarshalState(tr.state); err != nil {
				return ex, fmt.Errorf("encode state of %s: %w", arn, err)
			}
		}
		p := tr.params(snap, false)
		err = e.s.store.HistoryAppend(ctx, p)
		if err != nil {
			// Another node wrote (ErrConflict), or the outcome is unknown: read again.
			e.rows.forget(arn)
		}
		if errors.Is(err, store.ErrConflict) && attempt < conflictRetries {
			continue
		}
		if err != nil {
			return ex, fmt.Errorf("append history of %s: %w", arn, err)
		}
		e.rows.keep(p.Execution)
		e.afterWrite(tr, p)
		return p.Execution, nil
	}
}

// steppedTransition is a transition with the interpreter state it leads to.
type steppedTransition struct {
	*transition
	state *asl.State
}

// apply computes the transition d makes from the stored execution ex; nil when ex is
// closed and there is nothing to clean up.
func (e *engine) apply(ctx context.Context, ex store.Execution, d delivery) (*steppedTransition, error) {
	doc, err := decodeExecDoc(ex)
	if err != nil {
		return nil, err
	}
	now := e.s.stamp()
	if d.redrive {
		return e.applyRedrive(ctx, ex, doc, d, now)
	}
	tr := newTransition(ex, doc, now)
	if isClosed(ex.Status) {
		if d.consumeTimer == "" && len(d.consumeTimers) == 0 {
			return nil, nil
		}
		// A late timer of a closed execution: remove it and write nothing else.
		tr.consumeTimer(d.consumeTimer)
		for _, id := range d.consumeTimers {
			tr.consumeTimer(id)
		}
		return &steppedTransition{transition: tr}, nil
	}
	if d.requireTask != "" {
		if _, ok := doc.Tasks[d.requireTask]; !ok {
			return nil, errTaskGone
		}
	}
	tr.consumeTimer(d.consumeTimer)
	for _, id := range d.consumeTimers {
		tr.consumeTimer(id)
	}
	if d.noStep {
		return &steppedTransition{transition: tr}, nil
	}
	if d.heartbeat != "" {
		m, ok := doc.Tasks[d.heartbeat]
		if !ok {
			return nil, errTaskGone
		}
		if m.Heartbeat > 0 && m.Started {
			tr.addTimer(prefixHeartbeat+d.heartbeat, timerHeartbeat, now.Add(time.Duration(m.Heartbeat)*time.Second), nil)
		}
		return &steppedTransition{transition: tr}, nil
	}
	if d.child != "" {
		if m, ok := doc.Tasks[d.childTask]; ok {
			m.Child = d.child
			doc.Tasks[d.childTask] = m
		}
	}
	st, m, err := e.loadState(ctx, ex, doc)
	if err != nil {
		return nil, err
	}
	inputs := d.inputs
	smARN := ex.StateMachineARN
	if i := strings.IndexByte(smARN, '/'); i >= 0 && ex.MapRunARN != "" {
		// A map run's children run <state machine>/<label>: they stop with the
		// state machine they belong to.
		smARN = smARN[:i]
	}
	if stop, err := e.stateMachineGone(ctx, smARN); err != nil {
		return nil, err
	} else if stop {
		// DeleteStateMachine: running executions stop at their next transition.
		inputs = []asl.Input{asl.Stop{}}
		tr.smGone = true
	}
	for _, in := range inputs {
		tr.noteInput(in)
		dec, err := m.Step(st, in, now)
		if err != nil {
			return nil, fmt.Errorf("step %s: %w", ex.ARN, err)
		}
		st = dec.State
		if err := tr.add(dec); err != nil {
			return nil, err
		}
		if tr.closed {
			break
		}
	}
	return &steppedTransition{transition: tr, state: st}, nil
}

// stateMachineGone reports whether an execution's state machine was deleted (or is
// being deleted), in which case the execution stops. The answer is cached for
// smStatusTTL, so a transition does not read (and decode) the state machine each
// time; a deletion reaches running executions within that long.
func (e *engine) stateMachineGone(ctx context.Context, smARN string) (bool, error) {
	now := e.s.cfg.Clock.Now()
	e.smMu.Lock()
	c, ok := e.smStatus[smARN]
	e.smMu.Unlock()
	if ok && now.Sub(c.at) < smStatusTTL {
		return c.gone, nil
	}
	sm, _, err := getDoc[StateMachine](ctx, e.s.store, kindStateMachine, smARN)
	gone := errors.Is(err, store.ErrNotFound)
	if err != nil && !gone {
		return false, fmt.Errorf("load state machine %s: %w", smARN, err)
	}
	gone = gone || sm.Status == StatusDeleting
	e.smMu.Lock()
	if len(e.smStatus) >= definitionsCacheMax {
		clear(e.smStatus)
	}
	e.smStatus[smARN] = smStatusEntry{gone: gone, at: now}
	e.smMu.Unlock()
	return gone, nil
}

// smStatusTTL is how long stateMachineGone trusts what it read.
const smStatusTTL = time.Second

type smStatusEntry struct {
	gone bool
	at   time.Time
}

// afterWrite starts what a committed transition asks for: dispatch of new service
// tasks, wake-ups of activity pollers and the timer loop, stopping nested executions,
// and finishing a pending state machine deletion.
func (e *engine) afterWrite(tr *steppedTransition, p store.HistoryAppendParams) {
	for _, tk := range p.TasksAdd {
		switch tk.Kind {
		case taskActivity:
			e.acts.notify(tk.Resource)
			e.spawn(func(ctx context.Context) { e.checkActivity(ctx, tk) })
		case taskService:
			e.spawn(func(ctx context.Context) { e.dispatch(ctx, tk) })
		}
	}
	if tr.nudgeTimers {
		e.nudge()
	}
	for _, arn := range tr.abortMapRuns {
		e.abortMapRun(arn)
	}
	for _, child := range tr.stopChildren {
		e.spawn(func(ctx context.Context) {
			if _, err := e.s.stopExecution(ctx, child, "", ""); err != nil && !errors.Is(err, errClosed) {
				e.s.cfg.Logger.Warn("stop nested execution", "execution", child, "err", err)
			}
		})
	}
	if tr.closed && tr.smGone {
		smARN := p.Execution.StateMachineARN
		e.spawn(func(ctx context.Context) {
			if err := e.s.finishStateMachineDeletion(ctx, smARN); err != nil {
				e.s.cfg.Logger.Warn("finish state machine deletion", "stateMachine", smARN, "err", err)
			}
		})
	}
}

// stamp is the time of a transition: the clock's, to the microsecond, which is what
// the store keeps, so that a time returned by a call equals the one read back later.
func (s *Service) stamp() time.Time { return s.cfg.Clock.Now().Truncate(time.Microsecond) }
