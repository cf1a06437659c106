// Package store is the persistence contract of stepline. Two drivers implement it,
// store/sqlite (the embedded default) and store/postgres (several nodes sharing one
// database), and store/storetest holds the one suite both must pass.
//
// The contract:
//
//   - Drivers never read a clock or make ids: every time, id and owner is a parameter.
//   - Every method that writes is atomic: all of it or none of it.
//   - Records are optimistic: a write names the version it expects and fails with
//     ErrConflict if the stored one differs (ErrExists when creating over an existing key).
//   - HistoryAppend is the one write of an execution's state transition: its events,
//     its new snapshot and record, and the timers and tasks it creates or removes, guarded
//     by the expected next event id. Drivers batch concurrent calls into one transaction
//     (group commit) but report each call's own outcome.
//   - Timers and tasks are an outbox claimed with leases: a claim sets Owner and
//     LeaseUntil; a claim made after LeaseUntil may take the row from a dead owner.
//   - Driver errors never leak: not found is ErrNotFound, whatever the database said.
//   - Times are kept to the microsecond and come back in UTC; the zero time is stored as
//     "unset" and comes back as the zero time. Empty and nil byte slices are the same
//     thing and come back as nil. A Limit of 0 means no limit.
//   - An error from a write whose context ended may mean the write was applied or not:
//     group commit may already have taken it into a transaction.
package store

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when the row asked for does not exist.
var ErrNotFound = errors.New("store: not found")

// ErrConflict is returned when an optimistic guard (a record's Version, an execution's
// next event id) does not match what is stored. The caller reloads and decides again.
var ErrConflict = errors.New("store: conflict")

// ErrExists is returned when creating a row whose key is already taken.
var ErrExists = errors.New("store: already exists")

// Store is implemented by each driver. Methods are NounVerb, alphabetical.
type Store interface {
	// ExecutionGet returns one execution by ARN.
	ExecutionGet(ctx context.Context, arn string) (Execution, error)
	// ExecutionList lists executions newest first (StartTime, then ARN, descending).
	ExecutionList(ctx context.Context, p ExecutionListParams) ([]Execution, error)

	// HistoryAppend writes one state transition atomically; see HistoryAppendParams.
	HistoryAppend(ctx context.Context, p HistoryAppendParams) error
	// HistoryList returns an execution's events in id order (or reverse).
	HistoryList(ctx context.Context, p HistoryListParams) ([]HistoryEvent, error)

	// RecordDelete deletes a record if its version is ExpectVersion (0: any version).
	RecordDelete(ctx context.Context, kind, key string, expectVersion int64) error
	// RecordGet returns one record.
	RecordGet(ctx context.Context, kind, key string) (Record, error)
	// RecordList lists records of a kind under a parent, ordered by (Sort, Key).
	RecordList(ctx context.Context, p RecordListParams) ([]Record, error)
	// RecordPut creates (Version 0: ErrExists if taken) or replaces (Version n: ErrConflict
	// unless the stored version is n; ErrNotFound if it no longer exists) a record, and
	// returns it with its new Version.
	RecordPut(ctx context.Context, r Record) (Record, error)

	// TaskClaim leases scheduled tasks; see TaskClaimParams.
	TaskClaim(ctx context.Context, p TaskClaimParams) ([]Task, error)
	// TaskGet returns one task by execution ARN and task id.
	TaskGet(ctx context.Context, executionARN, id string) (Task, error)
	// TaskGetByToken returns the task holding a task token.
	TaskGetByToken(ctx context.Context, token string) (Task, error)
	// TaskUpdate replaces a task's mutable fields (State, Owner, LeaseUntil, WorkerName,
	// StartedAt) if its stored Version is the given one.
	TaskUpdate(ctx context.Context, t Task) (Task, error)

	// TimerClaim leases due timers; see TimerClaimParams.
	TimerClaim(ctx context.Context, p TimerClaimParams) ([]Timer, error)
	// TimerNext returns the earliest FireAt among unleased (or lease-expired) timers, or
	// the zero time when there are none, so a poller knows how long to sleep.
	TimerNext(ctx context.Context, now time.Time) (time.Time, error)

	// Close releases the database.
	Close() error
}

