package asl

import (
	"strconv"

	"stepline/jsonvalue"
)

// execTask evaluates a Task's parameters and schedules it.
func (r *run) execTask(f *frame, n *node) {
	// The task id is the id its *Scheduled event will get: unique in the execution,
	// and a retry gets a fresh one, so a late answer to an earlier attempt is ignored.
	// The token is made before the parameters so that $$.Task.Token can reach them.
	f.task = &taskRun{id: "task-" + strconv.FormatInt(r.s.nextID, 10)}
	f.task.token = NewTaskToken(r.s.info.ExecutionARN, f.task.id, r.s.next64())
	var params any
	var fl *failure
	if n.jsonata {
		states := r.statesVar(f, f.in(), nil, false, nil, nil)
		params = f.in()
		if n.hasParameters {
			params, fl = r.evalTemplate(f, n, n.parameters, states, "Arguments")
		}
		if fl == nil {
			fl = r.taskTimeoutsJSONata(f, n, states)
		}
		if fl == nil && n.credentials != nil {
			var c any
			if c, fl = r.evalTemplate(f, n, n.credentials, states, "Credentials"); fl == nil {
				f.task.role = roleOf(c)
			}
		}
	} else {
		params, fl = r.applyInputPath(f, n)
		if fl == nil && n.hasParameters {
			params, fl = r.expand(f, n.parameters, params, "Parameters", nil)
		}
		if fl == nil {
			fl = r.taskTimeoutsJSONPath(f, n, params)
		}
		if fl == nil && n.credentials != nil {
			var c any
			if c, fl = r.expand(f, n.credentials, eff(f, n, r), "Credentials", nil); fl == nil {
				f.task.role = roleOf(c)
			}
		}
	}
	if fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	f.task.params = params
	r.schedule(f, n)
}

// eff is the effective input paths in Credentials read (InputPath applied).
func eff(f *frame, n *node, r *run) any {
	v, fl := r.applyInputPath(f, n)
	if fl != nil {
		return f.in()
	}
	return v
}

func roleOf(c any) string {
	o, _ := c.(*jsonvalue.Object)
	s, _ := get(o, "RoleArn").(string)
	return s
}

func (r *run) taskTimeoutsJSONPath(f *frame, n *node, input any) *failure {
	f.task.timeout, _ = jsonvalue.Int(n.timeoutSeconds)
	f.task.beat, _ = jsonvalue.Int(n.heartbeatSeconds)
	for _, x := range []struct {
		path  string
		field string
		dst   *int64
	}{{n.timeoutSecondsPath, "TimeoutSecondsPath", &f.task.timeout}, {n.heartbeatSecondsPath, "HeartbeatSecondsPath", &f.task.beat}} {
		if x.path == "" {
			continue
		}
		v, fl := r.selectPath(f, x.path, input, x.field)
		if fl != nil {
			return fl
		}
		secs, ok := jsonvalue.Int(v)
		if !ok || secs <= 0 {
			return r.runtimeFailure(f, "Invalid path '"+x.path+"' : The value at the path must be a positive integer")
		}
		*x.dst = secs
	}
	return nil
}

func (r *run) taskTimeoutsJSONata(f *frame, n *node, states *jsonvalue.Object) *failure {
	for _, x := range []struct {
		v     any
		field string
		dst   *int64
	}{{n.timeoutSeconds, "TimeoutSeconds", &f.task.timeout}, {n.heartbeatSeconds, "HeartbeatSeconds", &f.task.beat}} {
		if x.v == nil {
			continue
		}
		v, fl := r.evalTemplate(f, n, x.v, states, x.field)
		if fl != nil {
			return fl
		}
		secs, ok := jsonvalue.Int(v)
		if !ok || secs <= 0 {
			expr, _ := exprText(x.v)
			return r.typedExprFailure(f, x.field, expr, "integer", v)
		}
		*x.dst = secs
	}
	return nil
}

