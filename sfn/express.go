package sfn

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/google/uuid"

	"stepline/asl"
	"stepline/jsonvalue"
)

// expressMaxDuration is the longest an Express execution may run (AWS quota: five
// minutes); after it the execution ends TIMED_OUT with States.Timeout.
const expressMaxDuration = 5 * time.Minute

// SyncExecution is StartSyncExecution's result.
type SyncExecution struct {
	ExecutionARN    string
	StateMachineARN string
	Name            string
	StartDate       time.Time
	StopDate        time.Time
	Status          string // SUCCEEDED, FAILED or TIMED_OUT
	Input           string
	Output          *string
	Error           string
	Cause           string
	TraceHeader     string
	// Billing is what AWS would bill: its snapshots show 64 MB and the duration
	// rounded up to 100 ms.
	BilledMemoryMB   int64
	BilledDurationMS int64
}

// expressARN is arn:<p>:states:<r>:<a>:express:<state machine>:<name>:<uuid>.
func expressARN(smARN, name string) (string, error) {
	a, err := ParseARN(smARN)
	if err != nil {
		return "", err
	}
	return "arn:" + a.Partition + ":states:" + a.Region + ":" + a.Account + ":" + arnTypeExpress + ":" + a.Name + ":" +
		name + ":" + uuid.NewString(), nil
}

// StartSyncExecution runs an EXPRESS execution to its end and returns how it ended;
// a failed execution is a result, not an error, as on AWS.
func (s *Service) StartSyncExecution(ctx context.Context, p StartExecutionParams) (SyncExecution, error) {
	t, name, raw, input, err := s.prepareStart(ctx, p)
	if err != nil {
		return SyncExecution{}, err
	}
	if t.Type != TypeExpress {
		return SyncExecution{}, stateMachineTypeNotSupported()
	}
	arn, err := expressARN(t.StateMachineARN, name)
	if err != nil {
		return SyncExecution{}, err
	}
	res, err := s.runExpress(ctx, t, arn, name, input)
	if err != nil {
		return SyncExecution{}, err
	}
	out := SyncExecution{
		ExecutionARN: arn, StateMachineARN: smARNForContext(t), Name: name, StartDate: res.StartDate, StopDate: res.StopDate,
		Status: res.Status, Input: raw, Error: res.Error, Cause: res.Cause, TraceHeader: p.TraceHeader,
		BilledMemoryMB: 64,
	}
	if res.Status == ExecSucceeded {
		o := res.Output
		out.Output = &o
	}
	ms := res.StopDate.Sub(res.StartDate).Milliseconds()
	out.BilledDurationMS = max(100, (ms+99)/100*100)
	return out, nil
}

// startExpressAsync starts an EXPRESS execution in the background (StartExecution on
// an EXPRESS state machine). Its history is not kept, so nothing of it can be
// described, but it is recorded as pending before this returns, so that a node dying
// under it does not lose it (see express_pending.go).
func (s *Service) startExpressAsync(ctx context.Context, t startTarget, name, raw string, traceHeader string) (StartExecutionResult, error) {
	arn, err := expressARN(t.StateMachineARN, name)
	if err != nil {
		return StartExecutionResult{}, err
	}
	now := s.cfg.Clock.Now()
	rec, err := s.recordExpressPending(ctx, t, arn, name, raw, traceHeader, now)
	if err != nil {
		return StartExecutionResult{}, fmt.Errorf("record express execution %s: %w", arn, err)
	}
	var doc expressPending
	if err := json.Unmarshal(rec.Data, &doc); err != nil {
		return StartExecutionResult{}, fmt.Errorf("record express execution %s: %w", arn, err)
	}
	s.eng.spawn(func(ctx context.Context) { s.runExpressPending(ctx, rec, doc) })
	return StartExecutionResult{ExecutionARN: arn, StartDate: now}, nil
}

// runExpress runs an Express execution in memory, stopping it after five minutes.
func (s *Service) runExpress(ctx context.Context, t startTarget, arn, name string, input any) (MemoryRunResult, error) {
	return s.runExpressAt(ctx, t, arn, name, input, s.cfg.Clock.Now())
}

// runExpressAt is runExpress for an execution that started at start (its context
// object's start time); a run again after a node died keeps the first start time.
func (s *Service) runExpressAt(ctx context.Context, t startTarget, arn, name string, input any, start time.Time) (MemoryRunResult, error) {
	ctx, cancel := context.WithTimeout(ctx, expressMaxDuration)
	defer cancel()
	res, err := RunInMemory(ctx, MemoryRunOptions{
		Machine: t.Machine,
		Info: asl.ExecutionInfo{
			ExecutionARN: arn, Name: name, StateMachineARN: smARNForContext(t), StateMachineName: t.Name,
			RoleARN: t.RoleARN, Type: TypeExpress, StartTime: start,
		},
		Input: input,
		Seed:  rand.Uint64(),
		Clock: s.cfg.Clock,
		Tasks: s.expressTask,
	})
	if err != nil {
		return res, fmt.Errorf("run express execution %s: %w", arn, err)
	}
	if res.Status == ExecAborted && ctx.Err() != nil {
		res.Status, res.Error, res.Cause = ExecTimedOut, "States.Timeout", "The execution exceeded the five-minute limit of Express executions."
	}
	return res, nil
}

// expressTask answers the tasks of Express executions: nested executions are started
// (without waiting, the only pattern Express allows), everything else has no backend.
func (s *Service) expressTask(ctx context.Context, t asl.ScheduleTask) []asl.Input {
	env := taskEnvelope{StateName: t.StateName, Kind: t.Kind, Resource: t.Resource, Service: t.Service, Action: t.Action, Pattern: t.Pattern}
	started := asl.TaskStarted{TaskID: t.TaskID}
	if !isStartExecution(env) || strings.HasPrefix(t.Pattern, "sync") {
		return failAllTasks(ctx, t)
	}
	p, err := parseChildParams(t.Input)
	if err != nil {
		return []asl.Input{started, asl.TaskFailed{TaskID: t.TaskID, Error: "States.Runtime", Cause: err.Error()}}
	}
	res, err := s.StartExecution(ctx, StartExecutionParams{StateMachineARN: p.StateMachineARN, Name: p.Name, Input: p.Input})
	if err != nil {
		return []asl.Input{started, asl.TaskFailed{TaskID: t.TaskID, Error: "StepFunctions." + errorCode(err) + "Exception", Cause: err.Error()}}
	}
	out := jsonvalue.ObjectOf("ExecutionArn", res.ExecutionARN, "StartDate", epochMillis(res.StartDate))
	return []asl.Input{started, asl.TaskSucceeded{TaskID: t.TaskID, Output: out}}
}
