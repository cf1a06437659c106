package sfn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"stepline"
	"stepline/asl"
	"stepline/store"
)

// Redrive statuses, as DescribeExecution reports them.
const (
	RedriveRedrivable    = "REDRIVABLE"
	RedriveNotRedrivable = "NOT_REDRIVABLE"
)

// Execution is an execution as DescribeExecution and ListExecutions report it.
type Execution struct {
	ARN             string
	StateMachineARN string
	VersionARN      string
	AliasARN        string
	MapRunARN       string
	Name            string
	Status          string
	StartDate       time.Time
	StopDate        time.Time // zero while running
	Input           string
	Output          *string // set only on success, as AWS does
	Error           string
	Cause           string
	TraceHeader     string

	RedriveCount        int
	RedriveDate         time.Time
	RedriveStatus       string
	RedriveStatusReason string
}

func executionDoesNotExist(arn string) *stepline.Error {
	return stepline.Errorf("ExecutionDoesNotExist", "Execution Does Not Exist: '%s'", arn)
}

// parseExecutionARN checks an ARN given to an operation on a Standard execution.
// Express executions live only in memory: AWS answers "Invalid Arn: 'Resource type
// not valid in this context: express'" for them, and so do we.
func parseExecutionARN(arn string) error {
	a, err := parseARNOf(arn, arnTypeExecution)
	if err != nil {
		return err
	}
	if a.Qualifier == "" {
		return invalidARN("Invalid ARN format: " + arn)
	}
	return nil
}

// loadExecution returns a stored execution and its document.
func (s *Service) loadExecution(ctx context.Context, arn string) (store.Execution, *execDoc, error) {
	if err := parseExecutionARN(arn); err != nil {
		return store.Execution{}, nil, err
	}
	ex, err := s.store.ExecutionGet(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return ex, nil, executionDoesNotExist(arn)
	}
	if err != nil {
		return ex, nil, fmt.Errorf("load execution %s: %w", arn, err)
	}
	doc, err := decodeExecDoc(ex)
	return ex, doc, err
}

// DescribeExecution describes a Standard execution.
//
// An EXPRESS child of a Distributed Map run is described too, as on AWS
// (API_DescribeExecution: "Executions of an EXPRESS state machine aren't supported by
// DescribeExecution unless a Map Run dispatched them").
func (s *Service) DescribeExecution(ctx context.Context, arn string) (Execution, error) {
	if a, err := ParseARN(arn); err == nil && a.Type == arnTypeExpress && a.Label != "" {
		ex, err := s.store.ExecutionGet(ctx, arn)
		if errors.Is(err, store.ErrNotFound) {
			return Execution{}, executionDoesNotExist(arn)
		}
		if err != nil {
			return Execution{}, fmt.Errorf("load execution %s: %w", arn, err)
		}
		doc, err := decodeExecDoc(ex)
		if err != nil {
			return Execution{}, err
		}
		return describe(ex, doc, s.cfg.Clock.Now()), nil
	}
	ex, doc, err := s.loadExecution(ctx, arn)
	if err != nil {
		return Execution{}, err
	}
	return describe(ex, doc, s.cfg.Clock.Now()), nil
}

func describe(ex store.Execution, doc *execDoc, now time.Time) Execution {
	out := Execution{
		ARN: ex.ARN, StateMachineARN: ex.StateMachineARN, VersionARN: ex.VersionARN, AliasARN: ex.AliasARN,
		MapRunARN: ex.MapRunARN, Name: ex.Name, Status: ex.Status, StartDate: ex.StartTime, StopDate: ex.StopTime,
		Input: doc.Input, Error: doc.Error, Cause: doc.Cause, TraceHeader: doc.TraceHeader,
		RedriveCount: doc.RedriveCount, RedriveDate: doc.RedriveDate,
	}
	if ex.Status == ExecSucceeded && doc.HasOutput {
		o := doc.Output
		out.Output = &o
	}
	out.RedriveStatus, out.RedriveStatusReason = redriveStatus(ex, doc, now)
	return out
}

// StopExecution stops a running execution (ExecutionAborted) and returns its stop
// date. Stopping an execution that already ended changes nothing and returns its
// stop date.
func (s *Service) StopExecution(ctx context.Context, arn, errName, cause string) (time.Time, error) {
	if len(errName) > 256 {
		return time.Time{}, validationf("1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256")
	}
	if len(cause) > 32768 {
		return time.Time{}, validationf("1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768")
	}
	if _, _, err := s.loadExecution(ctx, arn); err != nil {
		return time.Time{}, err
	}
	ex, err := s.stopExecution(ctx, arn, errName, cause)
	if errors.Is(err, errClosed) {
		return ex.StopTime, nil
	}
	return ex.StopTime, err
}

// stopExecution delivers asl.Stop to a Standard execution.
func (s *Service) stopExecution(ctx context.Context, arn, errName, cause string) (store.Execution, error) {
	return s.eng.deliver(ctx, arn, delivery{inputs: []asl.Input{asl.Stop{Error: errName, Cause: cause}}})
}

// ListExecutionsParams filters ListExecutions.
type ListExecutionsParams struct {
	StateMachineARN string // unqualified, version or alias ARN
	MapRunARN       string
	StatusFilter    string
	Page            Page
}

