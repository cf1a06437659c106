package sfn

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"stepline"
	"stepline/asl"
	"stepline/jsonvalue"
)

// This file checks a TestState request before the state runs. Messages in quotes
// are AWS's as recorded; the others are stepline's choice (docs/executions.md).

// prepareTestState parses the definition, finds the state and checks the request.
func prepareTestState(p TestStateParams) (*testState, error) {
	name, state, def, err := testStateOf(p)
	if err != nil {
		return nil, err
	}
	m, err := asl.Parse(def)
	if err != nil {
		return nil, stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", err.Error())
	}
	t := &testState{name: name, machine: m, state: state, mock: p.Mock, noMock: noMockAnswer}
	t.typ, _ = jsonField(state, "Type").(string)
	if err := t.checkMock(p); err != nil {
		return nil, err
	}
	if err := t.checkConfig(p.Config); err != nil {
		return nil, err
	}
	if p.Variables != nil {
		v, err := jsonvalue.ParseString(*p.Variables)
		o, isObject := v.(*jsonvalue.Object)
		if err != nil || !isObject {
			return nil, validationf("Invalid variables provided: the variables must be a JSON object")
		}
		t.variables = o
	}
	if p.Context != nil {
		if p.Mock == nil {
			return nil, validationf("Invalid Context object provided: a Context object can only be specified together with a mock")
		}
		if t.context, err = checkTestContext(*p.Context, t.pattern()); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// testStateOf finds the state to test: the definition itself, or the state called
// StateName in a whole state machine (inside branches and item processors too).
// def is the machine to parse: a one-state machine around a lone state.
func testStateOf(p TestStateParams) (name string, state *jsonvalue.Object, def string, err error) {
	v, perr := jsonvalue.ParseString(p.Definition)
	if perr != nil {
		return "", nil, "", stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: '%s'", jacksonMessage(p.Definition, perr))
	}
	o, ok := v.(*jsonvalue.Object)
	if !ok {
		return "", nil, "", stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: 'The definition must be a JSON object'")
	}
	if _, whole := o.Get("States"); !whole {
		name = p.StateName
		if name == "" {
			name = "TestState"
		}
		if _, ok := jsonField(o, "Type").(string); !ok {
			return "", nil, "", stepline.Errorf("InvalidDefinition", "Invalid State Machine Definition: 'The state must have a string field Type'")
		}
		lang, _ := jsonField(o, "QueryLanguage").(string)
		return name, o, testMachine(name, o, lang), nil
	}
	if p.StateName == "" {
		return "", nil, "", validationf("State not found in definition")
	}
	state = findStateJSON(o, p.StateName, 0)
	if state == nil {
		return "", nil, "", validationf("State not found in definition")
	}
	return p.StateName, state, p.Definition, nil
}

// findStateJSON looks name up in the States of o, then in its branches and item
// processors.
func findStateJSON(o *jsonvalue.Object, name string, depth int) *jsonvalue.Object {
	if depth > 32 {
		return nil
	}
	states, _ := jsonField(o, "States").(*jsonvalue.Object)
	if st, ok := jsonField(states, name).(*jsonvalue.Object); ok {
		return st
	}
	var found *jsonvalue.Object
	states.Range(func(_ string, v any) bool {
		st, _ := v.(*jsonvalue.Object)
		for _, sub := range subGraphs(st) {
			if found = findStateJSON(sub, name, depth+1); found != nil {
				return false
			}
		}
		return true
	})
	return found
}

// subGraphs returns a Parallel's branches or a Map's item processor.
func subGraphs(st *jsonvalue.Object) []*jsonvalue.Object {
	var out []*jsonvalue.Object
	branches, _ := jsonField(st, "Branches").([]any)
	for _, b := range branches {
		if bo, ok := b.(*jsonvalue.Object); ok {
			out = append(out, bo)
		}
	}
	for _, k := range []string{"ItemProcessor", "Iterator"} {
		if p, ok := jsonField(st, k).(*jsonvalue.Object); ok {
			out = append(out, p)
		}
	}
	return out
}

// jsonField reads a field of an object that may be nil.
func jsonField(o *jsonvalue.Object, k string) any {
	if o == nil {
		return nil
	}
	v, _ := o.Get(k)
	return v
}

// testMachine builds a one-state machine: the state, and a Succeed stand-in for every
// state its Next, Default, Choices and Catch lead to, so that it parses on its own.
func testMachine(name string, state *jsonvalue.Object, lang string) string {
	targets := []string{}
	if s, ok := jsonField(state, "Next").(string); ok {
		targets = append(targets, s)
	}
	if s, ok := jsonField(state, "Default").(string); ok {
		targets = append(targets, s)
	}
	for _, field := range []string{"Choices", "Catch"} {
		list, _ := jsonField(state, field).([]any)
		for _, item := range list {
			io, _ := item.(*jsonvalue.Object)
			if s, ok := jsonField(io, "Next").(string); ok {
				targets = append(targets, s)
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
	return jsonvalue.MarshalString(top)
}

// pattern returns the Task's integration pattern: "activity", "sync",
// "waitForTaskToken" or "".
func (t *testState) pattern() string {
	if t.typ != "Task" {
		return ""
	}
	res, _ := jsonField(t.state, "Resource").(string)
	switch {
	case strings.Contains(res, ":activity:"):
		return "activity"
	case strings.HasSuffix(res, ".waitForTaskToken"):
		return "waitForTaskToken"
	case strings.Contains(res, ".sync"):
		return "sync"
	}
	return ""
}

// checkMock applies AWS's rules on which states take a mock and which need one.
func (t *testState) checkMock(p TestStateParams) error {
	m := p.Mock
	switch t.typ {
	case "Map", "Parallel":
		if m == nil {
			return stepline.Errorf("InvalidDefinition", "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]")
		}
	case "Task":
		if m == nil && p.RoleARN == "" {
			return validationf("RoleArn must be specified when testing a Task state")
		}
		if pat := t.pattern(); m == nil && pat != "" {
			return validationf("TestState supports Activity tasks, .sync and .waitForTaskToken service integration patterns only when a mock is specified")
		}
	default:
		if m != nil {
			return validationf("State type '%v' is not supported when a mock is specified", t.typ)
		}
	}
	if m == nil {
		return nil
	}
	if p.RevealSecrets {
		return validationf("TestState does not support RevealSecrets when a mock is specified.")
	}
	if m.Throws == (m.Result != nil) {
		return validationf("A test mock should have only one of the following fields: [result, errorOutput].")
	}
	if m.Throws {
		return nil
	}
	v, err := jsonvalue.ParseString(*m.Result)
	if err != nil {
		return validationf("Mocked result must be valid JSON")
	}
	t.mockValue = v
	if msg := t.checkMockShape(); msg != "" {
		return validationf("%s", msg)
	}
	if m.FieldValidationMode != "NONE" {
		if msg := mockSchemaError(jsonField(t.state, "Resource"), v, m.FieldValidationMode != "PRESENT"); msg != "" {
			return validationf("Mock result schema validation error: %s", msg)
		}
	}
	return nil
}

// checkMockShape checks a mocked result against a Map's or Parallel's shape.
func (t *testState) checkMockShape() string {
	arr, isArray := t.mockValue.([]any)
	_, isObject := t.mockValue.(*jsonvalue.Object)
	switch t.typ {
	case "Map":
		if jsonField(t.state, "ResultWriter") != nil {
			if !isObject {
				return "Mocked result must be a JSON object."
			}
		} else if !isArray {
			return "Mocked result must be an array."
		}
	case "Parallel":
		if !isArray {
			return "Mocked result must be an array."
		}
		if branches, _ := jsonField(t.state, "Branches").([]any); len(arr) != len(branches) {
			return "Mocked result must contain the same number of items as number of Parallel branches."
		}
	}
	return ""
}

// lambdaInvokeFields are the typed fields of Lambda's Invoke response, the one API
// model stepline checks mocks against (fieldValidationMode STRICT or PRESENT); it has
// no required fields.
var lambdaInvokeFields = map[string]string{"StatusCode": "number", "FunctionError": "string",
	"LogResult": "string", "ExecutedVersion": "string"}

// mockSchemaError checks a mocked result against the API model of the resource, where
// stepline knows it (lambda:invoke); other resources pass.
func mockSchemaError(resource any, v any, strict bool) string {
	res, _ := resource.(string)
	if !strings.HasPrefix(res, "arn:aws:states:::lambda:invoke") {
		return ""
	}
	o, ok := v.(*jsonvalue.Object)
	if !ok {
		return "Mocked result must be a JSON object"
	}
	_ = strict // Invoke has no required fields, so STRICT and PRESENT check the same
	var msg string
	o.Range(func(k string, fv any) bool {
		want, known := lambdaInvokeFields[k]
		if !known {
			return true
		}
		_, isString := fv.(string)
		_, isNumber := jsonvalue.Float(fv)
		if (want == "number" && !isNumber) || (want == "string" && !isString) {
			msg = fmt.Sprintf("Field '%s' must be a %s", k, want)
			return false
		}
		return true
	})
	return msg
}

// checkConfig checks stateConfiguration against the state tested.
func (t *testState) checkConfig(c TestStateConfig) error {
	if c.ErrorCausedByState != nil {
		if t.typ != "Map" && t.typ != "Parallel" {
			return validationf("errorCausedByState can only be specified when testing a Map or Parallel state")
		}
		found := false
		for _, sub := range subGraphs(t.state) {
			if findStateJSON(sub, *c.ErrorCausedByState, 0) != nil {
				found = true
			}
		}
		if !found {
			return validationf("errorCausedByState '%s' is not a state inside the tested state", *c.ErrorCausedByState)
		}
		if t.mock == nil || !t.mock.Throws {
			return validationf("errorCausedByState can only be specified together with a mocked errorOutput")
		}
	}
	if c.MapIterationFailureCount != nil && t.typ != "Map" {
		return validationf("mapIterationFailureCount can only be specified when testing a Map state")
	}
	if c.MapItemReaderData != nil {
		if t.typ != "Map" || jsonField(t.state, "ItemReader") == nil {
			return validationf("mapItemReaderData can only be specified when testing a Map state with an ItemReader")
		}
		v, err := jsonvalue.ParseString(*c.MapItemReaderData)
		if _, isArray := v.([]any); err != nil || !isArray {
			return validationf("mapItemReaderData must be a JSON array of the items the ItemReader reads")
		}
		t.readerData = v
	}
	return nil
}

// contextFields are the fields a TestState context object may hold, per top-level
// field.
var contextFields = map[string][]string{
	"Execution":    {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"},
	"State":        {"Name", "EnteredTime", "RetryCount"},
	"StateMachine": {"Id", "Name"},
	"Task":         {"Token"},
}

// checkTestContext parses and checks TestState's context parameter.
func checkTestContext(text, pattern string) (*jsonvalue.Object, error) {
	v, err := jsonvalue.ParseString(text)
	o, isObject := v.(*jsonvalue.Object)
	if err != nil || !isObject {
		return nil, validationf("Invalid Context object provided: the Context object must be a JSON object")
	}
	var verr error
	o.Range(func(k string, fv any) bool {
		switch {
		case k == "Map":
			verr = validationf("Invalid Context object provided: 'Map' field is not supported when mocking a Context object")
		case k == "Task" && pattern != "sync" && pattern != "waitForTaskToken":
			verr = validationf("Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern")
		case contextFields[k] == nil:
			verr = validationf("Invalid Context object provided: Field '%s' is not allowed", k)
		default:
			verr = checkContextPart(k, fv)
		}
		return verr == nil
	})
	if verr != nil {
		return nil, verr
	}
	return o, nil
}

// checkContextPart checks one object of the context: known fields, with the types
// the context object gives them.
func checkContextPart(part string, v any) error {
	o, ok := v.(*jsonvalue.Object)
	if !ok {
		return validationf("Invalid Context object provided: %s must be an object", part)
	}
	allowed := contextFields[part]
	var err error
	o.Range(func(k string, fv any) bool {
		if !slices.Contains(allowed, k) {
			err = validationf("Invalid Context object provided: Field '%s' is not allowed", k)
			return false
		}
		switch k {
		case "Input":
		case "RetryCount", "RedriveCount":
			if _, isInt := jsonvalue.Int(fv); !isInt {
				err = validationf("Invalid Context object provided: %s.%s must be an integer", part, k)
			}
		default:
			if _, isString := fv.(string); !isString {
				err = validationf("Invalid Context object provided: %s.%s must be a string", part, k)
			}
		}
		return err == nil
	})
	return err
}

// TestStateHTTPRequest is the HTTP request of an HTTP Task (inspectionData.request).
type TestStateHTTPRequest struct {
	Protocol, Method, URL, Headers, Body string
}

// TestStateHTTPResponse is its response (inspectionData.response), from the result.
type TestStateHTTPResponse struct {
	Protocol, StatusCode, StatusMessage, Headers, Body string
}

// httpTrace builds the request an HTTP Task sends from its effective parameters
// (https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html) and the
// response from its (mocked) result.
func httpTrace(res asl.TestResult) (*TestStateHTTPRequest, *TestStateHTTPResponse) {
	params, _ := res.Task.Input.(*jsonvalue.Object)
	req := &TestStateHTTPRequest{Protocol: "https"}
	req.Method, _ = jsonField(params, "Method").(string)
	req.URL, _ = jsonField(params, "ApiEndpoint").(string)
	if q, ok := jsonField(params, "QueryParameters").(*jsonvalue.Object); ok && q.Len() > 0 {
		vals := url.Values{}
		q.Range(func(k string, v any) bool { vals.Add(k, plainText(v)); return true })
		sep := "?"
		if strings.Contains(req.URL, "?") {
			sep = "&"
		}
		req.URL += sep + vals.Encode()
	}
	if h := jsonField(params, "Headers"); h != nil {
		req.Headers = jsonvalue.MarshalString(h)
	}
	if b := jsonField(params, "RequestBody"); b != nil {
		req.Body = plainText(b)
	}
	if res.Result == nil {
		return req, nil
	}
	rv, err := jsonvalue.Parse(res.Result)
	ro, _ := rv.(*jsonvalue.Object)
	if err != nil || ro == nil {
		return req, nil
	}
	resp := &TestStateHTTPResponse{Protocol: "https"}
	if c := jsonField(ro, "StatusCode"); c != nil {
		resp.StatusCode = plainText(c)
	}
	resp.StatusMessage, _ = jsonField(ro, "StatusText").(string)
	if h := jsonField(ro, "ResponseHeaders"); h != nil {
		resp.Headers = jsonvalue.MarshalString(h)
	}
	if b := jsonField(ro, "ResponseBody"); b != nil {
		resp.Body = plainText(b)
	}
	return req, resp
}

// plainText is a string as it is, anything else as JSON.
func plainText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonvalue.MarshalString(v)
}
