package sfn

import (
	"encoding/json"
	"fmt"
	"time"

	"stepline/asl"
	"stepline/jsonvalue"
	"stepline/store"
)

// Store timer kinds and the prefixes of their ids. An execution's timers share one id
// space in the store, so each kind gets its own prefix.
const (
	timerASL       = "asl"       // a StartTimer of the interpreter (Wait, retry back-off, execution timeout)
	timerTimeout   = "timeout"   // a task's TimeoutSeconds, armed when it starts
	timerHeartbeat = "heartbeat" // a task's HeartbeatSeconds, pushed back by each heartbeat
	timerChild     = "child"     // a nested execution ended; written by the child onto its parent

	prefixASL       = "w:"
	prefixTimeout   = "to:"
	prefixHeartbeat = "hb:"
	prefixChild     = "child:"
)

// Task kinds in the store's outbox.
const (
	taskActivity = "activity" // waits for a worker's GetActivityTask
	taskService  = "service"  // run by the executor's integrations (nested executions, mocks, callbacks)
)

// Task states in the store's outbox.
const (
	taskScheduled   = "scheduled"   // not yet taken
	taskStarted     = "started"     // an activity worker has it
	taskDispatching = "dispatching" // an integration is being called; re-dispatched if its lease lapses
	taskWaiting     = "waiting"     // the call was made; the answer comes by token or by a child's end
)

// childOutcome is the Data of a child timer: how a nested execution ended.
type childOutcome struct {
	ExecutionARN    string    `json:"arn"`
	StateMachineARN string    `json:"sm"`
	Name            string    `json:"name"`
	Pattern         string    `json:"pattern,omitempty"`
	Status          string    `json:"status"`
	Input           string    `json:"input"`
	Output          string    `json:"output,omitempty"`
	Error           string    `json:"error,omitempty"`
	Cause           string    `json:"cause,omitempty"`
	StartDate       time.Time `json:"start"`
	StopDate        time.Time `json:"stop"`
}

// transition accumulates one store write: the events and commands of one or more
// Steps, turned into the rows HistoryAppend takes.
type transition struct {
	ex    store.Execution
	doc   *execDoc
	now   time.Time
	first int64 // the next event id before this transition

	events       []store.HistoryEvent
	timersAdd    []store.Timer
	timersDelete []string
	tasksAdd     []store.Task
	tasksDelete  []string

	closed       bool
	smGone       bool // the state machine was deleted: the transition stops the execution
	stopChildren []string
	abortMapRuns []string // map runs whose parent stopped waiting
	nudgeTimers  bool
}

func newTransition(ex store.Execution, doc *execDoc, now time.Time) *transition {
	if doc.Tasks == nil {
		doc.Tasks = make(map[string]taskMeta)
	}
	if doc.Timers == nil {
		doc.Timers = make(map[string]bool)
	}
	return &transition{ex: ex, doc: doc, now: now, first: ex.NextEventID}
}

// noteInput updates the task bookkeeping for an input about to be stepped: a task
// that starts gets its deadlines, a task that ends loses its row and timers.
func (t *transition) noteInput(in asl.Input) {
	switch in := in.(type) {
	case asl.TaskStarted:
		t.taskStarted(in.TaskID)
	case asl.TaskSucceeded:
		t.dropTask(in.TaskID)
	case asl.TaskFailed:
		t.dropTask(in.TaskID)
	case asl.TaskTimedOut:
		t.dropTask(in.TaskID)
	case asl.ItemsRead:
		t.dropTask(in.TaskID)
	case asl.MapRunEnded:
		t.dropTask(in.TaskID)
	}
}

// taskStarted arms a task's deadlines. AWS measures TimeoutSeconds and
// HeartbeatSeconds from the moment the task starts (ActivityStarted/TaskStarted), not
// from scheduling.
func (t *transition) taskStarted(id string) {
	m, ok := t.doc.Tasks[id]
	if !ok || m.Started {
		return
	}
	m.Started = true
	t.doc.Tasks[id] = m
	if m.Timeout > 0 {
		t.addTimer(prefixTimeout+id, timerTimeout, t.now.Add(time.Duration(m.Timeout)*time.Second), nil)
	}
	if m.Heartbeat > 0 {
		t.addTimer(prefixHeartbeat+id, timerHeartbeat, t.now.Add(time.Duration(m.Heartbeat)*time.Second), nil)
	}
}

