package sfn

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"stepline"
	"stepline/asl"
	"stepline/store"
)

// StartExecutionParams is StartExecution's input in domain terms. Input nil means none
// was given ("{}").
type StartExecutionParams struct {
	StateMachineARN string
	Name            string
	Input           *string
	TraceHeader     string

	parent *parentRef // set for nested executions
}

// StartExecutionResult is what StartExecution returns.
type StartExecutionResult struct {
	ExecutionARN string
	StartDate    time.Time
}

// traceHeaderMax is the traceHeader shape's limit.
const traceHeaderMax = 256

// StartExecution starts an execution. For a STANDARD state machine the execution is
// durable when this returns: its start (and as much of it as runs without waiting)
// is one store write. Starting again with the same name and input while it runs
// returns the first start, as on AWS; anything else with a taken name is
// ExecutionAlreadyExists. An EXPRESS execution runs in memory and is not idempotent.
func (s *Service) StartExecution(ctx context.Context, p StartExecutionParams) (StartExecutionResult, error) {
	t, name, raw, input, err := s.prepareStart(ctx, p)
	if err != nil {
		return StartExecutionResult{}, err
	}
	if t.Type == TypeExpress {
		return s.startExpressAsync(ctx, t, name, raw, p.TraceHeader)
	}
	if err := s.admitExecution(ctx, t.StateMachineARN); err != nil {
		return StartExecutionResult{}, err
	}
	return s.startStandard(ctx, t, name, raw, input, p)
}

// prepareStart resolves and checks what every start needs.
func (s *Service) prepareStart(ctx context.Context, p StartExecutionParams) (startTarget, string, string, any, error) {
	t, err := s.resolveStartTarget(ctx, p.StateMachineARN)
	if err != nil {
		return t, "", "", nil, err
	}
	name := p.Name
	if name == "" {
		name = uuid.NewString()
	} else if err := checkName(name); err != nil {
		return t, "", "", nil, err
	}
	if len(p.TraceHeader) > traceHeaderMax {
		return t, "", "", nil, validationf("1 validation error detected: Value '%s' at 'traceHeader' failed to satisfy constraint: "+
			"Member must have length less than or equal to %d", p.TraceHeader, traceHeaderMax)
	}
	raw, input, err := parseExecutionInput(p.Input)
	if err != nil {
		return t, "", "", nil, err
	}
	return t, name, raw, input, nil
}

// executionARN is arn:<p>:states:<r>:<a>:execution:<state machine>:<name>.
func executionARN(smARN string, name string) (string, error) {
	a, err := ParseARN(smARN)
	if err != nil {
		return "", err
	}
	return "arn:" + a.Partition + ":states:" + a.Region + ":" + a.Account + ":" + arnTypeExecution + ":" + a.Name + ":" + name, nil
}

func (s *Service) startStandard(ctx context.Context, t startTarget, name, raw string, input any, p StartExecutionParams) (StartExecutionResult, error) {
	arn, err := executionARN(t.StateMachineARN, name)
	if err != nil {
		return StartExecutionResult{}, err
	}
	unlock := s.eng.locks.lock(arn)
	defer unlock()
	defKey, err := s.eng.defs.save(ctx, s.store, t.StateMachineARN, t.Definition, t.Machine)
	if err != nil {
		return StartExecutionResult{}, err
	}
	now := s.stamp()
	doc := &execDoc{
		Input: raw, TraceHeader: p.TraceHeader, Type: t.Type, SMName: t.Name, RoleARN: t.RoleARN,
		DefinitionKey: defKey, RevisionID: t.RevisionID, Seed: rand.Uint64(), Parent: p.parent,
	}
	ex := store.Execution{
		ARN: arn, StateMachineARN: t.StateMachineARN, VersionARN: t.VersionARN, AliasARN: t.AliasARN,
		Name: name, Status: ExecRunning, StartTime: now, NextEventID: 1,
	}
	info := asl.ExecutionInfo{
		ExecutionARN: arn, Name: name, StateMachineARN: smARNForContext(t), StateMachineName: t.Name,
		RoleARN: t.RoleARN, Type: t.Type, StartTime: now, MapRuns: true,
	}
	dec, err := t.Machine.Step(nil, asl.Start{Info: info, Input: input, Seed: doc.Seed}, now)
	if err != nil {
		return StartExecutionResult{}, fmt.Errorf("start %s: %w", arn, err)
	}
	tr := newTransition(ex, doc, now)
	if err := tr.add(dec); err != nil {
		return StartExecutionResult{}, err
	}
	snap, err := asl.MarshalState(dec.State)
	if err != nil {
		return StartExecutionResult{}, fmt.Errorf("encode state of %s: %w", arn, err)
	}
	params := tr.params(snap, true)
	err = s.store.HistoryAppend(ctx, params)
	if errors.Is(err, store.ErrExists) {
		return s.startAgain(ctx, arn, raw)
	}
	if err != nil {
		return StartExecutionResult{}, fmt.Errorf("start execution %s: %w", arn, err)
	}
	s.eng.rows.keep(params.Execution)
	s.eng.afterWrite(&steppedTransition{transition: tr, state: dec.State}, params)
	return StartExecutionResult{ExecutionARN: arn, StartDate: now}, nil
}

// smARNForContext is the $$.StateMachine.Id of an execution: the ARN it was started
// through (version or alias ARN when one was used).
func smARNForContext(t startTarget) string {
	switch {
	case t.AliasARN != "":
		return t.AliasARN
	case t.VersionARN != "":
		return t.VersionARN
	}
	return t.StateMachineARN
}

// startAgain answers a start whose name is taken. AWS (API_StartExecution): "If
// StartExecution is called with the same name and input as a running execution, the
// call succeeds and return the same response as the original request. If the
// execution is closed or if the input is different, it returns a 400
// ExecutionAlreadyExists error."
func (s *Service) startAgain(ctx context.Context, arn, raw string) (StartExecutionResult, error) {
	ex, err := s.store.ExecutionGet(ctx, arn)
	if err != nil {
		return StartExecutionResult{}, fmt.Errorf("load execution %s: %w", arn, err)
	}
	doc, err := decodeExecDoc(ex)
	if err != nil {
		return StartExecutionResult{}, err
	}
	if ex.Status == ExecRunning && doc.Input == raw {
		return StartExecutionResult{ExecutionARN: arn, StartDate: ex.StartTime}, nil
	}
	return StartExecutionResult{}, executionAlreadyExists(arn)
}

func executionAlreadyExists(arn string) *stepline.Error {
	return stepline.Errorf("ExecutionAlreadyExists", "Execution Already Exists: '%s'", arn)
}
