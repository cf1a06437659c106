package sfnapi_test

import (
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

const lambdaTask = `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",`

func mockResult(s string) *types.MockInput { return &types.MockInput{Result: aws.String(s)} }

func mockError(e, c string) *types.MockInput {
	return &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String(e), Cause: aws.String(c)}}
}

func TestTestState(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	run := func(t *testing.T, in *awssfn.TestStateInput) *awssfn.TestStateOutput {
		t.Helper()
		out, err := b.client.TestState(b.ctx, in)
		require.NoError(t, err)
		return out
	}
	t.Run("PassWithNext", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Pass","Parameters":{"x.$":"$.a"},"Next":"Later"}`),
			Input:      aws.String(`{"a":5}`),
		})
		require.Equal(t, types.TestExecutionStatusSucceeded, out.Status)
		require.Equal(t, "Later", aws.ToString(out.NextState))
		require.Equal(t, `{"x":5}`, aws.ToString(out.Output))
		require.Nil(t, out.InspectionData, "INFO shows no inspection data")
	})
	t.Run("PassDebugStages", func(t *testing.T) {
		t.Parallel()
		// The DEBUG example of AWS's TestState guide.
		out := run(t, &awssfn.TestStateInput{
			Definition:      aws.String(`{"Type": "Pass", "InputPath": "$.payload", "Parameters": {"data": 1}, "ResultPath": "$.result", "OutputPath": "$.result.data", "Next": "Another State"}`),
			Input:           aws.String(`{"payload": {"foo": "bar"}}`),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, "1", aws.ToString(out.Output))
		require.Equal(t, "Another State", aws.ToString(out.NextState))
		d := out.InspectionData
		require.Equal(t, `{"payload": {"foo": "bar"}}`, aws.ToString(d.Input))
		require.Equal(t, `{"foo":"bar"}`, aws.ToString(d.AfterInputPath))
		require.Equal(t, `{"data":1}`, aws.ToString(d.AfterParameters))
		require.Equal(t, `{"data":1}`, aws.ToString(d.AfterResultSelector))
		require.Equal(t, `{"payload":{"foo":"bar"},"result":{"data":1}}`, aws.ToString(d.AfterResultPath))
	})
	t.Run("DefaultContextIsAnExpressExecution", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Pass","Parameters":{"c.$":"$$"},"End":true}`),
			RoleArn:    aws.String(roleARN),
			Input:      aws.String(`{"v":1}`),
		})
		var got struct {
			C struct {
				Execution    map[string]any
				StateMachine map[string]any
				State        map[string]any
			}
		}
		require.NoError(t, json.Unmarshal([]byte(aws.ToString(out.Output)), &got))
		require.Regexp(t, `^arn:aws:states:us-east-1:000000000000:express:TestState:[0-9a-f-]{36}$`, got.C.Execution["Id"])
		require.Equal(t, map[string]any{"v": float64(1)}, got.C.Execution["Input"])
		require.Equal(t, roleARN, got.C.Execution["RoleArn"])
		require.NotContains(t, got.C.Execution, "RedriveCount")
		require.Equal(t, "TestState", got.C.State["Name"])
		require.Equal(t, "arn:aws:states:us-east-1:000000000000:stateMachine:TestState", got.C.StateMachine["Id"])
	})
	t.Run("ChoiceInWholeMachine", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Big"}],"Default":"Small"},
				"Big":{"Type":"Succeed"},"Small":{"Type":"Succeed"}}}`),
			StateName: aws.String("C"),
			Input:     aws.String(`{"n": 3}`),
		})
		require.Equal(t, "Big", aws.ToString(out.NextState))
		require.Equal(t, `{"n": 3}`, aws.ToString(out.Output), "an unchanged input is echoed as sent")
	})
	t.Run("StateInsideMapOfWholeMachine", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"W","States":{
				"W":{"Type":"Pass","Parameters":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},"End":true}}},"End":true}}}`),
			StateName: aws.String("W"),
			Input:     aws.String(`"item"`),
		})
		require.Equal(t, `{"i":0,"v":"item"}`, aws.ToString(out.Output))
	})
	t.Run("WaitDoesNotWait", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{Definition: aws.String(`{"Type":"Wait","Seconds":31536000,"Next":"After"}`)})
		require.Equal(t, types.TestExecutionStatusSucceeded, out.Status)
		require.Equal(t, "After", aws.ToString(out.NextState))
		require.Equal(t, `{}`, aws.ToString(out.Output))
	})
	t.Run("MockedTaskDebug", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(lambdaTask + `"InputPath":"$.in","Parameters":{"FunctionName":"f","Payload.$":"$"},
				"ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.res","End":true}`),
			Input:           aws.String(`{"in":{"k":1}}`),
			Mock:            mockResult(`{"Payload":{"ok":1},"StatusCode":200}`),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, types.TestExecutionStatusSucceeded, out.Status)
		require.Equal(t, `{"in":{"k":1},"res":{"p":{"ok":1}}}`, aws.ToString(out.Output))
		require.Empty(t, aws.ToString(out.NextState))
		d := out.InspectionData
		require.Equal(t, `{"k":1}`, aws.ToString(d.AfterInputPath))
		require.Equal(t, `{"FunctionName":"f","Payload":{"k":1}}`, aws.ToString(d.AfterParameters))
		require.Equal(t, `{"Payload":{"ok":1},"StatusCode":200}`, aws.ToString(d.Result))
		require.Equal(t, `{"p":{"ok":1}}`, aws.ToString(d.AfterResultSelector))
		require.Equal(t, `{"in":{"k":1},"res":{"p":{"ok":1}}}`, aws.ToString(d.AfterResultPath))
		require.Nil(t, d.ErrorDetails)
	})
	t.Run("JSONataArgumentsAndVariables", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"QueryLanguage":"JSONata","Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Arguments":{"FunctionName":"f","Payload":{"n":"{% $states.input.n + $base %}"}},
				"Assign":{"seen":"{% $states.result.Payload %}"},"Output":"{% $states.result.Payload * 2 %}","Next":"N"}`),
			Input:           aws.String(`{"n":1}`),
			Variables:       aws.String(`{"base":10}`),
			Mock:            mockResult(`{"Payload":11}`),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, "22", aws.ToString(out.Output))
		require.Equal(t, "N", aws.ToString(out.NextState))
		require.Equal(t, `{"FunctionName":"f","Payload":{"n":11}}`, aws.ToString(out.InspectionData.AfterArguments))
		require.JSONEq(t, `{"base":10,"seen":11}`, aws.ToString(out.InspectionData.Variables))
	})
	t.Run("JSONPathVariablesAndAssign", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition:      aws.String(`{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($a, $.b)"},"Assign":{"last.$":"$.sum","a":0},"Next":"N"}`),
			Input:           aws.String(`{"b":2}`),
			Variables:       aws.String(`{"a":40}`),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, `{"sum":42}`, aws.ToString(out.Output))
		require.JSONEq(t, `{"a":0,"last":42}`, aws.ToString(out.InspectionData.Variables))
	})
	t.Run("ContextReplacesContextObject", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition:      aws.String(lambdaTask + `"Parameters":{"id.$":"$$.Execution.Id","state.$":"$$.State.Name"},"ResultPath":"$.ctx","End":true}`),
			Context:         aws.String(`{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:M:e1"},"State":{"Name":"ProcessData","EnteredTime":"2024-01-01T10:00:05.000Z"}}`),
			Mock:            mockResult(`{}`),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, `{"id":"arn:aws:states:us-east-1:123456789012:execution:M:e1","state":"ProcessData"}`,
			aws.ToString(out.InspectionData.AfterParameters))
		out = run(t, &awssfn.TestStateInput{
			Definition:      aws.String(lambdaTask + `"Parameters":{"c.$":"$$"},"End":true}`),
			Context:         aws.String(`{}`),
			Mock:            mockResult(`{}`),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, `{"c":{}}`, aws.ToString(out.InspectionData.AfterParameters))
	})
	t.Run("CaughtError", func(t *testing.T) {
		t.Parallel()
		// The catch example of AWS's TestState guide.
		out := run(t, &awssfn.TestStateInput{
			Definition:      aws.String(lambdaTask + `"Catch":[{"ErrorEquals":["Other"],"Next":"X"},{"ErrorEquals":["Lambda.TooManyRequestsException"],"ResultPath":"$.error","Next":"HandleThrottling"}],"Next":"Success"}`),
			Input:           aws.String(`{"data": "value"}`),
			Mock:            mockError("Lambda.TooManyRequestsException", "Rate exceeded"),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, types.TestExecutionStatusCaughtError, out.Status)
		require.Equal(t, "HandleThrottling", aws.ToString(out.NextState))
		require.Equal(t, "Lambda.TooManyRequestsException", aws.ToString(out.Error))
		require.Equal(t, "Rate exceeded", aws.ToString(out.Cause))
		require.Equal(t, `{"data":"value","error":{"Error":"Lambda.TooManyRequestsException","Cause":"Rate exceeded"}}`, aws.ToString(out.Output))
		require.Equal(t, int32(1), aws.ToInt32(out.InspectionData.ErrorDetails.CatchIndex))
		require.Nil(t, out.InspectionData.ErrorDetails.RetryIndex)
	})
	t.Run("RetriableWithBackoff", func(t *testing.T) {
		t.Parallel()
		// The retry example of AWS's TestState guide: 2 × 2.0^1 = 4 seconds.
		def := lambdaTask + `"Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2.0}],
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"Failed"}],"End":true}`
		out := run(t, &awssfn.TestStateInput{
			Definition:         aws.String(def),
			StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(1)},
			Mock:               mockError("Lambda.ServiceException", "Service error"),
			InspectionLevel:    types.InspectionLevelDebug,
		})
		require.Equal(t, types.TestExecutionStatusRetriable, out.Status)
		require.Equal(t, "Lambda.ServiceException", aws.ToString(out.Error))
		require.Equal(t, "Service error", aws.ToString(out.Cause))
		require.Nil(t, out.Output)
		require.Equal(t, int32(0), aws.ToInt32(out.InspectionData.ErrorDetails.RetryIndex))
		require.Equal(t, int32(4), aws.ToInt32(out.InspectionData.ErrorDetails.RetryBackoffIntervalSeconds))

		out = run(t, &awssfn.TestStateInput{
			Definition:         aws.String(def),
			StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(3)},
			Mock:               mockError("Lambda.ServiceException", "Service error"),
		})
		require.Equal(t, types.TestExecutionStatusCaughtError, out.Status, "exhausted retries fall through to Catch")
		require.Equal(t, "Failed", aws.ToString(out.NextState))
	})
	t.Run("Fails", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{Definition: aws.String(`{"Type":"Fail","Error":"E","Cause":"C"}`)})
		require.Equal(t, types.TestExecutionStatusFailed, out.Status)
		require.Equal(t, "E", aws.ToString(out.Error))
		require.Equal(t, "C", aws.ToString(out.Cause))
		require.Nil(t, out.Output)
	})
	t.Run("TaskWithoutMockHasNoBackend", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{Definition: aws.String(lambdaTask + `"End":true}`), RoleArn: aws.String(roleARN)})
		require.Equal(t, types.TestExecutionStatusFailed, out.Status)
		require.Equal(t, "Stepline.IntegrationUnavailable", aws.ToString(out.Error))
	})
	t.Run("MapDebug", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"value.$":"$$.Map.Item.Value","index.$":"$$.Map.Item.Index"},
				"ItemBatcher":{"MaxItemsPerBatch":2},"ToleratedFailurePercentage":50,"MaxConcurrency":4,
				"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"ProcessItem","States":{"ProcessItem":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},"End":true}`),
			Input:           aws.String(`{"items": [1, 2, 3]}`),
			Mock:            mockResult(`[10, 20]`),
			InspectionLevel: types.InspectionLevelDebug,
		})
		require.Equal(t, types.TestExecutionStatusSucceeded, out.Status)
		require.Equal(t, `[10, 20]`, aws.ToString(out.Output))
		d := out.InspectionData
		require.Equal(t, `[1,2,3]`, aws.ToString(d.AfterItemsPath))
		require.Equal(t, `[{"value":1,"index":0},{"value":2,"index":1},{"value":3,"index":2}]`, aws.ToString(d.AfterItemSelector))
		require.Equal(t, `[{"Items":[{"value":1,"index":0},{"value":2,"index":1}]},{"Items":[{"value":3,"index":2}]}]`, aws.ToString(d.AfterItemBatcher))
		require.Equal(t, int32(4), aws.ToInt32(d.MaxConcurrency))
		require.InDelta(t, 50.0, aws.ToFloat32(d.ToleratedFailurePercentage), 1e-6)
		require.Nil(t, d.ToleratedFailureCount)
	})
	t.Run("MapToleratedFailureThreshold", func(t *testing.T) {
		t.Parallel()
		def := `{"Type":"Map","ToleratedFailureCount":1,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
			"Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"Next":"HandleThreshold"}],"End":true}`
		out := run(t, &awssfn.TestStateInput{Definition: aws.String(def), Input: aws.String(`[1,2,3]`), Mock: mockResult(`[1,1,1]`),
			StateConfiguration: &types.TestStateConfiguration{MapIterationFailureCount: aws.Int32(1)}})
		require.Equal(t, types.TestExecutionStatusSucceeded, out.Status)
		out = run(t, &awssfn.TestStateInput{Definition: aws.String(def), Input: aws.String(`[1,2,3]`), Mock: mockResult(`[1,1,1]`),
			StateConfiguration: &types.TestStateConfiguration{MapIterationFailureCount: aws.Int32(2)}})
		require.Equal(t, types.TestExecutionStatusCaughtError, out.Status)
		require.Equal(t, "States.ExceedToleratedFailureThreshold", aws.ToString(out.Error))
		require.Equal(t, "The specified tolerated failure threshold was exceeded", aws.ToString(out.Cause))
		require.Equal(t, "HandleThreshold", aws.ToString(out.NextState))
	})
	t.Run("MapItemReaderData", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"b","Key":"k"}},
				"ItemSelector":{"sq.$":"$$.Map.Item.Value"},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`),
			Input:              aws.String(`{"Bucket":"b","Key":"k"}`),
			Mock:               mockResult(`[1, 4, 9]`),
			StateConfiguration: &types.TestStateConfiguration{MapItemReaderData: aws.String(`[1,2,3]`)},
			InspectionLevel:    types.InspectionLevelDebug,
		})
		require.Equal(t, `[1, 4, 9]`, aws.ToString(out.Output), "an unchanged mocked result keeps its text, as AWS records it")
		require.Equal(t, `[{"sq":1},{"sq":2},{"sq":3}]`, aws.ToString(out.InspectionData.AfterItemSelector))
	})
	t.Run("ParallelErrorCausedByState", func(t *testing.T) {
		t.Parallel()
		def := `{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}],
			"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Recover"}],"End":true}`
		out := run(t, &awssfn.TestStateInput{Definition: aws.String(def), Mock: mockError("States.TaskFailed", "Task execution failed"),
			StateConfiguration: &types.TestStateConfiguration{ErrorCausedByState: aws.String("B")}})
		require.Equal(t, types.TestExecutionStatusCaughtError, out.Status)
		require.Equal(t, "Recover", aws.ToString(out.NextState))
		out = run(t, &awssfn.TestStateInput{Definition: aws.String(def), Mock: mockResult(`[1,2]`), InspectionLevel: types.InspectionLevelDebug})
		require.Equal(t, `[1,2]`, aws.ToString(out.Output))
		require.Equal(t, `[1,2]`, aws.ToString(out.InspectionData.Result))
	})
	t.Run("TraceShowsHTTPRequestAndResponse", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"Method":"GET","ApiEndpoint":"https://example.com/get",
				"Headers":{"definitionHeader":"h1"},"RequestBody":{"message":"hi"},"QueryParameters":{"queryParam":"q1"}},"End":true}`),
			Mock:            mockResult(`{"StatusCode":200,"StatusText":"OK","ResponseHeaders":{"a":["b"]},"ResponseBody":{"ok":true}}`),
			InspectionLevel: types.InspectionLevelTrace,
		})
		d := out.InspectionData
		require.Equal(t, "GET", aws.ToString(d.Request.Method))
		require.Equal(t, "https://example.com/get?queryParam=q1", aws.ToString(d.Request.Url))
		require.Equal(t, `{"definitionHeader":"h1"}`, aws.ToString(d.Request.Headers))
		require.Equal(t, `{"message":"hi"}`, aws.ToString(d.Request.Body))
		require.Equal(t, "200", aws.ToString(d.Response.StatusCode))
		require.Equal(t, "OK", aws.ToString(d.Response.StatusMessage))
		require.Equal(t, `{"ok":true}`, aws.ToString(d.Response.Body))
	})
	t.Run("ActivityWithMock", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:a","End":true}`),
			Mock:       mockResult(`{"done":true}`),
		})
		require.Equal(t, `{"done":true}`, aws.ToString(out.Output))
	})
}