// dropTask forgets a task that ended: its outbox row and its deadlines.
func (t *transition) dropTask(id string) {
	m, ok := t.doc.Tasks[id]
	if !ok {
		return
	}
	delete(t.doc.Tasks, id)
	t.tasksDelete = append(t.tasksDelete, id)
	t.deleteTimer(prefixTimeout + id)
	t.deleteTimer(prefixHeartbeat + id)
	if m.Child != "" {
		t.deleteTimer(prefixChild + id)
	}
}

func (t *transition) addTimer(id, kind string, at time.Time, data []byte) {
	t.doc.Timers[id] = true
	t.timersAdd = append(t.timersAdd, store.Timer{ExecutionARN: t.ex.ARN, ID: id, Kind: kind, FireAt: at, Data: data})
	t.nudgeTimers = true
}

func (t *transition) deleteTimer(id string) {
	if !t.doc.Timers[id] {
		return
	}
	delete(t.doc.Timers, id)
	t.timersDelete = append(t.timersDelete, id)
}

// consumeTimer removes the timer a delivery answers, whether or not it is still
// listed: a timer that fired must never fire again.
func (t *transition) consumeTimer(id string) {
	if id == "" {
		return
	}
	delete(t.doc.Timers, id)
	t.timersDelete = append(t.timersDelete, id)
}

// add takes one Decision's events and commands.
func (t *transition) add(d asl.Decision) error {
	for _, ev := range d.Events {
		t.events = append(t.events, store.HistoryEvent{
			ID: ev.ID, PreviousEventID: ev.PreviousEventID, Timestamp: ev.Timestamp, Type: ev.Type, Details: ev.Details,
		})
	}
	for _, c := range d.Commands {
		if err := t.command(c); err != nil {
			return err
		}
	}
	return nil
}

func (t *transition) command(c asl.Command) error {
	switch c := c.(type) {
	case asl.ScheduleTask:
		return t.scheduleTask(c)
	case asl.CancelTask:
		if m, ok := t.doc.Tasks[c.TaskID]; ok && m.Child != "" {
			t.stopChildren = append(t.stopChildren, m.Child)
		}
		if m, ok := t.doc.Tasks[c.TaskID]; ok && m.MapRun != "" {
			t.abortMapRuns = append(t.abortMapRuns, m.MapRun)
		}
		t.dropTask(c.TaskID)
	case asl.ReadItems:
		return t.scheduleReadItems(c)
	case asl.StartMapRun:
		return t.scheduleMapRun(c)
	case asl.StartTimer:
		t.addTimer(prefixASL+c.TimerID, timerASL, c.FireAt, nil)
	case asl.CancelTimer:
		t.deleteTimer(prefixASL + c.TimerID)
	case asl.Close:
		t.close(c)
	default:
		return fmt.Errorf("unknown command %T", c)
	}
	return nil
}

// taskEnvelope is the outbox row's Input: the parameters and what the dispatcher
// needs to run the task.
type taskEnvelope struct {
	StateName string          `json:"state"`
	Kind      asl.TaskKind    `json:"kind"`
	Resource  string          `json:"resource"`
	Service   string          `json:"service,omitempty"`
	Action    string          `json:"action,omitempty"`
	Pattern   string          `json:"pattern,omitempty"`
	Input     json.RawMessage `json:"input"`
	Region    string          `json:"region,omitempty"`
}

func (t *transition) scheduleTask(c asl.ScheduleTask) error {
	kind := taskService
	if c.Kind == asl.TaskActivity {
		kind = taskActivity
	}
	env := taskEnvelope{
		StateName: c.StateName, Kind: c.Kind, Resource: c.Resource, Service: c.Service, Action: c.Action,
		Pattern: c.Pattern, Input: jsonvalue.Marshal(c.Input), Region: c.Region,
	}
	b, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("encode task %s: %w", c.TaskID, err)
	}
	resource := ""
	if kind == taskActivity {
		resource = c.Resource
	}
	t.doc.Tasks[c.TaskID] = taskMeta{Kind: kind, Timeout: c.TimeoutSeconds, Heartbeat: c.HeartbeatSeconds}
	t.tasksAdd = append(t.tasksAdd, store.Task{
		ExecutionARN: t.ex.ARN, ID: c.TaskID, Kind: kind, Resource: resource, Token: c.Token,
		State: taskScheduled, Input: b, CreatedAt: t.now,
	})
	return nil
}

