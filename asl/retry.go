package asl

import (
	"math"
	"strconv"
	"time"

	"stepline/jsonvalue"
)

// retrier is one Retry entry (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
type retrier struct {
	errors      []string
	interval    float64 // IntervalSeconds, default 1
	maxAttempts int64   // MaxAttempts, default 3
	backoff     float64 // BackoffRate, default 2.0
	maxDelay    float64 // MaxDelaySeconds, 0 for none
	jitter      bool    // JitterStrategy FULL
}

func parseErrorHandling(g *graph, n *node, o *jsonvalue.Object) error {
	retries, _ := get(o, "Retry").([]any)
	for _, e := range retries {
		ro, ok := e.(*jsonvalue.Object)
		if !ok {
			continue
		}
		rt := retrier{errors: stringList(get(ro, "ErrorEquals")), interval: 1, maxAttempts: 3, backoff: 2}
		if v, ok := jsonvalue.Float(get(ro, "IntervalSeconds")); ok {
			rt.interval = v
		}
		if v, ok := jsonvalue.Int(get(ro, "MaxAttempts")); ok {
			rt.maxAttempts = v
		}
		if v, ok := jsonvalue.Float(get(ro, "BackoffRate")); ok {
			rt.backoff = v
		}
		if v, ok := jsonvalue.Float(get(ro, "MaxDelaySeconds")); ok {
			rt.maxDelay = v
		}
		rt.jitter = str(ro, "JitterStrategy") == "FULL"
		n.retry = append(n.retry, rt)
	}
	catches, _ := get(o, "Catch").([]any)
	for _, e := range catches {
		co, ok := e.(*jsonvalue.Object)
		if !ok {
			continue
		}
		c := catcher{errors: stringList(get(co, "ErrorEquals")), resultPath: pathOf(co, "ResultPath")}
		var err error
		if c.next, err = g.target(co, "Next"); err != nil {
			return err
		}
		c.output, c.hasOutput = co.Get("Output")
		if a, ok := co.Get("Assign"); ok {
			c.assign = &assignBlock{raw: a}
		}
		n.catch = append(n.catch, c)
	}
	return nil
}

func stringList(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// matches reports whether an ErrorEquals list catches fl. States.ALL matches every
// error but the terminal ones; States.TaskFailed matches all but States.Timeout.
func matches(errs []string, fl failure) bool {
	for _, e := range errs {
		switch {
		case e == fl.Error || (fl.alias != "" && e == fl.alias):
			return true
		case e == "States.ALL":
			return true
		case e == "States.TaskFailed" && fl.Error != "States.Timeout" && fl.alias == "":
			return true
		}
	}
	return false
}

// handleError applies the state's Retry and Catch to a failure, or fails the thread.
func (r *run) handleError(f *frame, n *node, fl failure) {
	if fl.terminal {
		r.failFrame(f, fl)
		return
	}
	for i, rt := range n.retry {
		if !matches(rt.errors, fl) {
			continue
		}
		if f.retries == nil {
			f.retries = make([]int, len(n.retry))
		}
		// Only the first matching retrier counts; once it is exhausted the error goes
		// to Catch, even if a later retrier would match too.
		if int64(f.retries[i]) >= rt.maxAttempts {
			break
		}
		// IntervalSeconds × BackoffRate^(attempts so far), capped by MaxDelaySeconds;
		// FULL jitter draws uniformly below that from the seeded source.
		delay := rt.interval * math.Pow(rt.backoff, float64(f.retries[i]))
		if rt.maxDelay > 0 && delay > rt.maxDelay {
			delay = rt.maxDelay
		}
		if rt.jitter {
			delay *= r.s.float64()
		}
		f.retries[i]++
		f.retryN++
		f.wait = waitRetry
		f.taskID = "retry-" + strconv.FormatInt(r.s.nextID, 10)
		r.d.Commands = append(r.d.Commands, StartTimer{TimerID: f.taskID,
			FireAt: r.now.Add(time.Duration(delay * float64(time.Second)))})
		return
	}
	// Map and Parallel record their failure once no retry follows.
	if n.typ == typeMap || n.typ == typeParallel {
		r.emitOn(f, typeNames[n.typ]+"StateFailed", nil)
	}
	for _, c := range n.catch {
		if matches(c.errors, fl) {
			r.catchTo(f, n, c, fl)
			return
		}
	}
	r.failFrame(f, fl)
}

// retryNow runs the state again once its back-off has passed.
func (r *run) retryNow(f *frame) {
	n := r.node(f)
	f.wait = waitNone
	switch n.typ {
	case typeTask:
		r.execTask(f, n)
	case typeParallel:
		r.execParallel(f, n)
	case typeMap:
		r.execMap(f, n)
	}
	r.ready(f)
}