// schedule writes the *Scheduled event and asks the engine to run the task. The event
// family follows the Resource: optimized and SDK integrations write Task* events with
// resourceType/resource, activities Activity* and bare Lambda ARNs LambdaFunction*.
// timeoutInSeconds and heartbeatInSeconds appear only when the state sets them.
func (r *run) schedule(f *frame, n *node) {
	t := f.task
	params := textOf(t.params)
	if len(params) > maxPayloadBytes {
		fl := fail("States.DataLimitExceeded", "The state/task '"+n.name+"' has provided parameters with a size exceeding the maximum number of bytes service limit.")
		fl.terminal = true
		r.handleError(f, n, fl)
		return
	}
	region := n.task.region
	if region == "" {
		region = regionOf(r.s.info.ExecutionARN)
	}
	var b detailBuf
	switch n.task.kind {
	case TaskActivity:
		b = newDetails().str("resource", n.resource).text("input", params).raw("inputDetails", notTruncated)
		b = timeouts(b, t)
		r.emitOn(f, "ActivityScheduled", b.done())
	case TaskLambda:
		b = newDetails().str("resource", n.resource).text("input", params).raw("inputDetails", notTruncated)
		if t.timeout > 0 {
			b = b.int("timeoutInSeconds", t.timeout)
		}
		r.emitOn(f, "LambdaFunctionScheduled", b.done())
	default:
		b = newDetails().str("resourceType", n.task.resourceType).str("resource", n.task.resourceName).
			str("region", region).text("parameters", params)
		b = timeouts(b, t)
		if t.role != "" {
			b = b.raw("taskCredentials", newDetails().str("roleArn", t.role).done())
		}
		r.emitOn(f, "TaskScheduled", b.done())
	}
	f.wait = waitTask
	r.d.Commands = append(r.d.Commands, ScheduleTask{
		TaskID: t.id, StateName: n.name, Kind: n.task.kind, Resource: n.resource,
		Service: n.task.service, Action: n.task.action, Pattern: n.task.pattern,
		Input: t.params, Token: t.token, TimeoutSeconds: t.timeout, HeartbeatSeconds: t.beat, Region: region, RoleARN: t.role,
	})
}

func timeouts(b detailBuf, t *taskRun) detailBuf {
	if t.timeout > 0 {
		b = b.int("timeoutInSeconds", t.timeout)
	}
	if t.beat > 0 {
		b = b.int("heartbeatInSeconds", t.beat)
	}
	return b
}

// regionOf returns the region field of an ARN.
func regionOf(arn string) string {
	colons := 0
	start := 0
	for i := 0; i < len(arn); i++ {
		if arn[i] == ':' {
			colons++
			if colons == 3 {
				start = i + 1
			} else if colons == 4 {
				return arn[start:i]
			}
		}
	}
	return ""
}

// taskEvent writes one of the task event families for frame f's task.
func (r *run) taskEvent(f *frame, n *node, suffix string, fill func(detailBuf) detailBuf) {
	var prefix string
	b := newDetails()
	switch n.task.kind {
	case TaskActivity:
		prefix = "Activity"
	case TaskLambda:
		prefix = "LambdaFunction"
	default:
		prefix = "Task"
		b = b.str("resourceType", n.task.resourceType).str("resource", n.task.resourceName)
	}
	if fill != nil {
		b = fill(b)
	}
	var details []byte
	if len(b) > 1 || prefix == "Activity" || prefix == "Task" {
		details = b.done()
	}
	r.emitOn(f, prefix+suffix, details)
}

func (r *run) taskStarted(f *frame, in TaskStarted) {
	// Delivery is at least once: a repeated TaskStarted writes nothing.
	if f.task.started {
		return
	}
	f.task.started = true
	n := r.node(f)
	r.taskEvent(f, n, "Started", func(b detailBuf) detailBuf {
		if n.task.kind == TaskActivity && in.WorkerName != "" {
			b = b.str("workerName", in.WorkerName)
		}
		return b
	})
}

func (r *run) taskSubmitted(f *frame, in TaskSubmitted) {
	n := r.node(f)
	if n.task.kind != TaskService {
		return
	}
	text := textOf(in.Output)
	r.taskEvent(f, n, "Submitted", func(b detailBuf) detailBuf {
		return b.text("output", text).raw("outputDetails", notTruncated)
	})
}

