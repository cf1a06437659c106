package sfn

import (
	"context"
	"encoding/json"
	"strings"

	"stepline"
	"stepline/asl"
	"stepline/jsonvalue"
)

// TestStateParams is TestState's input in domain terms.
type TestStateParams struct {
	Definition string // one state, or a whole state machine with StateName
	StateName  string
	Input      *string
	RoleARN    string
	Variables  *string
	Mock       *TestStateMock
}

// TestStateMock is the mocked answer of the state's task.
type TestStateMock struct {
	Result *string // JSON text
	Throws bool
	Error  string
	Cause  string
}

// TestStateResult is how the tested state ended.
type TestStateResult struct {
	Status    string // SUCCEEDED, FAILED, CAUGHT_ERROR or RETRIABLE
	NextState string
	Output    *string
	Error     string
	Cause     string
	Input     string
	// AfterParameters and Result are the task's effective parameters and its raw
	// result, when the state ran a task (inspectionData).
	AfterParameters string
	Result          string
}

// TestState runs one state on its own, in memory. The state is put in a machine of
// its own whose transition targets are Succeed stand-ins, so the run stops when the
// state is done and the stand-in reached names the next state. Not yet supported:
// inspection data beyond input, afterParameters and result, variables, context,
// stateConfiguration, and Map/Parallel iteration controls.
func (s *Service) TestState(ctx context.Context, p TestStateParams) (TestStateResult, error) {
	name, state, lang, err := testStateOf(p)
	if err != nil {
		return TestStateResult{}, err
	}
	typ, _ := state.Get("Type")
	switch typ {
	case "Task", "Map", "Parallel":
		if typ == "Task" && p.RoleARN == "" && p.Mock == nil {
			return TestStateResult{}, validationf("RoleArn must be specified when testing a Task state")
		}
	default:
		if p.Mock != nil {
			return TestStateResult{}, validationf("State type '%v' is not supported when a mock is specified", typ)
		}
	}
	def, next, catches := testMachine(name, state, lang)
	m, err := asl.Parse(def)
	if err != nil {
		return TestStateResult{}, stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", err.Error())
	}
	raw, input, err := parseExecutionInput(p.Input)
	if err != nil {
		return TestStateResult{}, err
	}
	tasks := failAllTasks
	if p.Mock != nil {
		tasks, err = testStateMockTasks(p.Mock)
		if err != nil {
			return TestStateResult{}, err
		}
	}
	id := s.identity(ctx)
	smARN := stateMachineARN(id, "TestState")
	res, err := RunInMemory(ctx, MemoryRunOptions{
		Machine: m, Input: input, InstantTimers: true, KeepHistory: true, Tasks: tasks, Clock: s.cfg.Clock,
		Info: asl.ExecutionInfo{ExecutionARN: scope(id) + ":execution:TestState:test", Name: "test",
			StateMachineARN: smARN, StateMachineName: "TestState", RoleARN: p.RoleARN, Type: TypeStandard},
	})
	if err != nil {
		return TestStateResult{}, stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", err.Error())
	}
	out := TestStateResult{Input: raw, Status: res.Status, Error: res.Error, Cause: res.Cause}
	out.AfterParameters, out.Result = testInspection(res.Events)
	// TestState runs one attempt: a failure a retrier takes up is RETRIABLE, with the
	// error of that attempt (API_TestState, "status").
	if errName, cause, retried := testRetried(res.Events); retried {
		return TestStateResult{Input: raw, Status: "RETRIABLE", Error: errName, Cause: cause,
			AfterParameters: out.AfterParameters}, nil
	}
	if res.Status != ExecSucceeded {
		out.Status = ExecFailed
		return out, nil
	}
	o := res.Output
	out.Output = &o
	reached, failErr, failCause := testOutcome(res.Events)
	out.NextState = reached
	if failErr != "" && catches[reached] && reached != next {
		out.Status, out.Error, out.Cause = "CAUGHT_ERROR", failErr, failCause
	}
	return out, nil
}

// testStateOf finds the state to test and the query language it is written in.
func testStateOf(p TestStateParams) (string, *jsonvalue.Object, string, error) {
	v, err := jsonvalue.ParseString(p.Definition)
	if err != nil {
		return "", nil, "", stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", jacksonMessage(p.Definition, err))
	}
	o, ok := v.(*jsonvalue.Object)
	if !ok {
		return "", nil, "", stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: 'The definition must be a JSON object'")
	}
	lang, _ := o.Get("QueryLanguage")
	langS, _ := lang.(string)
	states, whole := o.Get("States")
	if !whole {
		name := p.StateName
		if name == "" {
			name = "TestState"
		}
		return name, o.Clone(), langS, nil
	}
	so, _ := states.(*jsonvalue.Object)
	if so == nil || p.StateName == "" {
		return "", nil, "", validationf("State not found in definition")
	}
	st, ok := so.Get(p.StateName)
	sto, _ := st.(*jsonvalue.Object)
	if !ok || sto == nil {
		return "", nil, "", validationf("State not found in definition")
	}
	return p.StateName, sto.Clone(), langS, nil
}