// Record is a resource kept as a JSON document with a few indexed columns: state
// machines, versions, aliases, activities, and later pipelines, repositories, buckets.
// The owning service decides what Data holds; the store only indexes.
type Record struct {
	Kind    string // e.g. "statemachine", "smversion", "smalias", "activity"; immutable
	Key     string // unique within Kind, usually the ARN; immutable
	Parent  string // groups records for listing (e.g. a state machine ARN); may be empty
	Sort    string // orders records under a parent (e.g. name, or a zero-padded number)
	Version int64  // optimistic guard, 1 after creation, +1 on each put
	Data    []byte // the service's JSON document
}

// RecordListParams selects records of Kind under Parent whose Sort starts with
// Prefix, after the (AfterSort, AfterKey) cursor, at most Limit (0: no limit).
type RecordListParams struct {
	Kind       string
	Parent     string
	AnyParent  bool // list across all parents (Parent ignored)
	Prefix     string
	AfterSort  string
	AfterKey   string
	Descending bool // (Sort, Key) descending; the cursor then means "before"
	Limit      int
}

// Execution is the row of one Standard execution: its indexed fields, the service's
// JSON document (Data), the interpreter's snapshot and the history's next event id.
type Execution struct {
	ARN             string
	StateMachineARN string // the unqualified state machine ARN
	VersionARN      string // set when started through a version or alias
	AliasARN        string // set when started through an alias
	MapRunARN       string // set for Distributed Map children
	Name            string
	Status          string // RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE
	StartTime       time.Time
	StopTime        time.Time // zero while open
	NextEventID     int64     // id the next appended event will get; 1 before ExecutionStarted
	Data            []byte    // service document: input, output, error, cause, redrive info...
	Snapshot        []byte    // encoded interpreter state after event NextEventID-1
}

// ExecutionListParams filters ExecutionList. Exactly one of StateMachineARN,
// VersionARN, AliasARN or MapRunARN is usually set; with none set every execution is
// listed (recovery at start and integrity checks walk them all that way). The cursor is
// in effect when BeforeStart is non-zero or BeforeARN is non-empty.
type ExecutionListParams struct {
	StateMachineARN string
	VersionARN      string
	AliasARN        string
	MapRunARN       string
	Status          string    // empty: any
	Open            bool      // only executions with a zero StopTime
	BeforeStart     time.Time // cursor: StartTime before this, or equal with ARN < BeforeARN
	BeforeARN       string
	Limit           int
}

// HistoryEvent is one event as stored: Details is the AWS-shaped JSON object that goes
// under "<type>EventDetails" (for example {"input":"{}","inputDetails":{...}}), or nil.
type HistoryEvent struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	Details         []byte
}

// HistoryAppendParams is everything one transition writes.
//
// When Create is true the execution row must not exist (else ErrExists) and is inserted
// with NextEventID = ExpectNextEventID + len(Events); ExpectNextEventID must then be 1.
// Otherwise the stored NextEventID must equal ExpectNextEventID (else ErrConflict,
// nothing written) and the row is replaced by Execution with NextEventID advanced by
// len(Events). Events must carry ids ExpectNextEventID, ExpectNextEventID+1, ...
// (CheckAppend states what a well-formed call looks like; drivers reject the rest.)
//
// The execution's identity (ARN, StateMachineARN, VersionARN, AliasARN, MapRunARN, Name,
// StartTime) is fixed by Create; later appends write Status, StopTime, Data and Snapshot,
// which keeps every append clear of the listing indexes.
//
// Timers and tasks are written after the deletes, so an id both deleted and added ends up
// as the added row. A timer or task added with an empty ExecutionARN belongs to this
// execution. A task whose id or non-empty token is already taken fails the whole call
// with ErrExists. A missing execution (Create false) is ErrNotFound.
type HistoryAppendParams struct {
	Create            bool
	Execution         Execution
	ExpectNextEventID int64
	Events            []HistoryEvent
	TimersAdd         []Timer  // inserted (or replaced, same ExecutionARN and ID)
	TimersDelete      []string // ids of this execution's timers to remove
	TasksAdd          []Task   // inserted
	TasksDelete       []string // ids of this execution's tasks to remove
}

