package asl

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"stepline/jsonvalue"
)

// execMap evaluates a Map's items and settings and starts its first iterations.
// A Distributed Map is a map run of child executions when the engine runs map runs
// (maprun.go); otherwise its items run inline too, as quiet child frames.
func (r *run) execMap(f *frame, n *node) {
	if n.distributed && r.s.info.MapRuns {
		r.execMapRun(f, n)
		return
	}
	if n.distributed && n.run != nil && n.run.reader != nil {
		// Reading items needs the engine's S3; an in-process run has none.
		r.handleError(f, n, fail("States.ItemReaderFailed",
			"ItemReader needs the Step Functions service of stepline serve: this run has no S3 to read items from."))
		return
	}
	fo := &fanOut{tolCount: -1, tolPct: -1}
	var fl *failure
	if n.jsonata {
		fl = r.mapSetupJSONata(f, n, fo)
	} else {
		fl = r.mapSetupJSONPath(f, n, fo)
	}
	if fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	r.emitOn(f, "MapStateStarted", newDetails().int("length", int64(fo.items.len())).done())
	fo.results = newLazyList(make([]any, fo.items.len()))
	f.fan = fo
	f.wait = waitChildren
	if n.distributed {
		r.emitOn(f, "MapRunStarted", newDetails().str("mapRunArn", r.mapRunARN(n)).done())
	}
	if fo.items.len() == 0 {
		r.mapSucceeded(f, n)
		return
	}
	r.startIterations(f, n, f.last)
}

func (r *run) mapSetupJSONPath(f *frame, n *node, fo *fanOut) *failure {
	return r.mapSetupJSONPathItems(f, n, fo, nil, false)
}

// mapSetupJSONPathItems evaluates a JSONPath Map's items and settings; read, when
// hasRead, are the items an ItemReader read, used instead of ItemsPath.
func (r *run) mapSetupJSONPathItems(f *frame, n *node, fo *fanOut, read []any, hasRead bool) *failure {
	input, fl := r.applyInputPath(f, n)
	if fl != nil {
		return fl
	}
	fo.input, fo.inputOK = input, true
	var items any = input
	if hasRead {
		items = read
	} else if n.itemsPath.set && !n.itemsPath.null && n.itemsPath.path != "$" {
		if items, fl = r.selectPath(f, n.itemsPath.path, input, "ItemsPath"); fl != nil {
			return fl
		}
	}
	arr, ok := items.([]any)
	if !ok {
		p := "$"
		if n.itemsPath.set {
			p = n.itemsPath.path
		}
		return r.runtimeFailure(f, fmt.Sprintf("Reference path \"%s\" must point to array.", p))
	}
	fo.items = newLazyList(arr)
	if fl := r.batch(f, n, fo, input, nil); fl != nil {
		return fl
	}
	var err *failure
	if fo.maxConc, err = r.intSetting(f, n.maxConcurrency, n.maxConcurrencyPath, input, "MaxConcurrency"); err != nil {
		return err
	}
	return r.tolerance(f, n, fo, input, nil)
}

func (r *run) mapSetupJSONata(f *frame, n *node, fo *fanOut) *failure {
	return r.mapSetupJSONataItems(f, n, fo, nil, false)
}

