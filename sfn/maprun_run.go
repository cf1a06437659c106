package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"stepline/asl"
	"stepline/jsonvalue"
	"stepline/store"
)

// A Distributed Map run (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html)
// is coordinated here. The parent's StartMapRun becomes an outbox task holding the
// children's inputs; dispatching it creates the map run record and the first
// children, which are ordinary executions of this engine (their own histories and
// snapshots) named by their index, so creating one twice finds the first. A child's
// close writes a map-child timer onto the parent in its own transition; the timer loop
// hands those to the run's coordinator, which counts them in the record (a bitmap
// makes a repeated end harmless), starts the next children, and then removes the
// timers. The run's end is delivered to the parent as MapRunEnded, which removes the
// outbox task. Every step is repeatable, so after a kill -9 the leased timers and
// tasks come back and the run goes on from its record.

// Engine task services of the map run's outbox tasks.
const (
	serviceItemReader = "stepline:itemReader"
	serviceMapRun     = "stepline:mapRun"
)

// timerMapChild is a map run child's end, written by the child onto the parent.
const (
	timerMapChild  = "mapchild"
	prefixMapChild = "mrc:"
)

// mapRunMaxConcurrency is a Distributed Map's concurrency when MaxConcurrency is 0.
const mapRunMaxConcurrency = 10000

// mapRunLaunchParallel bounds the children a coordinator creates at once.
const mapRunLaunchParallel = 256

// mapRunRef is set on a map run's child execution.
type mapRunRef struct {
	ARN    string `json:"arn"`
	Parent string `json:"parent"`
	Index  int    `json:"i"`
}

// mapChildEnd is the Data of a map-child timer.
type mapChildEnd struct {
	ARN    string `json:"arn"`
	Index  int    `json:"i"`
	Status string `json:"s"`
}

// mapRunStart is the map run task's Input: asl.StartMapRun in JSON.
type mapRunStart struct {
	ARN              string            `json:"arn"`
	StateName        string            `json:"state"`
	Label            string            `json:"label"`
	Definition       json.RawMessage   `json:"def"`
	ExecutionType    string            `json:"type"`
	Inputs           []json.RawMessage `json:"inputs"`
	ItemCount        int               `json:"items"`
	MaxConcurrency   int               `json:"mc"`
	TolCount         int64             `json:"tc"`
	TolPct           float64           `json:"tp"`
	WriterResource   string            `json:"wr,omitempty"`
	WriterParameters json.RawMessage   `json:"wp,omitempty"`
}

// readItemsRequest is the item reader task's Input.
type readItemsRequest struct {
	Parameters   json.RawMessage `json:"params,omitempty"`
	ReaderConfig json.RawMessage `json:"config,omitempty"`
}

// mapRuns is the engine's in-memory help for map runs: parsed inputs and child
// machines, and the child ends waiting for their run's coordinator.
type mapRuns struct {
	mu      sync.Mutex
	mem     map[string]*mapRunMem    // by map run ARN; guarded by mu
	pending map[string][]store.Timer // child-end timers not yet counted; guarded by mu
	busy    map[string]bool          // a coordinator drains pending; guarded by mu
}

type mapRunMem struct {
	start   *mapRunStart
	machine *asl.Machine
}

func newMapRuns() *mapRuns {
	return &mapRuns{mem: make(map[string]*mapRunMem), pending: make(map[string][]store.Timer), busy: make(map[string]bool)}
}

// scheduleReadItems turns ReadItems into an outbox task.
func (t *transition) scheduleReadItems(c asl.ReadItems) error {
	req := readItemsRequest{}
	if c.Parameters != nil {
		req.Parameters = jsonvalue.Marshal(c.Parameters)
	}
	if c.ReaderConfig != nil {
		req.ReaderConfig = jsonvalue.Marshal(c.ReaderConfig)
	}
	in, _ := json.Marshal(req) // raw JSON texts
	return t.scheduleEngineTask(c.TaskID, taskEnvelope{StateName: c.StateName, Resource: c.Resource,
		Service: serviceItemReader, Input: in}, "")
}