// HistoryListParams pages through one execution's events.
type HistoryListParams struct {
	ExecutionARN string
	AfterID      int64 // ascending: ids > AfterID; Reverse: ids < AfterID (0: from the newest)
	Reverse      bool
	Limit        int
}

// Waker is implemented by drivers that can tell pollers that work may have appeared, so
// they sleep until TimerNext or a wake-up instead of polling often. SQLite wakes in
// process; PostgreSQL uses LISTEN/NOTIFY so every node sharing the database wakes.
// Wake-ups are hints: they may be spurious or coalesced, and a poller must still claim.
type Waker interface {
	// Wake returns a channel that is closed after the next commit that adds timers or
	// tasks, or releases a task's lease. Call it again after each wake-up, before
	// claiming, so no wake-up falls between the claim and the wait.
	Wake() <-chan struct{}
}

// Timer is a durable wake-up for an execution: a Wait, a retry back-off, a task's
// timeout or heartbeat deadline, the execution's own timeout, or "continue now" for
// work accepted but not yet stepped. Kind and Data belong to the engine.
type Timer struct {
	ExecutionARN string
	ID           string
	Kind         string
	FireAt       time.Time
	Data         []byte
	Owner        string    // who holds the lease; empty when unclaimed
	LeaseUntil   time.Time // the claim lapses after this
}

// TimerClaimParams leases up to Limit timers with FireAt <= Now whose lease is empty
// or expired, setting Owner and LeaseUntil = Now + LeaseFor. With ExecutionARN and IDs
// set, only those timers are considered (the fast path of the node that just wrote them).
// Claimed timers come back ordered by FireAt. A lease is expired when Now is after
// LeaseUntil. TimerNext does not report timers leased to a live owner, so a poller
// should not sleep longer than the lease it grants.
type TimerClaimParams struct {
	Now          time.Time
	Owner        string
	LeaseFor     time.Duration
	Limit        int
	ExecutionARN string
	IDs          []string
}

// Task is an outbox row for work outside the interpreter: an activity waiting for a
// worker, a callback waiting for its token, a nested execution, a service call.
type Task struct {
	ExecutionARN string
	ID           string
	Kind         string // "activity", "callback", "service", ... (the engine's words)
	Resource     string // activity ARN for activities (GetActivityTask claims by it)
	Token        string // task token; unique when non-empty
	State        string // "scheduled", "started"; the engine's words
	Input        []byte
	WorkerName   string
	CreatedAt    time.Time
	StartedAt    time.Time
	Owner        string
	LeaseUntil   time.Time
	Version      int64 // optimistic guard for TaskUpdate, 1 after insert
}

// TaskClaimParams leases up to Limit tasks of Kind (and Resource, when set) in State,
// oldest first, whose lease is empty or expired at Now; the claim sets Owner, LeaseUntil
// and, when NewState is set, State (a worker's GetActivityTask moves scheduled→started).
// A claim increments Version, so a TaskUpdate made with the version read before the
// claim fails with ErrConflict. Claimed tasks come back oldest first (CreatedAt, then
// ExecutionARN and ID).
type TaskClaimParams struct {
	Now        time.Time
	Owner      string
	LeaseFor   time.Duration
	Limit      int
	Kind       string
	Resource   string
	State      string
	NewState   string
	WorkerName string // recorded on claimed tasks when set
}
