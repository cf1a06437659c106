package sfn

import (
	"context"
	"errors"
	"math"

	"github.com/google/uuid"

	"stepline"
	"stepline/asl"
	"stepline/jsonvalue"
)

// TestState runs one state on its own, in memory
// (https://docs.aws.amazon.com/step-functions/latest/dg/test-state-isolation.html).
// TestStateParams is its input in domain terms.
type TestStateParams struct {
	Definition      string // one state, or a whole state machine with StateName
	StateName       string
	Input           *string
	RoleARN         string
	Variables       *string
	Context         *string
	InspectionLevel string // INFO (default), DEBUG or TRACE
	RevealSecrets   bool
	Mock            *TestStateMock
	Config          TestStateConfig
}

// TestStateConfig is TestState's stateConfiguration.
type TestStateConfig struct {
	RetrierRetryCount        *int32
	ErrorCausedByState       *string
	MapIterationFailureCount *int32
	MapItemReaderData        *string
}

// TestStateMock is the mocked answer of the state's task, or of a whole Map or
// Parallel state.
type TestStateMock struct {
	Result              *string // JSON text
	Throws              bool
	Error               string
	Cause               string
	FieldValidationMode string // STRICT (default), PRESENT or NONE
}

// TestStateResult is how the tested state ended.
type TestStateResult struct {
	Status     string // SUCCEEDED, FAILED, CAUGHT_ERROR or RETRIABLE
	NextState  string
	Output     *string
	Error      string
	Cause      string
	Inspection *TestStateInspection // nil at inspection level INFO
}

// TestStateInspection is TestState's inspectionData: JSON texts, "" where a stage did
// not happen.
type TestStateInspection struct {
	Input, AfterInputPath, AfterParameters, AfterArguments, Result string
	AfterResultSelector, AfterResultPath                           string
	AfterItemsPath, AfterItemSelector, AfterItemBatcher            string
	Variables                                                      string

	ToleratedFailureCount      *int64
	ToleratedFailurePercentage *float64
	MaxConcurrency             *int64

	CatchIndex, RetryIndex      *int
	RetryBackoffIntervalSeconds *int64

	Request  *TestStateHTTPRequest  // TRACE, HTTP Task only
	Response *TestStateHTTPResponse // TRACE, HTTP Task with a result only
}

// TestState runs the state through asl's single-state entry point: the task (or
// the Map or Parallel as a whole) is answered by the mock, or, without one, as
// `stepline run` answers tasks it cannot carry out.
func (s *Service) TestState(ctx context.Context, p TestStateParams) (TestStateResult, error) {
	t, err := prepareTestState(p)
	if err != nil {
		return TestStateResult{}, err
	}
	raw, input, err := parseExecutionInput(p.Input)
	if err != nil {
		return TestStateResult{}, err
	}
	id := s.identity(ctx)
	name := uuid.NewString()
	o := asl.TestOptions{StateName: t.name, Input: input, InputText: raw, Now: s.cfg.Clock.Now(),
		Variables: t.variables, Context: t.context, ItemReaderData: t.readerData,
		// AWS runs the state as an Express execution of a state machine of its own: the
		// context's Execution.Id is an express ARN and it has no RedriveCount.
		Info: asl.ExecutionInfo{ExecutionARN: scope(id) + ":express:TestState:" + name, Name: name,
			StateMachineARN: stateMachineARN(id, "TestState"), StateMachineName: "TestState",
			RoleARN: p.RoleARN, Type: TypeExpress},
		Run: t.answer}
	if c := p.Config.RetrierRetryCount; c != nil {
		o.RetryCount = int(*c)
	}
	if c := p.Config.MapIterationFailureCount; c != nil {
		o.MapIterationFailureCount = int(*c)
	}
	res, err := t.machine.TestState(o)
	var verr *asl.TestValidationError
	switch {
	case errors.Is(err, asl.ErrTestStateNotFound):
		return TestStateResult{}, validationf("State not found in definition")
	case errors.As(err, &verr):
		return TestStateResult{}, validationf("%s", verr.Message)
	case err != nil:
		return TestStateResult{}, stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", err.Error())
	}
	if t.mockErr != "" {
		return TestStateResult{}, validationf("%s", t.mockErr)
	}
	out := TestStateResult{Status: res.Status, NextState: res.NextState, Error: res.Error, Cause: res.Cause}
	if res.Output != nil {
		o := string(res.Output)
		out.Output = &o
	}
	if p.InspectionLevel == "DEBUG" || p.InspectionLevel == "TRACE" {
		out.Inspection = inspectionOf(res)
		if p.InspectionLevel == "TRACE" && res.Task != nil && res.Task.Service == "http" {
			out.Inspection.Request, out.Inspection.Response = httpTrace(res)
		}
	}
	return out, nil
}

