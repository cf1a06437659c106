package asl

import (
	"errors"
	"fmt"
	"math"
	"time"

	"stepline/jsonvalue"
)

// This file runs one state on its own for the TestState API
// (https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html): the
// state's input and output processing stage by stage, its Retry and Catch decisions
// for a given retry count, without following the transition it takes. The task's (or a
// Map's or Parallel's) answer comes from the caller, so this stays free of I/O.

// ErrTestStateNotFound is returned by TestState when no state has the name asked for.
var ErrTestStateNotFound = errors.New("asl: state not found in definition")

// TestValidationError is a TestState request that does not fit the state tested.
type TestValidationError struct{ Message string }

func (e *TestValidationError) Error() string { return e.Message }

// TestOutcome is what the caller answers for a Task, or for a whole Map or Parallel
// state (whose iterations and branches TestState does not run).
type TestOutcome struct {
	Result any // jsonvalue, when Failed is false
	// ResultText, when set, is Result as the caller wrote it (a mock); echoed where a
	// stage leaves the result unchanged, as the input's text is.
	ResultText []byte
	Failed     bool
	Error      string
	Cause      string
}

// TestOptions are the inputs of TestState.
type TestOptions struct {
	StateName string // searched in the top level first, then in branches and item processors
	Input     any    // jsonvalue
	InputText string // the input as the caller sent it; echoed where a stage leaves it unchanged
	Info      ExecutionInfo
	Now       time.Time
	Seed      uint64
	Variables *jsonvalue.Object // variables visible when the state is entered; nil for none
	// Context, when set, is the whole context object ($$, $states.context) the state
	// sees, as TestState's context parameter replaces it.
	Context *jsonvalue.Object
	// RetryCount is the number of retries already made by the retrier that matches
	// the error (stateConfiguration.retrierRetryCount); $$.State.RetryCount too.
	RetryCount int
	// MapIterationFailureCount is the number of iterations taken to have failed, for
	// the tolerated failure threshold of a Map.
	MapIterationFailureCount int
	// ItemReaderData, when set, stands for the items a Map's ItemReader would read.
	ItemReaderData any
	// Run answers the state's work: called once for a Task with its effective
	// parameters, and once for a Map or Parallel with the ScheduleTask of the state
	// itself (Input is its effective input).
	Run func(ScheduleTask) TestOutcome
}

// TestResult is how the tested state ended and the value after each processing stage.
// JSON texts are nil where the stage did not happen.
type TestResult struct {
	Status    string // SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR
	NextState string
	Output    []byte
	Error     string
	Cause     string

	Input, AfterInputPath, AfterParameters, AfterArguments []byte
	Result, AfterResultSelector, AfterResultPath           []byte
	AfterItemsPath, AfterItemSelector, AfterItemBatcher    []byte
	Variables                                              []byte // all variables after the state, nil when there are none

	ToleratedFailureCount      *int64
	ToleratedFailurePercentage *float64
	MaxConcurrency             *int64

	RetryIndex, CatchIndex int // -1 when no retrier or catcher applied
	RetryBackoffSeconds    float64

	Type string        // the state's Type
	Task *ScheduleTask // the task that ran, if the state is a Task and got that far
}

// testRun carries one TestState run.
type testRun struct {
	*run
	o   TestOptions
	f   *frame
	n   *node
	res TestResult
	// result and resultText are the caller's answer and its text, for text.
	result     any
	resultText []byte
	// invalid is a request error found while running (TestValidationError).
	invalid string
}