func (r *run) taskSucceeded(f *frame, in TaskSucceeded) {
	n := r.node(f)
	text := textOf(in.Output)
	r.taskEvent(f, n, "Succeeded", func(b detailBuf) detailBuf {
		return b.text("output", text).raw("outputDetails", notTruncated)
	})
	f.wait = waitNone
	if len(text) > maxPayloadBytes {
		// AWS names a legacy Lambda task by its function ARN here
		// ("The state/task 'arn:aws:lambda:...' returned a result with a size ...").
		who := n.name
		if n.task.kind == TaskLambda {
			who = n.resource
		}
		r.handleError(f, n, dataLimitFailure(who))
		r.ready(f)
		return
	}
	r.finishWithResult(f, n, in.Output)
	r.ready(f)
}

// A failure before TaskStarted means the task never got going (an activity that does
// not exist, a function that cannot be invoked): AWS records ActivityScheduleFailed,
// LambdaFunctionScheduleFailed or TaskStartFailed instead of *Failed. States.Runtime
// from the engine is terminal, as it is everywhere.
func (r *run) taskFailed(f *frame, in TaskFailed) {
	n := r.node(f)
	fl := failure{Error: in.Error, Cause: in.Cause, hasError: in.Error != "", hasCause: in.Cause != "",
		terminal: in.Error == "States.Runtime"}
	suffix := "Failed"
	if !f.task.started {
		suffix = "StartFailed"
		if n.task.kind != TaskService {
			suffix = "ScheduleFailed"
		}
	}
	r.taskEvent(f, n, suffix, func(b detailBuf) detailBuf { return b.failure(fl) })
	if fl.terminal {
		// The execution's cause carries the usual prefix ("An error occurred while
		// executing the state 'Work' (entered at the event id #2). The activity ...
		// does not exist."); the engine cannot know the event id.
		fl.Cause, fl.hasCause = r.causePrefix(f)+fl.Cause, true
	}
	f.wait = waitNone
	r.handleError(f, n, fl)
	r.ready(f)
}

// taskTimedOut records TaskTimedOut. History says States.Timeout for both timeouts, but
// a heartbeat timeout is also States.HeartbeatTimeout to Retry and Catch
// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
func (r *run) taskTimedOut(f *frame, in TaskTimedOut) {
	n := r.node(f)
	fl := fail("States.Timeout", "")
	fl.hasCause = false
	if in.Heartbeat {
		fl.alias = "States.HeartbeatTimeout"
	}
	r.taskEvent(f, n, "TimedOut", func(b detailBuf) detailBuf { return b.failure(fl) })
	f.wait = waitNone
	r.handleError(f, n, fl)
	r.ready(f)
}

// finishWithResult processes a Task's, Parallel's or Map's result into the state's
// output and leaves the state.
//
// JSONata: Output (default $states.result) and Assign see $states.result. JSONPath:
// Assign reads the raw result, then ResultSelector, ResultPath and OutputPath apply.
// A failure here goes through the state's Retry and Catch like the task's own.
func (r *run) finishWithResult(f *frame, n *node, result any) {
	if n.jsonata {
		states := r.statesVar(f, f.in(), result, true, nil, nil)
		out := result
		if n.hasOutput {
			v, fl := r.evalTemplate(f, n, n.output, states, "Output")
			if fl != nil {
				r.handleError(f, n, *fl)
				return
			}
			out = v
		}
		as, fl := r.evalAssign(f, n, n.assign, nil, states, "Assign")
		if fl != nil {
			r.handleError(f, n, *fl)
			return
		}
		r.exit(f, n, n.next, out, nil, as.apply(f))
		return
	}
	as, fl := r.evalAssign(f, n, n.assign, result, nil, "Assign")
	if fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	if n.hasResultSelector {
		if result, fl = r.expand(f, n.resultSelector, result, "ResultSelector", nil); fl != nil {
			r.handleError(f, n, *fl)
			return
		}
	}
	out, fl := r.applyResultPath(f, n.resultPath, f.in(), result)
	if fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	if out, fl = r.applyOutputPath(f, n, out); fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	r.exit(f, n, n.next, out, nil, as.apply(f))
}