// testMachine builds the one-state machine: the state, and a Succeed stand-in for
// every state its Next, Default, Choices and Catch lead to.
func testMachine(name string, state *jsonvalue.Object, lang string) (def string, next string, catches map[string]bool) {
	catches = make(map[string]bool)
	targets := []string{}
	if v, ok := state.Get("Next"); ok {
		next, _ = v.(string)
		targets = append(targets, next)
	}
	if v, ok := state.Get("Default"); ok {
		if s, ok := v.(string); ok {
			targets = append(targets, s)
		}
	}
	for _, field := range []string{"Choices", "Catch"} {
		v, _ := state.Get(field)
		list, _ := v.([]any)
		for _, item := range list {
			io, _ := item.(*jsonvalue.Object)
			if io == nil {
				continue
			}
			if n, ok := io.Get("Next"); ok {
				if s, ok := n.(string); ok {
					targets = append(targets, s)
					if field == "Catch" {
						catches[s] = true
					}
				}
			}
		}
	}
	states := jsonvalue.NewObject(len(targets) + 1)
	states.Set(name, state)
	for _, t := range targets {
		if t != name {
			states.Set(t, jsonvalue.ObjectOf("Type", "Succeed"))
		}
	}
	top := jsonvalue.ObjectOf("StartAt", name, "States", states)
	if lang != "" {
		top.Set("QueryLanguage", lang)
	}
	return jsonvalue.MarshalString(top), next, catches
}

// testOutcome reads the run's history: the last state entered after the first
// (the stand-in reached), and the last failure seen before it.
func testOutcome(events []asl.Event) (reached, errName, cause string) {
	entered := 0
	for _, e := range events {
		var d struct {
			Name  string `json:"name"`
			Error string `json:"error"`
			Cause string `json:"cause"`
		}
		_ = json.Unmarshal(e.Details, &d) // events without details leave d empty
		switch {
		case strings.HasSuffix(e.Type, "StateEntered"):
			entered++
			if entered > 1 {
				reached = d.Name
			}
		case strings.HasSuffix(e.Type, "Failed") && d.Error != "":
			errName, cause = d.Error, d.Cause
		}
	}
	return reached, errName, cause
}

// testStateMockTasks answers every task with the mock.
func testStateMockTasks(m *TestStateMock) (TaskFunc, error) {
	if m.Throws {
		return func(_ context.Context, t asl.ScheduleTask) []asl.Input {
			return []asl.Input{asl.TaskStarted{TaskID: t.TaskID}, asl.TaskFailed{TaskID: t.TaskID, Error: m.Error, Cause: m.Cause}}
		}, nil
	}
	if m.Result == nil {
		return nil, validationf("A test mock should have only one of the following fields: [result, errorOutput].")
	}
	v, err := jsonvalue.ParseString(*m.Result)
	if err != nil {
		return nil, validationf("Mocked result must be valid JSON")
	}
	return func(_ context.Context, t asl.ScheduleTask) []asl.Input {
		return []asl.Input{asl.TaskStarted{TaskID: t.TaskID}, asl.TaskSucceeded{TaskID: t.TaskID, Output: jsonvalue.DeepCopy(v)}}
	}, nil
}

// testInspection reads a task's effective parameters and raw result from the history.
func testInspection(events []asl.Event) (params, result string) {
	for _, e := range events {
		var d struct {
			Parameters string `json:"parameters"`
			Input      string `json:"input"`
			Output     string `json:"output"`
		}
		if json.Unmarshal(e.Details, &d) != nil {
			continue
		}
		switch e.Type {
		case "TaskScheduled", "LambdaFunctionScheduled":
			params = d.Parameters
			if params == "" {
				params = d.Input
			}
		case "ActivityScheduled":
			params = d.Input
		case "TaskSucceeded", "ActivitySucceeded", "LambdaFunctionSucceeded":
			result = d.Output
		}
	}
	return params, result
}

// testRetried reports whether the tested task was scheduled more than once (a
// retrier took up its failure) and the failure of the first attempt.
func testRetried(events []asl.Event) (errName, cause string, retried bool) {
	scheduled := 0
	for _, e := range events {
		switch {
		case strings.HasSuffix(e.Type, "Scheduled"):
			scheduled++
			if scheduled > 1 {
				return errName, cause, true
			}
		case scheduled == 1 && errName == "" && (strings.HasSuffix(e.Type, "Failed") || strings.HasSuffix(e.Type, "TimedOut")):
			var d struct {
				Error string `json:"error"`
				Cause string `json:"cause"`
			}
			_ = json.Unmarshal(e.Details, &d) // a failure without details leaves them empty
			errName, cause = d.Error, d.Cause
		}
	}
	return "", "", false
}