// mapSetupJSONataItems is mapSetupJSONPathItems in JSONata mode: Items instead of
// ItemsPath.
func (r *run) mapSetupJSONataItems(f *frame, n *node, fo *fanOut, read []any, hasRead bool) *failure {
	states := r.statesVar(f, f.in(), nil, false, nil, nil)
	fo.input, fo.inputOK = f.in(), true
	items := f.in()
	if hasRead {
		items = read
	} else if n.hasItems {
		v, fl := r.evalTemplate(f, n, n.items, states, "Items")
		if fl != nil {
			return fl
		}
		if _, ok := v.([]any); !ok {
			if expr, isExpr := exprText(n.items); isExpr {
				return r.typedExprFailure(f, "Items", expr, "array", v)
			}
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		// AWS records this one without a location.
		fl := fail("States.QueryEvaluationError", r.causePrefix(f)+"Map state input must be an array but was: "+string(textOf(items)))
		r.evaluationFailed(f, "", fl, f.enteredPrev)
		return &fl
	}
	fo.items = newLazyList(arr)
	if fl := r.batch(f, n, fo, nil, states); fl != nil {
		return fl
	}
	if n.maxConcurrency != nil {
		v, fl := r.evalTemplate(f, n, n.maxConcurrency, states, "MaxConcurrency")
		if fl != nil {
			return fl
		}
		c, ok := jsonvalue.Int(v)
		if !ok || c < 0 {
			expr, _ := exprText(n.maxConcurrency)
			return r.typedExprFailure(f, "MaxConcurrency", expr, "integer", v)
		}
		fo.maxConc = int(min(c, math.MaxInt32))
	}
	return r.tolerance(f, n, fo, nil, states)
}

// intSetting evaluates MaxConcurrency / MaxConcurrencyPath in JSONPath mode.
func (r *run) intSetting(f *frame, lit any, path string, input any, field string) (int, *failure) {
	if path != "" {
		v, fl := r.selectPath(f, path, input, field+"Path")
		if fl != nil {
			return 0, fl
		}
		c, ok := jsonvalue.Int(v)
		if s, isString := v.(string); isString {
			// A numeric string is accepted, as Java's Integer.parseInt would.
			n, err := strconv.ParseInt(s, 10, 64)
			c, ok = n, err == nil
		}
		if !ok {
			return 0, r.runtimeFailure(f, fmt.Sprintf("The %sPath field refers to value \"%s\" which is not a valid integer: %s", field, stringOrJSON(v), path))
		}
		return int(min(max(c, 0), math.MaxInt32)), nil
	}
	c, _ := jsonvalue.Int(lit)
	return int(min(max(c, 0), math.MaxInt32)), nil
}

// tolerance evaluates ToleratedFailureCount/Percentage and their Path or JSONata forms.
func (r *run) tolerance(f *frame, n *node, fo *fanOut, input any, states *jsonvalue.Object) *failure {
	get := func(lit any, path, field string) (any, bool, *failure) {
		if states != nil && lit != nil {
			v, fl := r.evalTemplate(f, n, lit, states, field)
			return v, true, fl
		}
		if path != "" {
			v, fl := r.selectPath(f, path, input, field+"Path")
			return v, true, fl
		}
		return lit, lit != nil, nil
	}
	if v, ok, fl := get(n.toleratedFailureCount, n.toleratedFailureCountPath, "ToleratedFailureCount"); fl != nil {
		return fl
	} else if ok {
		c, isInt := jsonvalue.Int(v)
		if !isInt || c < 0 {
			return r.runtimeFailure(f, "ToleratedFailureCount cannot be negative.")
		}
		fo.tolCount = c
	}
	if v, ok, fl := get(n.toleratedFailurePercentage, n.toleratedFailurePercentagePath, "ToleratedFailurePercentage"); fl != nil {
		return fl
	} else if ok {
		p, isNum := jsonvalue.Float(v)
		if !isNum || p < 0 || p > 100 {
			return r.runtimeFailure(f, "ToleratedFailurePercentage must be between 0 and 100.")
		}
		fo.tolPct = p
	}
	return nil
}

// startIterations starts items while MaxConcurrency allows. prev is the
// previousEventId of the MapIterationStarted events.
func (r *run) startIterations(p *frame, n *node, prev int64) {
	fo := p.fan
	limit := inlineMaxConcurrency
	if n.distributed {
		limit = distributedMaxConcurrency
	}
	if fo.maxConc > 0 && fo.maxConc < limit {
		limit = fo.maxConc
	}
	for fo.next < fo.items.len() && fo.running < limit {
		idx := fo.next
		fo.next++
		item := fo.items.get(idx)
		input, fl := r.iterationInput(p, n, fo, idx, item)
		if fl != nil {
			for _, k := range fo.kids {
				r.abortAll(k)
			}
			p.fan = nil
			p.wait = waitNone
			r.handleError(p, n, *fl)
			r.ready(p)
			return
		}
		quiet := p.quiet || n.distributed
		id := prev
		outer := p.vars
		if n.distributed {
			// Distributed Map items run as child executions: they start their own
			// history and do not see the enclosing variables.
			id, outer = 0, nil
		} else if !quiet {
			id = r.emit(prev, "MapIterationStarted", newDetails().str("name", n.name).int("index", int64(idx)).done())
		}
		k := &frame{graph: n.processor, node: r.m.graphs[n.processor].start, val: input, parsed: true,
			last: id, vars: newScope(outer), parent: p, index: idx, quiet: quiet}
		fo.kids = append(fo.kids, k)
		fo.running++
		r.ready(k)
	}
}

// iterationInput applies ItemSelector to one item; $$.Map.Item is visible there.
func (r *run) iterationInput(p *frame, n *node, fo *fanOut, idx int, item any) (any, *failure) {
	if !n.hasItemSelector || fo.batched {
		return item, nil
	}
	extra := func(c *jsonvalue.Object) {
		it := jsonvalue.NewObject(2)
		it.Set("Index", int64(idx))
		it.Set("Value", item)
		c.Set("Map", jsonvalue.ObjectOf("Item", it))
	}
	if n.jsonata {
		states := r.statesVar(p, p.in(), nil, false, nil, extra)
		return r.evalTemplate(p, n, n.itemSelector, states, "ItemSelector")
	}
	ctx := func() any { return r.contextObject(p, extra) }
	return r.expand(p, n.itemSelector, fo.in(), "ItemSelector", ctx)
}

// iterationDone collects a finished iteration and starts the next ones.
//
// The next iteration to start is chained, like the finished one's MapIterationSucceeded,
// to the finished iteration's last event: on AWS both are caused by that event.
func (r *run) iterationDone(p, k *frame) {
	if p.wait != waitChildren || p.fan == nil {
		return
	}
	n := r.node(p)
	fo := p.fan
	fo.kids = removeKid(fo.kids, k)
	fo.running--
	fo.done++
	details := newDetails().str("name", n.name).int("index", int64(k.index)).done()
	if k.failed {
		fo.lastDone = r.iterationEvent(p, n, k, "MapIterationFailed", details)
		fo.failures++
		if k.err.terminal || !r.tolerated(fo) {
			r.mapFailed(p, n, k.err)
			return
		}
		errOut := jsonvalue.NewObject(2)
		errOut.Set("Error", k.err.Error)
		errOut.Set("Cause", k.err.Cause)
		fo.results.set(k.index, errOut, nil)
	} else {
		fo.lastDone = r.iterationEvent(p, n, k, "MapIterationSucceeded", details)
		fo.results.set(k.index, k.output, k.text)
	}
	if fo.done == fo.items.len() {
		r.mapSucceeded(p, n)
		return
	}
	prev := k.last
	if n.distributed {
		prev = p.last
	}
	r.startIterations(p, n, prev)
}

// iterationEvent writes an iteration's outcome; a Distributed Map writes none (its items
// are child executions with their own histories).
func (r *run) iterationEvent(p *frame, n *node, k *frame, typ string, details []byte) int64 {
	if n.distributed || p.quiet {
		return p.last
	}
	return r.emit(k.last, typ, details)
}

// mapRunARN names a Distributed Map's run as AWS does:
// arn:<partition>:states:<region>:<account>:mapRun:<machine>/<label>:<uuid>.
func (r *run) mapRunARN(n *node) string {
	label := n.label
	if label == "" {
		label = n.name
	}
	sm := r.s.info.StateMachineARN
	if i := strings.Index(sm, ":stateMachine:"); i >= 0 {
		sm = sm[:i] + ":mapRun:" + sm[i+len(":stateMachine:"):]
	}
	return sm + "/" + label + ":" + r.s.uuid()
}

// tolerated reports whether the failures so far stay within the Map's tolerance.
// Without ToleratedFailureCount or ToleratedFailurePercentage one failure fails the
// Map; with either, the failures may stay at or under the threshold, and the Map
// fails with States.ExceedToleratedFailureThreshold above it
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
func (r *run) tolerated(fo *fanOut) bool {
	if fo.tolCount < 0 && fo.tolPct < 0 {
		return false
	}
	if fo.tolCount >= 0 && int64(fo.failures) <= fo.tolCount {
		return true
	}
	if fo.tolPct >= 0 && fo.items.len() > 0 && float64(fo.failures)*100/float64(fo.items.len()) <= fo.tolPct {
		return true
	}
	return false
}

func (r *run) mapFailed(p *frame, n *node, fl failure) {
	fo := p.fan
	for _, k := range fo.kids {
		r.abortAll(k)
		if !n.distributed {
			r.emitOn(k, "MapIterationAborted", newDetails().str("name", n.name).int("index", int64(k.index)).done())
		}
	}
	if !fl.terminal && (fo.tolCount >= 0 || fo.tolPct >= 0 || n.distributed) {
		fl = fail("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded")
	}
	p.fan = nil
	p.last = fo.lastDone
	if n.distributed {
		r.emitOn(p, "MapRunFailed", errorDetails(fl))
	}
	if fl.terminal {
		// A terminal failure skips Retry and Catch, but the Map did run.
		r.emitOn(p, "MapStateFailed", nil)
	}
	p.wait = waitNone
	r.handleError(p, n, fl)
	r.ready(p)
}

// mapSucceeded ends the Map. MapStateSucceeded and MapStateExited share their
// previousEventId: the last iteration's event.
func (r *run) mapSucceeded(p *frame, n *node) {
	results := p.fan.results.all()
	if p.fan.lastDone > 0 {
		p.last = p.fan.lastDone
	}
	p.fan = nil
	p.wait = waitNone
	if n.distributed {
		r.emitOn(p, "MapRunSucceeded", nil)
	}
	r.emitFrom(p, p.last, "MapStateSucceeded", nil)
	r.finishWithResult(p, n, results)
	r.ready(p)
}