// TestState runs the state named o.StateName of m once.
func (m *Machine) TestState(o TestOptions) (res TestResult, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = TestResult{}, fmt.Errorf("%w: %v", errInconsistent, p)
		}
	}()
	g, idx, ok := m.findState(o.StateName)
	if !ok {
		return TestResult{}, ErrTestStateNotFound
	}
	now := o.Now.UTC()
	info := o.Info
	if info.StartTime.IsZero() {
		info.StartTime = now
	}
	s := &State{info: info, input: o.Input, hasInput: true, rng: o.Seed, nextID: 1}
	r := &run{m: m, s: s, now: now}
	f := &frame{graph: g, node: idx, vars: newScope(nil), enteredAt: now, retryN: o.RetryCount, last: 0}
	text := []byte(o.InputText)
	if o.InputText == "" {
		text = textOf(o.Input)
	}
	f.setInput(o.Input, text)
	f.quote = appendJSONString(nil, text)
	o.Variables.Range(func(k string, v any) bool { f.vars.set(k, v); return true })
	s.root = f
	if o.Context != nil {
		r.s.fixedCtx = o.Context
	} else if g != 0 && m.inMapProcessor(g) {
		// A state inside a Map sees $$.Map.Item of the first iteration, its input the item.
		r.s.extraCtx = func(c *jsonvalue.Object) {
			if _, has := c.Get("Map"); !has {
				c.Set("Map", jsonvalue.ObjectOf("Item", jsonvalue.ObjectOf("Index", int64(0), "Value", o.Input)))
			}
		}
	}
	t := &testRun{run: r, o: o, f: f, n: m.graphs[g].nodes[idx]}
	t.res = TestResult{RetryIndex: -1, CatchIndex: -1, Type: typeNames[t.n.typ], Input: text}
	t.exec()
	if t.invalid != "" {
		return TestResult{}, &TestValidationError{Message: t.invalid}
	}
	t.res.Variables = t.variables()
	return t.res, nil
}

// findState returns the graph and index of the state called name.
func (m *Machine) findState(name string) (int, int, bool) {
	for g, gr := range m.graphs {
		if i, ok := gr.byName[name]; ok {
			return g, i, true
		}
	}
	return 0, 0, false
}

// inMapProcessor reports whether graph g is some Map's item processor.
func (m *Machine) inMapProcessor(g int) bool {
	for _, gr := range m.graphs {
		for _, n := range gr.nodes {
			if n.typ == typeMap && n.processor == g {
				return true
			}
		}
	}
	return false
}

// fixedContext is TestState's context object, with what extra adds ($$.Map.Item in
// an ItemSelector).
func (r *run) fixedContext(extra func(*jsonvalue.Object)) *jsonvalue.Object {
	if extra == nil {
		return r.s.fixedCtx
	}
	c := r.s.fixedCtx.Clone()
	extra(c)
	return c
}

// text renders a stage's value: the input's own text when the stage left it as it was.
func (t *testRun) text(v any) []byte {
	if sameValue(v, t.o.Input) && t.res.Input != nil {
		return t.res.Input
	}
	if t.resultText != nil && sameValue(v, t.result) {
		return t.resultText
	}
	return textOf(v)
}

func (t *testRun) exec() {
	f, n := t.f, t.n
	switch n.typ {
	case typePass:
		if n.jsonata {
			t.plain(func() { t.execPass(f, n) })
			return
		}
		t.passJSONPath()
	case typeTask:
		t.task()
	case typeParallel, typeMap:
		t.fanState()
	case typeChoice:
		t.stagesInputPath()
		t.plain(func() { t.execChoice(f, n) })
	case typeWait:
		t.stagesInputPath()
		// TestState does not wait: the state ends as if its timer had fired.
		t.plain(func() {
			if _, fl := t.waitUntil(f, n); fl != nil {
				t.failFrame(f, *fl)
				return
			}
			t.waitOver(f)
		})
	case typeSucceed:
		t.stagesInputPath()
		t.plain(func() { t.execSucceed(f, n) })
	case typeFail:
		t.stagesInputPath()
		t.plain(func() { t.execFail(f, n) })
	}
}

// stagesInputPath records afterInputPath for the JSONPath states that have only that.
func (t *testRun) stagesInputPath() {
	if t.n.jsonata {
		return
	}
	if eff, fl := t.applyInputPath(t.f, t.n); fl == nil {
		t.res.AfterInputPath = t.text(eff)
	}
}

// plain runs a state with the interpreter's own code and reads how it ended.
func (t *testRun) plain(exec func()) {
	g := t.f.graph
	exec()
	t.settle(g)
}

// settle reads the frame after the state ran: failed, ended, or moved to a next state.
func (t *testRun) settle(g int) {
	f := t.f
	switch {
	case f.failed:
		t.res.Status = "FAILED"
		t.res.Error, t.res.Cause = f.err.Error, f.err.Cause
	case f.wait == waitDone:
		t.res.Status = "SUCCEEDED"
		t.res.Output = t.text(f.output)
	default:
		if t.res.Status == "" {
			t.res.Status = "SUCCEEDED"
		}
		t.res.NextState = t.m.graphs[g].nodes[f.node].name
		t.res.Output = t.text(f.in())
	}
}