// executionStatuses is the ExecutionStatus enum, in AWS's message order.
var executionStatuses = []string{ExecSucceeded, ExecTimedOut, ExecPendingRedrive, ExecAborted, ExecFailed, ExecRunning}

// ListExecutions lists a Standard state machine's executions, newest first.
func (s *Service) ListExecutions(ctx context.Context, p ListExecutionsParams) ([]Execution, string, error) {
	if (p.StateMachineARN == "") == (p.MapRunARN == "") {
		return nil, "", validationf("Must provide a StateMachine ARN or MapRun ARN")
	}
	lp := store.ExecutionListParams{Status: p.StatusFilter}
	if p.StatusFilter != "" && !slices.Contains(executionStatuses, p.StatusFilter) {
		return nil, "", validationf("1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: "+
			"Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]", p.StatusFilter)
	}
	if p.MapRunARN != "" {
		// A map run's children, STANDARD or EXPRESS (docs/executions.md).
		if _, _, err := s.loadMapRun(ctx, p.MapRunARN); err != nil {
			return nil, "", err
		}
		lp.MapRunARN = p.MapRunARN
	} else if err := s.listExecutionsOf(ctx, p, &lp); err != nil {
		return nil, "", err
	}
	max := p.Page.Max
	if max <= 0 {
		max = PageSizeDefault
	}
	if p.Page.NextToken != "" {
		c, err := decodeExecCursor(p.Page.NextToken)
		if err != nil {
			return nil, "", err
		}
		lp.BeforeStart, lp.BeforeARN = c.T, c.A
	}
	lp.Limit = max + 1
	rows, err := s.store.ExecutionList(ctx, lp)
	if err != nil {
		return nil, "", fmt.Errorf("list executions: %w", err)
	}
	next := ""
	if len(rows) > max {
		rows = rows[:max]
		next = encodeExecCursor(rows[max-1])
	}
	now := s.cfg.Clock.Now()
	out := make([]Execution, 0, len(rows))
	for _, r := range rows {
		doc, err := decodeExecDoc(r)
		if err != nil {
			return nil, "", err
		}
		out = append(out, describe(r, doc, now))
	}
	return out, next, nil
}

// listExecutionsOf sets lp to list a state machine's, version's or alias's executions.
func (s *Service) listExecutionsOf(ctx context.Context, p ListExecutionsParams, lp *store.ExecutionListParams) error {
	if p.StatusFilter == ExecPendingRedrive {
		return validationf("PENDING_REDRIVE status filter is only supported with a Map Run ARN")
	}
	typ, _, err := s.stateMachineType(ctx, p.StateMachineARN)
	if err != nil {
		return err
	}
	if typ == TypeExpress {
		return stateMachineTypeNotSupported()
	}
	a, _ := ParseARN(p.StateMachineARN) // checked by stateMachineType
	switch {
	case a.IsAlias():
		lp.AliasARN = p.StateMachineARN
	case a.IsVersion():
		lp.VersionARN = p.StateMachineARN
	default:
		lp.StateMachineARN = p.StateMachineARN
	}
	return nil
}

func stateMachineTypeNotSupported() *stepline.Error {
	return stepline.Errorf("StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
}

// execCursor is the position a ListExecutions nextToken carries.
type execCursor struct {
	T time.Time `json:"t"`
	A string    `json:"a"`
}

func encodeExecCursor(ex store.Execution) string {
	b, _ := json.Marshal(execCursor{T: ex.StartTime, A: ex.ARN}) // a time and a string
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeExecCursor(tok string) (execCursor, error) {
	var c execCursor
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.A == "" {
		return c, stepline.Errorf("InvalidToken", "Invalid Token: '%s'", tok)
	}
	return c, nil
}

// ExecutionStateMachine is what DescribeStateMachineForExecution returns: the state
// machine as the execution ran it.
type ExecutionStateMachine struct {
	StateMachine StateMachine // Definition, RoleARN and RevisionID are the execution's
	MapRunARN    string
}

// DescribeStateMachineForExecution returns the definition an execution runs, which
// stays what it was at the start even if the state machine was updated since.
func (s *Service) DescribeStateMachineForExecution(ctx context.Context, arn string) (ExecutionStateMachine, error) {
	ex, doc, err := s.loadExecution(ctx, arn)
	if err != nil {
		return ExecutionStateMachine{}, err
	}
	smKey := ex.StateMachineARN
	if i := strings.IndexByte(smKey, '/'); i >= 0 && ex.MapRunARN != "" {
		// A map run's child: its state machine is <name>/<label> of the parent's.
		smKey = smKey[:i]
	}
	sm, _, err := getDoc[StateMachine](ctx, s.store, kindStateMachine, smKey)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return ExecutionStateMachine{}, fmt.Errorf("load state machine: %w", err)
	}
	sm.ARN, sm.Name = ex.StateMachineARN, doc.SMName
	def, err := s.eng.defs.text(ctx, s.store, doc.DefinitionKey)
	if err != nil {
		return ExecutionStateMachine{}, err
	}
	sm.Definition, sm.RoleARN, sm.RevisionID = def, doc.RoleARN, doc.RevisionID
	if sm.UpdateDate.IsZero() {
		sm.UpdateDate = sm.CreationDate
	}
	return ExecutionStateMachine{StateMachine: sm, MapRunARN: ex.MapRunARN}, nil
}