func TestTestStateBadRequests(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	pass := aws.String(`{"Type":"Pass","End":true}`)
	mapDef := aws.String(`{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`)
	parallel := aws.String(`{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"End":true}`)
	task := aws.String(lambdaTask + `"End":true}`)
	for _, c := range []struct {
		name    string
		in      awssfn.TestStateInput
		code    string
		message string
	}{
		{"MockOnPass", awssfn.TestStateInput{Definition: pass, Mock: mockResult(`{}`)}, "ValidationException",
			"State type 'Pass' is not supported when a mock is specified"},
		{"MapWithoutMock", awssfn.TestStateInput{Definition: mapDef}, "InvalidDefinition",
			"TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]"},
		{"BothMockFields", awssfn.TestStateInput{Definition: task, Mock: &types.MockInput{Result: aws.String(`{}`),
			ErrorOutput: &types.MockErrorOutput{Error: aws.String("E")}}}, "ValidationException",
			"A test mock should have only one of the following fields: [result, errorOutput]."},
		{"RevealSecretsWithMock", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{}`), RevealSecrets: true},
			"ValidationException", "TestState does not support RevealSecrets when a mock is specified."},
		{"MockNotJSON", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{nope`)}, "ValidationException",
			"Mocked result must be valid JSON"},
		{"MockSchema", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{"StatusCode":"200"}`)}, "ValidationException",
			"Mock result schema validation error: Field 'StatusCode' must be a number"},
		{"MapMockNotArray", awssfn.TestStateInput{Definition: mapDef, Mock: mockResult(`{}`)}, "ValidationException",
			"Mocked result must be an array."},
		{"ParallelMockWrongSize", awssfn.TestStateInput{Definition: parallel, Mock: mockResult(`[1,2]`)}, "ValidationException",
			"Mocked result must contain the same number of items as number of Parallel branches."},
		{"NoRole", awssfn.TestStateInput{Definition: task}, "ValidationException", "RoleArn must be specified when testing a Task state"},
		{"StateNotFound", awssfn.TestStateInput{Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`),
			StateName: aws.String("B")}, "ValidationException", "State not found in definition"},
		{"ContextFieldNotAllowed", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{}`), Context: aws.String(`{"Pokedex":{}}`)},
			"ValidationException", "Invalid Context object provided: Field 'Pokedex' is not allowed"},
		{"ContextMap", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{}`), Context: aws.String(`{"Map":{}}`)},
			"ValidationException", "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"},
		{"ContextExecutionId", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{}`), Context: aws.String(`{"Execution":{"Id":1}}`)},
			"ValidationException", "Invalid Context object provided: Execution.Id must be a string"},
		{"ContextTaskNotCallback", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{}`), Context: aws.String(`{"Task":{"Token":"t"}}`)},
			"ValidationException", "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern"},
		{"BadInput", awssfn.TestStateInput{Definition: pass, Input: aws.String(`not json`)}, "InvalidExecutionInput", ""},
		{"BadDefinition", awssfn.TestStateInput{Definition: aws.String(`{"Type":`)}, "InvalidDefinition", ""},
		{"NoType", awssfn.TestStateInput{Definition: aws.String(`{"End":true}`)}, "InvalidDefinition", ""},
		{"VariablesNotObject", awssfn.TestStateInput{Definition: pass, Variables: aws.String(`[1]`)}, "ValidationException", ""},
		{"BadInspectionLevel", awssfn.TestStateInput{Definition: pass, InspectionLevel: "LOUD"}, "ValidationException", ""},
		{"NegativeRetryCount", awssfn.TestStateInput{Definition: task, Mock: mockResult(`{}`),
			StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(-1)}}, "ValidationException", ""},
		{"TooManyMapFailures", awssfn.TestStateInput{Definition: mapDef, Input: aws.String(`[1]`), Mock: mockResult(`[1]`),
			StateConfiguration: &types.TestStateConfiguration{MapIterationFailureCount: aws.Int32(2)}}, "ValidationException", ""},
		{"ErrorCausedByUnknownState", awssfn.TestStateInput{Definition: parallel, Mock: mockError("E", "C"),
			StateConfiguration: &types.TestStateConfiguration{ErrorCausedByState: aws.String("Nope")}}, "ValidationException", ""},
		{"ActivityWithoutMock", awssfn.TestStateInput{Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:a","End":true}`),
			RoleArn: aws.String(roleARN)}, "ValidationException", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := c.in
			_, err := b.client.TestState(b.ctx, &in)
			requireAWSError(t, err, c.code, c.message)
		})
	}
}