// inspectionOf turns asl's stages into inspectionData.
func inspectionOf(res asl.TestResult) *TestStateInspection {
	in := &TestStateInspection{Input: string(res.Input), AfterInputPath: string(res.AfterInputPath),
		AfterParameters: string(res.AfterParameters), AfterArguments: string(res.AfterArguments),
		Result: string(res.Result), AfterResultSelector: string(res.AfterResultSelector),
		AfterResultPath: string(res.AfterResultPath), AfterItemsPath: string(res.AfterItemsPath),
		AfterItemSelector: string(res.AfterItemSelector), AfterItemBatcher: string(res.AfterItemBatcher),
		Variables: string(res.Variables), ToleratedFailureCount: res.ToleratedFailureCount,
		ToleratedFailurePercentage: res.ToleratedFailurePercentage, MaxConcurrency: res.MaxConcurrency}
	if res.RetryIndex >= 0 {
		i := res.RetryIndex
		// The guide's example: IntervalSeconds 2, BackoffRate 2.0 after one retry gives 4.
		// A fractional back-off is rounded to whole seconds (the field is an integer).
		secs := int64(math.Round(res.RetryBackoffSeconds))
		in.RetryIndex, in.RetryBackoffIntervalSeconds = &i, &secs
	}
	if res.CatchIndex >= 0 {
		i := res.CatchIndex
		in.CatchIndex = &i
	}
	return in
}

// testState is a prepared TestState request.
type testState struct {
	name       string
	machine    *asl.Machine
	state      *jsonvalue.Object
	typ        string
	variables  *jsonvalue.Object
	context    *jsonvalue.Object
	readerData any
	mock       *TestStateMock
	mockValue  any
	// mockErr is a mock that does not fit the state's shape, found once the state ran
	// far enough to know it (kept to report it as AWS does, as a ValidationException).
	mockErr string
	noMock  func(asl.ScheduleTask) asl.TestOutcome
}

// answer gives the state's work its outcome: the mock, or what `stepline run` does.
func (t *testState) answer(st asl.ScheduleTask) asl.TestOutcome {
	m := t.mock
	if m == nil {
		return t.noMock(st)
	}
	if m.Throws {
		return asl.TestOutcome{Failed: true, Error: m.Error, Cause: m.Cause}
	}
	if msg := t.checkMockShape(); msg != "" {
		t.mockErr = msg
		return asl.TestOutcome{Failed: true, Error: "States.Runtime", Cause: msg}
	}
	return asl.TestOutcome{Result: jsonvalue.DeepCopy(t.mockValue), ResultText: []byte(*m.Result)}
}

// noMockAnswer answers a task without a mock as `stepline run` does: stepline calls
// no outside service, so the task fails with IntegrationUnavailable.
func noMockAnswer(st asl.ScheduleTask) asl.TestOutcome {
	f := unsupportedIntegration(taskEnvelope{Resource: st.Resource, StateName: st.StateName})
	return asl.TestOutcome{Failed: true, Error: f.Error, Cause: f.Cause}
}