// passJSONPath is execPass with its stages recorded.
func (t *testRun) passJSONPath() {
	f, n := t.f, t.n
	eff, fl := t.applyInputPath(f, n)
	if fl != nil {
		t.failed(*fl)
		return
	}
	// As AWS records it: a Pass with Result shows the Result as its result and no
	// InputPath or Parameters stage; one without shows those and no result.
	result := n.result
	if !n.hasResult {
		t.res.AfterInputPath = t.text(eff)
		if n.hasParameters {
			if eff, fl = t.expand(f, n.parameters, eff, "Parameters", nil); fl != nil {
				t.failed(*fl)
				return
			}
		}
		t.res.AfterParameters = t.text(eff)
		result = eff
	} else {
		t.res.Result = t.text(result)
	}
	as, fl := t.evalAssign(f, n, n.assign, result, nil, "Assign")
	if fl != nil {
		t.failed(*fl)
		return
	}
	t.res.AfterResultSelector = t.text(result)
	out, fl := t.applyResultPath(f, n.resultPath, f.in(), result)
	if fl != nil {
		t.failed(*fl)
		return
	}
	t.res.AfterResultPath = t.text(out)
	if out, fl = t.applyOutputPath(f, n, out); fl != nil {
		t.failed(*fl)
		return
	}
	t.leave(n.next, out, as)
}

// leave ends the state successfully towards next (-1: the end).
func (t *testRun) leave(next int, out any, as *assignment) {
	if len(textOf(out)) > maxPayloadBytes {
		t.failed(dataLimitFailure(t.n.name))
		return
	}
	as.apply(t.f)
	t.res.Status = "SUCCEEDED"
	t.res.Output = t.text(out)
	if next >= 0 {
		t.res.NextState = t.m.graphs[t.f.graph].nodes[next].name
	}
}

// failed ends the state with a failure no Retry or Catch handles.
func (t *testRun) failed(fl failure) {
	t.res.Status = "FAILED"
	t.res.Error, t.res.Cause = fl.Error, fl.Cause
	t.res.Output = nil
	t.res.NextState = ""
}

// task runs a Task state: parameters, the caller's answer, then result processing.
func (t *testRun) task() {
	f, n := t.f, t.n
	f.task = &taskRun{id: "task-1"}
	f.task.token = NewTaskToken(t.s.info.ExecutionARN, f.task.id, t.s.next64())
	var params any
	var fl *failure
	if n.jsonata {
		states := t.statesVar(f, f.in(), nil, false, nil, nil)
		params = f.in()
		if n.hasParameters {
			params, fl = t.evalTemplate(f, n, n.parameters, states, "Arguments")
		}
		if fl == nil {
			t.res.AfterArguments = t.text(params)
			fl = t.taskTimeoutsJSONata(f, n, states)
		}
	} else {
		params, fl = t.applyInputPath(f, n)
		if fl == nil {
			t.res.AfterInputPath = t.text(params)
			if n.hasParameters {
				params, fl = t.expand(f, n.parameters, params, "Parameters", nil)
			}
		}
		if fl == nil {
			t.res.AfterParameters = t.text(params)
			fl = t.taskTimeoutsJSONPath(f, n, params)
		}
	}
	if fl != nil {
		t.handle(*fl)
		return
	}
	st := ScheduleTask{TaskID: f.task.id, StateName: n.name, Kind: n.task.kind, Resource: n.resource,
		Service: n.task.service, Action: n.task.action, Pattern: n.task.pattern, Input: params,
		Token: f.task.token, TimeoutSeconds: f.task.timeout, HeartbeatSeconds: f.task.beat,
		Region: n.task.region, RoleARN: t.s.info.RoleARN}
	if st.Region == "" {
		st.Region = regionOf(t.s.info.StateMachineARN)
	}
	t.res.Task = &st
	t.outcome(st)
}

// outcome asks the caller for the state's answer and processes it.
func (t *testRun) outcome(st ScheduleTask) {
	if t.o.Run == nil {
		t.handle(fail("States.Runtime", "no answer for the state's work"))
		return
	}
	oc := t.o.Run(st)
	if oc.Failed {
		t.handle(failure{Error: oc.Error, Cause: oc.Cause, hasError: true, hasCause: true})
		return
	}
	t.result, t.resultText = oc.Result, oc.ResultText
	t.finish(oc.Result)
}

