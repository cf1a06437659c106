package asl

import (
	"time"

	"stepline/jsonvalue"
)

// State is the snapshot of one execution inside the interpreter: everything Step needs
// to continue it. The engine persists it (MarshalState) with every transition.
type State struct {
	info      ExecutionInfo
	input     any    // the execution input ($$.Execution.Input); read it with executionInput
	inputText []byte // its JSON text
	hasInput  bool   // input holds inputText's value (snapshots decode it lazily)
	rng       uint64 // the seeded random source (splitmix64 state)
	nextID    int64  // id of the next history event
	closed    bool
	status    string // the Close status once closed
	timerSet  bool   // the execution TimeoutSeconds timer is pending
	root      *frame // the top-level thread
	lastSize  int    // length of the last snapshot, to size the next one

	// TestState only (teststate.go), never persisted: fixedCtx replaces the whole
	// context object, and extraCtx adds to the one contextObject builds.
	fixedCtx *jsonvalue.Object
	extraCtx func(*jsonvalue.Object)
}

// executionInput returns $$.Execution.Input, parsing the snapshot's text on first use.
func (s *State) executionInput() any {
	if !s.hasInput {
		s.hasInput = true
		if v, err := jsonvalue.Parse(s.inputText); err == nil {
			s.input = v
		}
	}
	return s.input
}

// Closed reports whether the execution has ended.
func (s *State) Closed() bool { return s != nil && s.closed }

// NextEventID is the id the next history event will get; the engine guards its write
// with it.
func (s *State) NextEventID() int64 {
	if s == nil {
		return 1
	}
	return s.nextID
}

// waitKind says what a frame waits for.
type waitKind uint8

const (
	waitNone     waitKind = iota // ready to enter its current state
	waitTask                     // a scheduled task's outcome
	waitTimer                    // a Wait state's timer
	waitRetry                    // a retry back-off timer
	waitChildren                 // Parallel branches or Map iterations
	waitDone                     // finished (succeeded or failed)
)

// frame is one thread of execution: the top level, a Parallel branch or a Map
// iteration. It sits in one state of its graph at a time.
type frame struct {
	graph  int
	node   int
	val    any    // the current state's raw input; read it with in()
	parsed bool   // val holds text's value (snapshots decode texts lazily)
	text   []byte // JSON text of the input, nil until needed
	quote  []byte // text as a JSON string literal, nil until needed; not persisted

	entered     int64 // id of the current state's StateEntered event
	enteredPrev int64 // that event's previousEventId (EvaluationFailed reuses it)
	enteredAt   time.Time
	last        int64 // previousEventId for this thread's next event

	wait    waitKind
	taskID  string // pending task, or timer id for waitTimer/waitRetry
	task    *taskRun
	retries []int // attempts per retrier during this state visit
	retryN  int   // $$.State.RetryCount

	vars *scope

	// Parallel and Map bookkeeping while wait == waitChildren.
	fan *fanOut

	// Results of a finished frame.
	failed bool
	output any
	err    failure

	quiet bool  // inside a Distributed Map item: its events belong to a child execution
	hops  int64 // states entered by a quiet frame, for its history limit

	parent *frame // nil for the root; rebuilt on unmarshal
	index  int    // branch or iteration index within parent
}

// taskRun is the state of a scheduled task.
type taskRun struct {
	id      string
	params  any // effective parameters
	token   string
	started bool
	timeout int64
	beat    int64
	role    string // the role from Credentials, "" for the execution's
}

// fanOut tracks a Parallel's branches or a Map's iterations.
type fanOut struct {
	kids      []*frame  // running children
	results   *lazyList // output per branch or item
	items     *lazyList // Map items (nil for Parallel)
	next      int       // next item to start
	running   int
	done      int
	failures  int
	maxConc   int     // 0: unlimited
	tolCount  int64   // -1: none
	tolPct    float64 // -1: none
	lastDone  int64   // id of the last iteration-finished event
	input     any     // the Map's effective input (for ItemSelector); read it with in()
	inputText []byte  // JSON text of input, cached: snapshots are written on every transition
	inputOK   bool    // input holds inputText's value (snapshots decode it lazily)
	failedErr *failure
	batched   bool // items are ItemBatcher batches, ItemSelector already applied
}

// failure is an ASL runtime error: data, never a Go error.
type failure struct {
	Error    string
	Cause    string
	hasError bool
	hasCause bool
	terminal bool   // States.Runtime, DataLimitExceeded: no Retry or Catch applies
	alias    string // a second name Retry and Catch match (States.HeartbeatTimeout)
}

func fail(errName, cause string) failure {
	return failure{Error: errName, Cause: cause, hasError: true, hasCause: true}
}

// in returns the current state's input, parsing the snapshot's text on first use: a
// Step touches few of the frames a snapshot holds (one iteration of a large Map).
func (f *frame) in() any {
	if !f.parsed {
		f.parsed = true
		if v, err := jsonvalue.Parse(f.text); err == nil {
			f.val = v
		}
	}
	return f.val
}

// in returns the Map's effective input, parsing the snapshot's text on first use.
func (fo *fanOut) in() any {
	if !fo.inputOK {
		fo.inputOK = true
		if v, err := jsonvalue.Parse(fo.inputText); err == nil {
			fo.input = v
		}
	}
	return fo.input
}

func (f *frame) setInput(v any, text []byte) {
	f.val, f.parsed, f.text, f.quote = v, true, text, nil
}