// scheduleMapRun turns StartMapRun into an outbox task.
func (t *transition) scheduleMapRun(c asl.StartMapRun) error {
	st := mapRunStart{ARN: c.MapRunARN, StateName: c.StateName, Label: c.Label, Definition: c.Definition,
		ExecutionType: c.ExecutionType, ItemCount: c.ItemCount, MaxConcurrency: c.MaxConcurrency,
		TolCount: c.ToleratedFailureCount, TolPct: c.ToleratedFailurePercentage, WriterResource: c.WriterResource}
	st.Inputs = make([]json.RawMessage, len(c.Inputs))
	for i, v := range c.Inputs {
		st.Inputs[i] = jsonvalue.Marshal(v)
	}
	if c.WriterParameters != nil {
		st.WriterParameters = jsonvalue.Marshal(c.WriterParameters)
	}
	in, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode map run %s: %w", c.MapRunARN, err)
	}
	return t.scheduleEngineTask(c.TaskID, taskEnvelope{StateName: c.StateName, Service: serviceMapRun, Input: in}, c.MapRunARN)
}

// scheduleEngineTask writes an outbox task the engine itself runs.
func (t *transition) scheduleEngineTask(id string, env taskEnvelope, mapRun string) error {
	env.Kind = asl.TaskService
	b, err := json.Marshal(env)
	if err != nil {
		return fmt.Errorf("encode task %s: %w", id, err)
	}
	t.doc.Tasks[id] = taskMeta{Kind: taskService, MapRun: mapRun}
	t.tasksAdd = append(t.tasksAdd, store.Task{ExecutionARN: t.ex.ARN, ID: id, Kind: taskService,
		State: taskScheduled, Input: b, CreatedAt: t.now})
	return nil
}

// mapChildEnded writes a map run child's end onto its parent, in the child's closing
// transition.
func (t *transition) mapChildEnded(status string) {
	r := t.doc.MapRun
	b, _ := json.Marshal(mapChildEnd{ARN: r.ARN, Index: r.Index, Status: status}) // strings and a number
	t.timersAdd = append(t.timersAdd, store.Timer{ExecutionARN: r.Parent, ID: mapChildTimerID(r.ARN, r.Index),
		Kind: timerMapChild, FireAt: t.now, Data: b})
	t.nudgeTimers = true
}

func mapChildTimerID(arn string, i int) string {
	return prefixMapChild + arn[strings.LastIndexByte(arn, ':')+1:] + ":" + strconv.Itoa(i)
}

// readItemsTask runs an ItemReader task.
func (e *engine) readItemsTask(ctx context.Context, tk store.Task, env taskEnvelope) taskOutcome {
	var req readItemsRequest
	var params, cfg any
	err := json.Unmarshal(env.Input, &req)
	if err == nil && len(req.Parameters) > 0 {
		params, err = jsonvalue.Parse(req.Parameters)
	}
	if err == nil && len(req.ReaderConfig) > 0 {
		cfg, err = jsonvalue.Parse(req.ReaderConfig)
	}
	if err != nil {
		return taskOutcome{inputs: []asl.Input{asl.ItemsRead{TaskID: tk.ID, Error: "States.ItemReaderFailed", Cause: err.Error()}}}
	}
	items, fl := readItems(ctx, e.s.cfg.Objects, env.Resource, params, cfg)
	if fl != nil {
		return taskOutcome{inputs: []asl.Input{asl.ItemsRead{TaskID: tk.ID, Error: fl.Error, Cause: fl.Cause}}}
	}
	return taskOutcome{inputs: []asl.Input{asl.ItemsRead{TaskID: tk.ID, Items: items}}}
}