// finish is finishWithResult with its stages recorded.
func (t *testRun) finish(result any) {
	f, n := t.f, t.n
	t.res.Result = t.text(result)
	if len(t.res.Result) > maxPayloadBytes {
		t.handle(dataLimitFailure(n.name))
		return
	}
	if n.jsonata {
		states := t.statesVar(f, f.in(), result, true, nil, nil)
		out := result
		if n.hasOutput {
			v, fl := t.evalTemplate(f, n, n.output, states, "Output")
			if fl != nil {
				t.handle(*fl)
				return
			}
			out = v
		}
		as, fl := t.evalAssign(f, n, n.assign, nil, states, "Assign")
		if fl != nil {
			t.handle(*fl)
			return
		}
		t.leave(n.next, out, as)
		return
	}
	as, fl := t.evalAssign(f, n, n.assign, result, nil, "Assign")
	if fl != nil {
		t.handle(*fl)
		return
	}
	if n.hasResultSelector {
		if result, fl = t.expand(f, n.resultSelector, result, "ResultSelector", nil); fl != nil {
			t.handle(*fl)
			return
		}
	}
	t.res.AfterResultSelector = t.text(result)
	out, fl := t.applyResultPath(f, n.resultPath, f.in(), result)
	if fl != nil {
		t.handle(*fl)
		return
	}
	t.res.AfterResultPath = t.text(out)
	if out, fl = t.applyOutputPath(f, n, out); fl != nil {
		t.handle(*fl)
		return
	}
	t.leave(n.next, out, as)
}

// handle applies the state's Retry and Catch to a failure, as handleError does, for
// one attempt: a retrier with attempts left makes the status RETRIABLE, with the
// back-off its next retry would wait (without jitter); an exhausted or absent retrier
// hands the failure to the first matching catcher (CAUGHT_ERROR).
func (t *testRun) handle(fl failure) {
	f, n := t.f, t.n
	t.res.Output, t.res.NextState = nil, ""
	if !fl.terminal {
		for i, rt := range n.retry {
			if !matches(rt.errors, fl) {
				continue
			}
			if int64(t.o.RetryCount) >= rt.maxAttempts {
				break
			}
			delay := rt.interval * math.Pow(rt.backoff, float64(t.o.RetryCount))
			if rt.maxDelay > 0 && delay > rt.maxDelay {
				delay = rt.maxDelay
			}
			t.res.Status, t.res.Error, t.res.Cause = "RETRIABLE", fl.Error, fl.Cause
			t.res.RetryIndex, t.res.RetryBackoffSeconds = i, delay
			return
		}
		for i, c := range n.catch {
			if !matches(c.errors, fl) {
				continue
			}
			g := f.graph
			t.catchTo(f, n, c, fl)
			if f.failed {
				t.failed(f.err)
				return
			}
			t.res.Status, t.res.Error, t.res.Cause = "CAUGHT_ERROR", fl.Error, fl.Cause
			t.res.CatchIndex = i
			t.res.NextState = t.m.graphs[g].nodes[f.node].name
			t.res.Output = t.text(f.in())
			return
		}
	}
	t.failed(fl)
}

// fanState runs a Map or Parallel: its input processing, then the caller's answer
// for the whole state in place of its iterations or branches.
func (t *testRun) fanState() {
	f, n := t.f, t.n
	var fl *failure
	if n.typ == typeParallel {
		fl = t.parallelInput()
	} else {
		fl = t.mapInput()
	}
	if fl != nil {
		t.handle(*fl)
		return
	}
	if t.res.Status != "" {
		return
	}
	var input any = f.in()
	st := ScheduleTask{TaskID: "state-1", StateName: n.name, Input: input, RoleARN: t.s.info.RoleARN}
	t.outcome(st)
}

func (t *testRun) parallelInput() *failure {
	f, n := t.f, t.n
	if n.jsonata {
		if n.hasParameters {
			v, fl := t.evalTemplate(f, n, n.parameters, t.statesVar(f, f.in(), nil, false, nil, nil), "Arguments")
			if fl != nil {
				return fl
			}
			t.res.AfterArguments = t.text(v)
		}
		return nil
	}
	eff, fl := t.applyInputPath(f, n)
	if fl != nil {
		return fl
	}
	t.res.AfterInputPath = t.text(eff)
	if n.hasParameters {
		if eff, fl = t.expand(f, n.parameters, eff, "Parameters", nil); fl != nil {
			return fl
		}
	}
	t.res.AfterParameters = t.text(eff)
	return nil
}

