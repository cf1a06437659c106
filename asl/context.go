package asl

import (
	"time"

	"stepline/jsonvalue"
)

// contextObject builds $$ for frame f's current state.
func (r *run) contextObject(f *frame, extra func(*jsonvalue.Object)) *jsonvalue.Object {
	if r.s.fixedCtx != nil {
		return r.fixedContext(extra)
	}
	if r.ctxExec == nil {
		r.ctxExec, r.ctxMachine = r.executionContext()
	}
	// State.RetryCount exists only where Retry is defined, as recorded on AWS for
	// Pass states.
	n := r.node(f)
	st := jsonvalue.NewObject(3)
	st.Set("Name", n.name)
	st.Set("EnteredTime", isoMillis(f.enteredAt))
	if len(n.retry) > 0 {
		st.Set("RetryCount", int64(f.retryN))
	}
	c := jsonvalue.NewObject(5)
	c.Set("Execution", r.ctxExec)
	c.Set("StateMachine", r.ctxMachine)
	c.Set("State", st)
	if f.task != nil && f.task.token != "" && n.task.exposesToken() {
		c.Set("Task", jsonvalue.ObjectOf("Token", f.task.token))
	}
	if r.s.extraCtx != nil {
		r.s.extraCtx(c)
	}
	if extra != nil {
		extra(c)
	}
	return c
}

// executionContext builds $$.Execution and $$.StateMachine, which stay the same for the
// whole Step (values are never modified in place, so they can be shared).
func (r *run) executionContext() (*jsonvalue.Object, *jsonvalue.Object) {
	info := &r.s.info
	ex := jsonvalue.NewObject(7)
	ex.Set("Id", info.ExecutionARN)
	ex.Set("Input", r.s.executionInput())
	ex.Set("StartTime", isoMillis(info.StartTime))
	ex.Set("Name", info.Name)
	ex.Set("RoleArn", info.RoleARN)
	if info.Type != "EXPRESS" {
		ex.Set("RedriveCount", int64(info.RedriveCount))
		if !info.RedriveTime.IsZero() {
			ex.Set("RedriveTime", isoMillis(info.RedriveTime))
		}
	}
	sm := jsonvalue.NewObject(2)
	sm.Set("Id", info.StateMachineARN)
	sm.Set("Name", info.StateMachineName)
	return ex, sm
}

// isoMillis formats t as AWS writes context timestamps: ISO-8601, milliseconds, Z.
func isoMillis(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