// runMapRunTask dispatches a map run task: it creates the run and its first children,
// then parks the task until the run ends.
func (e *engine) runMapRunTask(ctx context.Context, tk store.Task, env taskEnvelope) {
	var st mapRunStart
	if err := json.Unmarshal(env.Input, &st); err != nil {
		e.s.cfg.Logger.Warn("decode map run", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
		return
	}
	if err := e.createMapRun(ctx, tk, &st); err != nil {
		if ctx.Err() == nil {
			e.s.cfg.Logger.Warn("create map run", "mapRun", st.ARN, "err", err)
		}
		return // the lease lapses and the task loop tries again
	}
	if err := e.advanceMapRun(ctx, st.ARN, mapRunChange{}); err != nil {
		if ctx.Err() == nil {
			e.s.cfg.Logger.Warn("start map run", "mapRun", st.ARN, "err", err)
		}
		return
	}
	tk.State, tk.Owner = taskWaiting, ""
	if _, err := e.s.store.TaskUpdate(ctx, tk); err != nil && !errors.Is(err, store.ErrNotFound) && ctx.Err() == nil {
		e.s.cfg.Logger.Warn("park task", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
	}
}

// createMapRun writes the map run's record unless it exists, and keeps its inputs.
func (e *engine) createMapRun(ctx context.Context, tk store.Task, st *mapRunStart) error {
	parent, err := e.rows.load(ctx, e.s.store, tk.ExecutionARN)
	if err != nil {
		return fmt.Errorf("load parent %s: %w", tk.ExecutionARN, err)
	}
	pdoc, err := decodeExecDoc(parent)
	if err != nil {
		return err
	}
	m, err := asl.Parse(string(st.Definition))
	if err != nil {
		return fmt.Errorf("parse the item processor of %s: %w", st.ARN, err)
	}
	childSM := parent.StateMachineARN + "/" + st.Label
	key, err := e.defs.save(ctx, e.s.store, childSM, string(st.Definition), m)
	if err != nil {
		return err
	}
	e.mr.mu.Lock()
	e.mr.mem[st.ARN] = &mapRunMem{start: st, machine: m}
	e.mr.mu.Unlock()
	d := mapRunDoc{ARN: st.ARN, ExecutionARN: tk.ExecutionARN, TaskID: tk.ID, StateMachineARN: childSM,
		StateName: st.StateName, ExecutionType: st.ExecutionType, RoleARN: pdoc.RoleARN, DefinitionKey: key,
		Status: MapRunRunning, StartDate: tk.CreatedAt, MaxConcurrency: st.MaxConcurrency, TolCount: st.TolCount,
		TolPct: st.TolPct, Total: len(st.Inputs), ItemTotal: st.ItemCount}
	if st.WriterResource != "" {
		d.HasWriter = true
		if p, err := jsonvalue.Parse(st.WriterParameters); err == nil {
			if o, ok := p.(*jsonvalue.Object); ok {
				if v, ok := o.Get("Bucket"); ok {
					d.WriterBucket, _ = v.(string)
				}
				if v, ok := o.Get("Prefix"); ok {
					d.WriterPrefix, _ = v.(string)
				}
			}
		}
	}
	rec := store.Record{Kind: kindMapRun, Key: st.ARN, Parent: tk.ExecutionARN,
		Sort: fmt.Sprintf("%020d", tk.CreatedAt.UnixNano())}
	if _, err := putDoc(ctx, e.s.store, rec, d); err != nil && !errors.Is(err, store.ErrExists) {
		return fmt.Errorf("create map run %s: %w", st.ARN, err)
	}
	return nil
}

// mapRunMemory returns a run's inputs and child machine, reading them from the
// parent's outbox task after a restart.
func (e *engine) mapRunMemory(ctx context.Context, d *mapRunDoc) (*mapRunMem, error) {
	e.mr.mu.Lock()
	mm := e.mr.mem[d.ARN]
	e.mr.mu.Unlock()
	if mm != nil {
		return mm, nil
	}
	tk, err := e.s.store.TaskGet(ctx, d.ExecutionARN, d.TaskID)
	if err != nil {
		return nil, fmt.Errorf("load map run task %s: %w", d.TaskID, err)
	}
	var env taskEnvelope
	st := &mapRunStart{}
	if err := json.Unmarshal(tk.Input, &env); err != nil {
		return nil, fmt.Errorf("decode map run task: %w", err)
	}
	if err := json.Unmarshal(env.Input, st); err != nil {
		return nil, fmt.Errorf("decode map run task: %w", err)
	}
	m, err := e.defs.machine(ctx, e.s.store, d.DefinitionKey)
	if err != nil {
		return nil, err
	}
	mm = &mapRunMem{start: st, machine: m}
	e.mr.mu.Lock()
	e.mr.mem[d.ARN] = mm
	e.mr.mu.Unlock()
	return mm, nil
}

// mapChildEnd queues a child's end for its run's coordinator; one coordinator per run
// drains the queue, so the ends of many children cost one record write.
func (e *engine) mapChildTimer(ctx context.Context, tm store.Timer) {
	var c mapChildEnd
	if err := json.Unmarshal(tm.Data, &c); err != nil || c.ARN == "" {
		// Not ours to read: remove it so it does not fire forever.
		e.consumeTimers(ctx, tm.ExecutionARN, []string{tm.ID})
		return
	}
	e.mr.mu.Lock()
	e.mr.pending[c.ARN] = append(e.mr.pending[c.ARN], tm)
	if e.mr.busy[c.ARN] {
		e.mr.mu.Unlock()
		return
	}
	e.mr.busy[c.ARN] = true
	e.mr.mu.Unlock()
	for {
		e.mr.mu.Lock()
		batch := e.mr.pending[c.ARN]
		delete(e.mr.pending, c.ARN)
		if len(batch) == 0 {
			delete(e.mr.busy, c.ARN)
			e.mr.mu.Unlock()
			return
		}
		e.mr.mu.Unlock()
		if err := e.advanceMapRun(ctx, c.ARN, mapRunChange{ends: batch}); err != nil && ctx.Err() == nil {
			// The timers stay leased and come back when the lease lapses.
			e.s.cfg.Logger.Warn("map run child ended", "mapRun", c.ARN, "err", err)
		}
	}
}

// consumeTimers removes timers of an execution without stepping it.
func (e *engine) consumeTimers(ctx context.Context, arn string, ids []string) {
	if _, err := e.deliver(ctx, arn, delivery{consumeTimers: ids, noStep: true}); err != nil && !errors.Is(err, errClosed) && ctx.Err() == nil {
		e.s.cfg.Logger.Warn("remove timers", "execution", arn, "err", err)
	}
}

// mapRunChange is what moves a map run on: children that ended, an UpdateMapRun, or
// the parent no longer waiting (abort).
type mapRunChange struct {
	ends   []store.Timer
	update *UpdateMapRunParams
	abort  bool
}

// advanceMapRun applies a change to a map run under its lock: counts ended children,
// decides whether the run ends, starts the next children, and tells the parent when it
// ended.
func (e *engine) advanceMapRun(ctx context.Context, arn string, ch mapRunChange) error {
	unlock := e.locks.lock(arn)
	defer unlock()
	var d mapRunDoc
	var output any
	wasEnded := false
	for attempt := 0; ; attempt++ {
		doc, rec, err := getDoc[mapRunDoc](ctx, e.s.store, kindMapRun, arn)
		if err != nil {
			return fmt.Errorf("load map run %s: %w", arn, err)
		}
		d = doc
		if ch.update != nil && d.Status != MapRunRunning {
			return mapRunCompleted(arn)
		}
		wasEnded = d.Status != MapRunRunning
		changed, err := e.decideMapRun(ctx, &d, ch, &output)
		if err != nil {
			return err
		}
		if !changed {
			break
		}
		_, err = putDoc(ctx, e.s.store, rec, d)
		if errors.Is(err, store.ErrConflict) && attempt < conflictRetries {
			continue
		}
		if err != nil {
			return fmt.Errorf("update map run %s: %w", arn, err)
		}
		break
	}
	if d.Status == MapRunRunning && d.Launched < d.Next {
		if err := e.launchMapChildren(ctx, &d); err != nil {
			return err
		}
	}
	ids := make([]string, len(ch.ends))
	for i, tm := range ch.ends {
		ids[i] = tm.ID
	}
	if wasEnded {
		// Children stopped after the run ended, or a repeated end: the parent heard
		// of the end unless it still waits.
		gone, err := e.mapRunParentGone(ctx, &d)
		if err != nil {
			return err
		}
		if gone {
			if len(ids) > 0 {
				e.consumeTimers(ctx, d.ExecutionARN, ids)
			}
			return nil
		}
	}
	if d.Status != MapRunRunning {
		return e.endMapRun(ctx, &d, output, ids)
	}
	if len(ids) > 0 {
		e.consumeTimers(ctx, d.ExecutionARN, ids)
	}
	return nil
}

// decideMapRun applies ch to d and reports whether d changed. When the run succeeds,
// output is the Map's result.
func (e *engine) decideMapRun(ctx context.Context, d *mapRunDoc, ch mapRunChange, output *any) (bool, error) {
	changed := false
	for _, tm := range ch.ends {
		var c mapChildEnd
		if json.Unmarshal(tm.Data, &c) != nil || c.Index < 0 || c.Index >= d.Total || d.done(c.Index) {
			continue
		}
		d.setDone(c.Index)
		changed = true
		switch c.Status {
		case ExecSucceeded:
			d.Succeeded++
		case ExecTimedOut:
			d.TimedOut++
		case ExecAborted:
			d.Aborted++
		default:
			d.Failed++
		}
	}
	if d.Status != MapRunRunning {
		// Still counted, for DescribeMapRun; nothing else changes.
		return changed, nil
	}
	if u := ch.update; u != nil {
		changed = true
		if u.MaxConcurrency != nil {
			d.MaxConcurrency = int(*u.MaxConcurrency)
		}
		if u.ToleratedFailureCount != nil {
			d.TolCount = *u.ToleratedFailureCount
		}
		if u.ToleratedFailurePercentage != nil {
			d.TolPct = *u.ToleratedFailurePercentage
		}
	}
	now := e.s.stamp()
	gone, err := e.mapRunParentGone(ctx, d)
	if err != nil {
		return false, err
	}
	switch {
	case ch.abort || gone:
		d.Status, d.StopDate = MapRunAborted, now
		return true, nil
	case !d.tolerated():
		d.Status, d.StopDate = MapRunFailed, now
		d.Error, d.Cause = "States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded"
		return true, nil
	case d.ended() == d.Total:
		out, fl, err := e.mapRunOutput(ctx, d)
		if err != nil {
			return false, err
		}
		d.StopDate = now
		if fl != nil {
			d.Status, d.Error, d.Cause = MapRunFailed, fl.Error, fl.Cause
		} else {
			d.Status, *output = MapRunSucceeded, out
		}
		return true, nil
	}
	limit := d.MaxConcurrency
	if limit <= 0 || limit > mapRunMaxConcurrency {
		limit = mapRunMaxConcurrency
	}
	for d.Next < d.Total && d.running() < limit {
		d.Next++
		changed = true
	}
	return changed, nil
}

// mapRunParentGone reports whether the parent stopped waiting for the run (it closed,
// or left the Map state), which aborts the run.
func (e *engine) mapRunParentGone(ctx context.Context, d *mapRunDoc) (bool, error) {
	ex, err := e.rows.load(ctx, e.s.store, d.ExecutionARN)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("load parent %s: %w", d.ExecutionARN, err)
	}
	if isClosed(ex.Status) {
		return true, nil
	}
	doc, err := decodeExecDoc(ex)
	if err != nil {
		return false, err
	}
	_, waiting := doc.Tasks[d.TaskID]
	return !waiting, nil
}

// launchMapChildren creates children [Launched, Next) and records that they exist.
func (e *engine) launchMapChildren(ctx context.Context, d *mapRunDoc) error {
	mm, err := e.mapRunMemory(ctx, d)
	if err != nil {
		return err
	}
	sem := make(chan struct{}, mapRunLaunchParallel)
	errs := make(chan error, d.Next-d.Launched)
	var wg sync.WaitGroup
	for i := d.Launched; i < d.Next; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := e.startMapChild(ctx, d, mm, i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		doc, rec, err := getDoc[mapRunDoc](ctx, e.s.store, kindMapRun, d.ARN)
		if err != nil {
			return fmt.Errorf("load map run %s: %w", d.ARN, err)
		}
		doc.Launched = max(doc.Launched, d.Next)
		_, err = putDoc(ctx, e.s.store, rec, doc)
		if errors.Is(err, store.ErrConflict) && attempt < conflictRetries {
			continue
		}
		if err != nil {
			return fmt.Errorf("update map run %s: %w", d.ARN, err)
		}
		d.Launched = doc.Launched
		return nil
	}
}

// mapChildName is a child's name: a UUID derived from the run and the index, so that
// creating the child again finds it.
func mapChildName(runARN string, i int) string { return childName(runARN, strconv.Itoa(i)) }

// mapChildARN is arn:<p>:states:<r>:<a>:execution:<state machine>/<label>:<name>, or
// for an EXPRESS child, like any express execution,
// arn:<p>:states:<r>:<a>:express:<state machine>/<label>:<name>:<uuid>.
func mapChildARN(d *mapRunDoc, name string, i int) string {
	if d.ExecutionType == TypeExpress {
		return strings.Replace(d.StateMachineARN, ":stateMachine:", ":"+arnTypeExpress+":", 1) + ":" + name + ":" +
			childName(d.ARN, "express:"+strconv.Itoa(i))
	}
	return strings.Replace(d.StateMachineARN, ":stateMachine:", ":"+arnTypeExecution+":", 1) + ":" + name
}

// startMapChild creates child i, as StartExecution would, unless it exists.
func (e *engine) startMapChild(ctx context.Context, d *mapRunDoc, mm *mapRunMem, i int) error {
	if i >= len(mm.start.Inputs) {
		return fmt.Errorf("map run %s has no input %d", d.ARN, i)
	}
	name := mapChildName(d.ARN, i)
	arn := mapChildARN(d, name, i)
	raw := string(mm.start.Inputs[i])
	input, err := jsonvalue.ParseString(raw)
	if err != nil {
		return fmt.Errorf("decode input %d of %s: %w", i, d.ARN, err)
	}
	unlock := e.locks.lock(arn)
	defer unlock()
	now := e.s.stamp()
	smName := d.StateMachineARN[strings.LastIndex(d.StateMachineARN, ":stateMachine:")+len(":stateMachine:"):]
	doc := &execDoc{Input: raw, Type: d.ExecutionType, SMName: smName, RoleARN: d.RoleARN, DefinitionKey: d.DefinitionKey,
		Seed: seedOf(name), MapRun: &mapRunRef{ARN: d.ARN, Parent: d.ExecutionARN, Index: i}}
	ex := store.Execution{ARN: arn, StateMachineARN: d.StateMachineARN, MapRunARN: d.ARN, Name: name,
		Status: ExecRunning, StartTime: now, NextEventID: 1}
	info := asl.ExecutionInfo{ExecutionARN: arn, Name: name, StateMachineARN: d.StateMachineARN, StateMachineName: smName,
		RoleARN: d.RoleARN, Type: d.ExecutionType, StartTime: now, MapRuns: true}
	dec, err := mm.machine.Step(nil, asl.Start{Info: info, Input: input, Seed: doc.Seed, InputText: raw}, now)
	if err != nil {
		return fmt.Errorf("start %s: %w", arn, err)
	}
	tr := newTransition(ex, doc, now)
	if err := tr.add(dec); err != nil {
		return err
	}
	snap, err := asl.MarshalState(dec.State)
	if err != nil {
		return fmt.Errorf("encode state of %s: %w", arn, err)
	}
	p := tr.params(snap, true)
	err = e.s.store.HistoryAppend(ctx, p)
	if errors.Is(err, store.ErrExists) {
		return nil // created before a restart
	}
	if err != nil {
		return fmt.Errorf("start %s: %w", arn, err)
	}
	e.rows.keep(p.Execution)
	e.afterWrite(&steppedTransition{transition: tr, state: dec.State}, p)
	return nil
}

// seedOf derives a child's random seed from its name, so a re-created child draws the
// same values.
func seedOf(name string) uint64 {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return h
}

// endMapRun finishes an ended run: stops children still running (a failed or aborted
// run) and tells the parent, removing the child-end timers in the same write.
func (e *engine) endMapRun(ctx context.Context, d *mapRunDoc, output any, timerIDs []string) error {
	if d.Status != MapRunSucceeded {
		e.stopMapChildren(d.ARN)
	}
	if d.Status == MapRunSucceeded && output == nil {
		// Told before, and the parent may not have heard: compute the result again.
		out, fl, err := e.mapRunOutput(ctx, d)
		if err != nil {
			return err
		}
		if fl == nil {
			output = out
		}
	}
	end := asl.MapRunEnded{TaskID: d.TaskID, Status: d.Status, Output: output, Error: d.Error, Cause: d.Cause}
	if d.Status == MapRunAborted {
		end.Status, end.Error, end.Cause = MapRunFailed, "States.Runtime", "The Map Run was aborted."
	}
	_, err := e.deliver(ctx, d.ExecutionARN, delivery{inputs: []asl.Input{end}, consumeTimers: timerIDs})
	if err != nil && !errors.Is(err, errClosed) {
		return fmt.Errorf("tell %s its map run ended: %w", d.ExecutionARN, err)
	}
	e.mr.mu.Lock()
	delete(e.mr.mem, d.ARN)
	e.mr.mu.Unlock()
	return nil
}

// stopMapChildren stops a run's children that still run.
func (e *engine) stopMapChildren(arn string) {
	e.spawn(func(ctx context.Context) {
		rows, err := e.s.store.ExecutionList(ctx, store.ExecutionListParams{MapRunARN: arn, Open: true})
		if err != nil {
			e.s.cfg.Logger.Warn("list map run children", "mapRun", arn, "err", err)
			return
		}
		for _, r := range rows {
			if _, err := e.s.stopExecution(ctx, r.ARN, "", ""); err != nil && !errors.Is(err, errClosed) && ctx.Err() == nil {
				e.s.cfg.Logger.Warn("stop map run child", "execution", r.ARN, "err", err)
			}
		}
	})
}

// abortMapRun ends a run whose parent stopped waiting for it.
func (e *engine) abortMapRun(arn string) {
	e.spawn(func(ctx context.Context) {
		if err := e.advanceMapRun(ctx, arn, mapRunChange{abort: true}); err != nil && ctx.Err() == nil {
			e.s.cfg.Logger.Warn("abort map run", "mapRun", arn, "err", err)
		}
	})
}

// updateMapRun applies UpdateMapRun and starts the children a higher concurrency
// allows.
func (e *engine) updateMapRun(ctx context.Context, p UpdateMapRunParams) error {
	return e.advanceMapRun(ctx, p.MapRunARN, mapRunChange{update: &p})
}

// mapChild is one child as the results report it.
type mapChild struct {
	ex  store.Execution
	doc *execDoc
}

// mapRunChildren returns a run's children by index.
func (e *engine) mapRunChildren(ctx context.Context, d *mapRunDoc) ([]*mapChild, error) {
	rows, err := e.s.store.ExecutionList(ctx, store.ExecutionListParams{MapRunARN: d.ARN})
	if err != nil {
		return nil, fmt.Errorf("list children of %s: %w", d.ARN, err)
	}
	out := make([]*mapChild, d.Total)
	for _, r := range rows {
		doc, err := decodeExecDoc(r)
		if err != nil {
			return nil, err
		}
		if doc.MapRun != nil && doc.MapRun.Index >= 0 && doc.MapRun.Index < d.Total {
			out[doc.MapRun.Index] = &mapChild{ex: r, doc: doc}
		}
	}
	return out, nil
}

// mapRunOutput is the Map's result: the children's outputs in item order ({Error,
// Cause} for a tolerated failure), or, with a ResultWriter, the files' location.
func (e *engine) mapRunOutput(ctx context.Context, d *mapRunDoc) (any, *failure, error) {
	kids, err := e.mapRunChildren(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	if d.HasWriter {
		return e.writeMapRunResults(ctx, d, kids)
	}
	out := make([]any, len(kids))
	for i, k := range kids {
		switch {
		case k == nil:
			out[i] = nil
		case k.ex.Status == ExecSucceeded:
			v, err := jsonvalue.ParseString(k.doc.Output)
			if err != nil {
				return nil, nil, fmt.Errorf("decode output of %s: %w", k.ex.ARN, err)
			}
			out[i] = v
		default:
			out[i] = jsonvalue.ObjectOf("Error", k.doc.Error, "Cause", k.doc.Cause)
		}
	}
	return out, nil, nil
}

// writeMapRunResults writes the ResultWriter's files as AWS lays them out
// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
// <Prefix>/<map run id>/SUCCEEDED_0.json, FAILED_0.json and PENDING_0.json (each only
// when it has entries) and manifest.json listing them; the Map's result names the
// manifest.
func (e *engine) writeMapRunResults(ctx context.Context, d *mapRunDoc, kids []*mapChild) (any, *failure, error) {
	objs := e.s.cfg.Objects
	if objs == nil {
		return nil, &failure{Error: "States.ResultWriterFailed", Cause: "ResultWriter needs S3, and this Step Functions service has none."}, nil
	}
	if d.WriterBucket == "" {
		return nil, &failure{Error: "States.ResultWriterFailed", Cause: "The field 'Bucket' is required in the ResultWriter parameters."}, nil
	}
	dir := d.ARN[strings.LastIndexByte(d.ARN, ':')+1:]
	if p := strings.TrimSuffix(d.WriterPrefix, "/"); p != "" {
		dir = p + "/" + dir
	}
	groups := map[string][]any{}
	for _, k := range kids {
		if k == nil {
			continue
		}
		g := "FAILED"
		switch k.ex.Status {
		case ExecSucceeded:
			g = "SUCCEEDED"
		case ExecRunning:
			g = "PENDING"
		}
		groups[g] = append(groups[g], resultEntry(k))
	}
	files := jsonvalue.NewObject(3)
	for _, g := range []string{"FAILED", "PENDING", "SUCCEEDED"} {
		list := []any{}
		if entries := groups[g]; len(entries) > 0 {
			key := dir + "/" + g + "_0.json"
			body := jsonvalue.Marshal(entries)
			if err := objs.PutObject(ctx, d.WriterBucket, key, body); err != nil {
				return nil, &failure{Error: "States.ResultWriterFailed", Cause: s3Cause(err)}, nil
			}
			list = append(list, jsonvalue.ObjectOf("Key", key, "Size", json.Number(strconv.Itoa(len(body)))))
		}
		files.Set(g, list)
	}
	manifest := jsonvalue.ObjectOf("DestinationBucket", d.WriterBucket, "MapRunArn", d.ARN, "ResultFiles", files)
	key := dir + "/manifest.json"
	if err := objs.PutObject(ctx, d.WriterBucket, key, jsonvalue.Marshal(manifest)); err != nil {
		return nil, &failure{Error: "States.ResultWriterFailed", Cause: s3Cause(err)}, nil
	}
	d.Written = len(groups["SUCCEEDED"]) + len(groups["FAILED"])
	return jsonvalue.ObjectOf("MapRunArn", d.ARN,
		"ResultWriterDetails", jsonvalue.ObjectOf("Bucket", d.WriterBucket, "Key", key)), nil, nil
}

// resultEntry is one child in a result file: its DescribeExecution, as AWS writes it.
func resultEntry(k *mapChild) any {
	iso := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	o := jsonvalue.NewObject(14)
	if k.ex.Status != ExecSucceeded && k.ex.Status != ExecRunning {
		o.Set("Cause", k.doc.Cause)
		o.Set("Error", k.doc.Error)
	}
	o.Set("ExecutionArn", k.ex.ARN)
	o.Set("Input", k.doc.Input)
	o.Set("InputDetails", jsonvalue.ObjectOf("Included", true))
	o.Set("Name", k.ex.Name)
	if k.ex.Status == ExecSucceeded {
		o.Set("Output", k.doc.Output)
		o.Set("OutputDetails", jsonvalue.ObjectOf("Included", true))
	}
	o.Set("RedriveCount", json.Number(strconv.Itoa(k.doc.RedriveCount)))
	if k.ex.Status == ExecSucceeded {
		o.Set("RedriveStatus", RedriveNotRedrivable)
		o.Set("RedriveStatusReason", "Execution is SUCCEEDED and cannot be redriven")
	} else {
		o.Set("RedriveStatus", "REDRIVABLE_BY_MAP_RUN")
	}
	o.Set("StartDate", iso(k.ex.StartTime))
	o.Set("StateMachineArn", k.ex.StateMachineARN)
	o.Set("Status", k.ex.Status)
	if !k.ex.StopTime.IsZero() {
		o.Set("StopDate", iso(k.ex.StopTime))
	}
	return o
}