// mapInput evaluates a Map's items, ItemSelector, ItemBatcher and settings, and the
// tolerated failure threshold for MapIterationFailureCount failed iterations.
func (t *testRun) mapInput() *failure {
	f, n := t.f, t.n
	fo := &fanOut{tolCount: -1, tolPct: -1}
	var input any
	var states *jsonvalue.Object
	fl := t.mapItems(fo, &input, &states)
	if fl != nil {
		return fl
	}
	items := fo.items.all()
	if n.hasItemSelector {
		selected := make([]any, len(items))
		for i, it := range items {
			if selected[i], fl = t.iterationInput(f, n, fo, i, it); fl != nil {
				return fl
			}
		}
		t.res.AfterItemSelector = textOf(selected)
	}
	if n.batcher != nil {
		bo := &fanOut{items: newLazyList(items), input: fo.input, inputOK: true}
		if fl = t.batch(f, n, bo, input, states); fl != nil {
			return fl
		}
		t.res.AfterItemBatcher = textOf(bo.items.all())
	}
	if n.jsonata {
		if n.maxConcurrency != nil {
			v, fl := t.evalTemplate(f, n, n.maxConcurrency, states, "MaxConcurrency")
			if fl != nil {
				return fl
			}
			c, _ := jsonvalue.Int(v)
			fo.maxConc = int(min(max(c, 0), math.MaxInt32))
		}
	} else if fo.maxConc, fl = t.intSetting(f, n.maxConcurrency, n.maxConcurrencyPath, input, "MaxConcurrency"); fl != nil {
		return fl
	}
	if fl = t.tolerance(f, n, fo, input, states); fl != nil {
		return fl
	}
	mc := int64(fo.maxConc)
	t.res.MaxConcurrency = &mc
	if fo.tolCount >= 0 {
		c := fo.tolCount
		t.res.ToleratedFailureCount = &c
	}
	if fo.tolPct >= 0 {
		p := fo.tolPct
		t.res.ToleratedFailurePercentage = &p
	}
	if failures := t.o.MapIterationFailureCount; failures > 0 {
		fo.failures = failures
		if !t.tolerated(fo) {
			ex := fail("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded")
			return &ex
		}
	}
	return nil
}

// mapItems finds a Map's items: the ItemReader's data when the caller gave it, else
// Items (JSONata) or ItemsPath (JSONPath) over the effective input.
func (t *testRun) mapItems(fo *fanOut, input *any, states **jsonvalue.Object) *failure {
	f, n := t.f, t.n
	var items any
	if n.jsonata {
		*states = t.statesVar(f, f.in(), nil, false, nil, nil)
		*input = f.in()
		items = f.in()
		if n.hasItems && t.o.ItemReaderData == nil {
			v, fl := t.evalTemplate(f, n, n.items, *states, "Items")
			if fl != nil {
				return fl
			}
			items = v
		}
	} else {
		eff, fl := t.applyInputPath(f, n)
		if fl != nil {
			return fl
		}
		t.res.AfterInputPath = t.text(eff)
		*input, items = eff, eff
		if n.itemsPath.set && !n.itemsPath.null && n.itemsPath.path != "$" && t.o.ItemReaderData == nil {
			if items, fl = t.selectPath(f, n.itemsPath.path, eff, "ItemsPath"); fl != nil {
				return fl
			}
		}
	}
	if t.o.ItemReaderData != nil {
		items = t.o.ItemReaderData
	}
	arr, ok := items.([]any)
	if !ok {
		if n.jsonata {
			fl := fail("States.QueryEvaluationError", t.causePrefix(f)+"Map state input must be an array but was: "+string(textOf(items)))
			return &fl
		}
		p := "$"
		if n.itemsPath.set {
			p = n.itemsPath.path
		}
		return t.runtimeFailure(f, fmt.Sprintf("Reference path \"%s\" must point to array.", p))
	}
	if !n.jsonata {
		t.res.AfterItemsPath = t.text(arr)
	}
	if t.o.MapIterationFailureCount > len(arr) {
		t.invalid = fmt.Sprintf("mapIterationFailureCount (%d) cannot exceed the number of items (%d)", t.o.MapIterationFailureCount, len(arr))
	}
	fo.input, fo.inputOK = *input, true
	fo.items = newLazyList(arr)
	return nil
}

// variables renders every variable the state left visible, or nil when there are none.
func (t *testRun) variables() []byte {
	if t.f.vars.vals == nil || t.f.vars.vals.Len() == 0 {
		return nil
	}
	return textOf(t.f.vars.vals)
}