// close ends the execution: every timer and task it owns goes in the same write, and
// a parent waiting on it gets a due child timer, so the parent's wake-up is as durable
// as the end itself.
func (t *transition) close(c asl.Close) {
	t.closed = true
	t.ex.Status = c.Status
	t.ex.StopTime = t.now
	if c.Status == ExecSucceeded {
		t.doc.Output, t.doc.HasOutput = jsonvalue.MarshalString(c.Output), true
	}
	t.doc.Error, t.doc.Cause = c.Error, c.Cause
	for id, m := range t.doc.Tasks {
		if m.Child != "" {
			t.stopChildren = append(t.stopChildren, m.Child)
		}
		if m.MapRun != "" {
			t.abortMapRuns = append(t.abortMapRuns, m.MapRun)
		}
		t.tasksDelete = append(t.tasksDelete, id)
	}
	clear(t.doc.Tasks)
	for id := range t.doc.Timers {
		t.timersDelete = append(t.timersDelete, id)
	}
	clear(t.doc.Timers)
	if t.doc.MapRun != nil {
		t.mapChildEnded(c.Status)
	}
	if p := t.doc.Parent; p != nil {
		out := childOutcome{
			ExecutionARN: t.ex.ARN, StateMachineARN: t.ex.StateMachineARN, Name: t.ex.Name, Pattern: p.Pattern,
			Status: c.Status, Input: t.doc.Input, Error: c.Error, Cause: c.Cause, StartDate: t.ex.StartTime, StopDate: t.now,
		}
		if c.Status == ExecSucceeded {
			out.Output = t.doc.Output
		}
		b, _ := json.Marshal(out) // strings only
		t.timersAdd = append(t.timersAdd, store.Timer{
			ExecutionARN: p.ExecutionARN, ID: prefixChild + p.TaskID, Kind: timerChild, FireAt: t.now, Data: b,
		})
		t.nudgeTimers = true
	}
}

// params returns the store write of the transition.
func (t *transition) params(snapshot []byte, create bool) store.HistoryAppendParams {
	ex := t.ex
	ex.Data = t.doc.encode()
	if snapshot != nil {
		ex.Snapshot = snapshot
	}
	ex.NextEventID = t.first + int64(len(t.events))
	p := store.HistoryAppendParams{
		Create:            create,
		Execution:         ex,
		ExpectNextEventID: t.first,
		Events:            t.events,
	}
	p.TimersAdd, p.TimersDelete = netTimers(t.ex.ARN, t.timersAdd, t.timersDelete, t.doc.Timers)
	p.TasksAdd, p.TasksDelete = netTasks(t.tasksAdd, t.tasksDelete, t.doc.Tasks)
	return p
}

// netTimers reduces the timer operations of a transition to one per id, so that the
// driver's order of inserting and deleting cannot matter: a timer of this execution
// is added when it is still pending at the end, deleted otherwise. Timers written
// onto another execution (a parent's child timer) are always added.
func netTimers(arn string, add []store.Timer, del []string, pending map[string]bool) ([]store.Timer, []string) {
	var outAdd []store.Timer
	last := make(map[string]store.Timer, len(add))
	for _, tm := range add {
		if tm.ExecutionARN != arn {
			outAdd = append(outAdd, tm)
			continue
		}
		last[tm.ID] = tm
	}
	for id, tm := range last {
		if pending[id] {
			outAdd = append(outAdd, tm)
		}
	}
	var outDel []string
	seen := make(map[string]bool, len(del))
	for _, id := range del {
		if !pending[id] && !seen[id] {
			seen[id] = true
			outDel = append(outDel, id)
		}
	}
	return outAdd, outDel
}

// netTasks does for tasks what netTimers does for timers: a task scheduled and
// dropped in the same transition is neither inserted nor deleted.
func netTasks(add []store.Task, del []string, open map[string]taskMeta) ([]store.Task, []string) {
	var outAdd []store.Task
	added := make(map[string]bool, len(add))
	for _, tk := range add {
		if _, ok := open[tk.ID]; ok {
			outAdd = append(outAdd, tk)
		}
		added[tk.ID] = true
	}
	var outDel []string
	seen := make(map[string]bool, len(del))
	for _, id := range del {
		if _, ok := open[id]; ok || seen[id] || added[id] {
			continue
		}
		seen[id] = true
		outDel = append(outDel, id)
	}
	return outAdd, outDel
}
