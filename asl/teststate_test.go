package asl

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

// MustTestState parses def and tests its state name with input.
func MustTestState(tb testing.TB, def, name, input string, o TestOptions) TestResult {
	tb.Helper()
	m, err := Parse(def)
	require.NoError(tb, err)
	v, err := jsonvalue.ParseString(input)
	require.NoError(tb, err)
	o.StateName, o.Input, o.InputText = name, v, input
	if o.Now.IsZero() {
		o.Now = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	}
	res, err := m.TestState(o)
	require.NoError(tb, err)
	return res
}

func mockAnswer(result string) func(ScheduleTask) TestOutcome {
	return func(ScheduleTask) TestOutcome {
		v, _ := jsonvalue.ParseString(result)
		return TestOutcome{Result: v}
	}
}

func failWith(errName, cause string) func(ScheduleTask) TestOutcome {
	return func(ScheduleTask) TestOutcome { return TestOutcome{Failed: true, Error: errName, Cause: cause} }
}

func TestTestStatePassStages(t *testing.T) {
	t.Parallel()
	// The DEBUG example of the TestState guide.
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.payload","Parameters":{"data":1},"ResultPath":"$.result","OutputPath":"$.result.data","Next":"N"},"N":{"Type":"Succeed"}}}`
	res := MustTestState(t, def, "P", `{"payload": {"foo": "bar"}}`, TestOptions{})
	require.Equal(t, "SUCCEEDED", res.Status)
	require.Equal(t, "N", res.NextState)
	require.Equal(t, "1", string(res.Output))
	require.Equal(t, `{"payload": {"foo": "bar"}}`, string(res.Input))
	require.Equal(t, `{"foo":"bar"}`, string(res.AfterInputPath))
	require.Equal(t, `{"data":1}`, string(res.AfterParameters))
	require.Equal(t, `{"data":1}`, string(res.AfterResultSelector))
	require.Equal(t, `{"payload":{"foo":"bar"},"result":{"data":1}}`, string(res.AfterResultPath))
}

func TestTestStateTask(t *testing.T) {
	t.Parallel()
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"Parameters":{"FunctionName":"f","Payload.$":"$.p"},"ResultSelector":{"r.$":"$.Payload"},"ResultPath":"$.out",
		"Retry":[{"ErrorEquals":["Other"]},{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2.0}],
		"Catch":[{"ErrorEquals":["Nope"],"Next":"A"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"B"}],
		"Next":"A"},"A":{"Type":"Succeed"},"B":{"Type":"Succeed"}}}`
	t.Run("Succeeds", func(t *testing.T) {
		t.Parallel()
		var got ScheduleTask
		res := MustTestState(t, def, "T", `{"p":7}`, TestOptions{Run: func(st ScheduleTask) TestOutcome {
			got = st
			return mockAnswer(`{"Payload":{"ok":true}}`)(st)
		}})
		require.Equal(t, "SUCCEEDED", res.Status)
		require.Equal(t, "A", res.NextState)
		require.Equal(t, `{"FunctionName":"f","Payload":7}`, string(res.AfterParameters))
		require.Equal(t, `{"Payload":{"ok":true}}`, string(res.Result))
		require.Equal(t, `{"r":{"ok":true}}`, string(res.AfterResultSelector))
		require.Equal(t, `{"p":7,"out":{"r":{"ok":true}}}`, string(res.Output))
		require.Equal(t, "invoke", got.Action)
		require.Equal(t, "T", got.StateName)
	})
	t.Run("RetriableWithBackoff", func(t *testing.T) {
		t.Parallel()
		res := MustTestState(t, def, "T", `{"p":7}`, TestOptions{RetryCount: 1, Run: failWith("Lambda.ServiceException", "x")})
		require.Equal(t, "RETRIABLE", res.Status)
		require.Equal(t, 1, res.RetryIndex)
		require.InDelta(t, 4.0, res.RetryBackoffSeconds, 1e-9)
		require.Empty(t, res.NextState)
		require.Nil(t, res.Output)
	})
	t.Run("RetriesExhaustedThenCaught", func(t *testing.T) {
		t.Parallel()
		res := MustTestState(t, def, "T", `{"p":7}`, TestOptions{RetryCount: 3, Run: failWith("Lambda.ServiceException", "x")})
		require.Equal(t, "CAUGHT_ERROR", res.Status)
		require.Equal(t, "B", res.NextState)
		require.Equal(t, 1, res.CatchIndex)
		require.Equal(t, -1, res.RetryIndex)
		require.Equal(t, `{"p":7,"error":{"Error":"Lambda.ServiceException","Cause":"x"}}`, string(res.Output))
	})
}

func TestTestStateFailsWithoutHandler(t *testing.T) {
	t.Parallel()
	res := MustTestState(t, `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`,
		"T", `{}`, TestOptions{Run: failWith("Boom", "bad")})
	require.Equal(t, "FAILED", res.Status)
	require.Equal(t, "Boom", res.Error)
	require.Equal(t, "bad", res.Cause)
}

func TestTestStateVariablesAndContext(t *testing.T) {
	t.Parallel()
	def := `{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
		"Output":{"sum":"{% $a + $states.input.b %}","exec":"{% $states.context.Execution.Id %}"},"Assign":{"c":"{% $a * 2 %}"},"End":true}}}`
	vars := jsonvalue.ObjectOf("a", int64(3))
	res := MustTestState(t, def, "P", `{"b":4}`, TestOptions{Variables: vars,
		Context: jsonvalue.ObjectOf("Execution", jsonvalue.ObjectOf("Id", "my-id"))})
	require.Equal(t, "SUCCEEDED", res.Status)
	require.JSONEq(t, `{"sum":7,"exec":"my-id"}`, string(res.Output))
	require.JSONEq(t, `{"a":3,"c":6}`, string(res.Variables))
}

func TestTestStateMap(t *testing.T) {
	t.Parallel()
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
		"ItemBatcher":{"MaxItemsPerBatch":2},"ToleratedFailureCount":1,"MaxConcurrency":3,
		"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},
		"Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"Next":"H"}],"End":true},"H":{"Type":"Succeed"}}}`
	res := MustTestState(t, def, "M", `{"items":[1,2,3]}`, TestOptions{Run: mockAnswer(`[1,2]`)})
	require.Equal(t, "SUCCEEDED", res.Status)
	require.Equal(t, `[1,2,3]`, string(res.AfterItemsPath))
	require.Equal(t, `[{"v":1,"i":0},{"v":2,"i":1},{"v":3,"i":2}]`, string(res.AfterItemSelector))
	require.Equal(t, `[{"Items":[{"v":1,"i":0},{"v":2,"i":1}]},{"Items":[{"v":3,"i":2}]}]`, string(res.AfterItemBatcher))
	require.Equal(t, int64(1), *res.ToleratedFailureCount)
	require.Equal(t, int64(3), *res.MaxConcurrency)
	require.Equal(t, `[1,2]`, string(res.Output))

	res = MustTestState(t, def, "M", `{"items":[1,2,3]}`, TestOptions{MapIterationFailureCount: 2, Run: mockAnswer(`[1,2]`)})
	require.Equal(t, "CAUGHT_ERROR", res.Status)
	require.Equal(t, "States.ExceedToleratedFailureThreshold", res.Error)
	require.Equal(t, "H", res.NextState)
}

func TestTestStateInsideMapSeesItemContext(t *testing.T) {
	t.Parallel()
	def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","Parameters":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},"End":true}}},"End":true}}}`
	res := MustTestState(t, def, "W", `"x"`, TestOptions{})
	require.Equal(t, `{"i":0,"v":"x"}`, string(res.Output))
}

func TestTestStateChoiceWaitFail(t *testing.T) {
	t.Parallel()
	choice := `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":2,"Next":"Two"}]},"Two":{"Type":"Succeed"}}}`
	res := MustTestState(t, choice, "C", `{"number": 2, "n": 2}`, TestOptions{})
	require.Equal(t, "Two", res.NextState)
	require.Equal(t, `{"number": 2, "n": 2}`, string(res.Output), "an unchanged input keeps its text")
	res = MustTestState(t, choice, "C", `{"n":3}`, TestOptions{})
	require.Equal(t, "FAILED", res.Status)
	require.Equal(t, "States.NoChoiceMatched", res.Error)

	wait := `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"Next":"X"},"X":{"Type":"Succeed"}}}`
	res = MustTestState(t, wait, "W", `{}`, TestOptions{})
	require.Equal(t, "SUCCEEDED", res.Status)
	require.Equal(t, "X", res.NextState)

	res = MustTestState(t, `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}`, "F", `{}`, TestOptions{})
	require.Equal(t, "FAILED", res.Status)
	require.Equal(t, "E", res.Error)
	require.Equal(t, "C", res.Cause)
}

func TestTestStateUnknownState(t *testing.T) {
	t.Parallel()
	m, err := Parse(`{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}`)
	require.NoError(t, err)
	_, err = m.TestState(TestOptions{StateName: "B"})
	require.ErrorIs(t, err, ErrTestStateNotFound)
}

func TestTestStateEchoesMockText(t *testing.T) {
	t.Parallel()
	def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`
	res := MustTestState(t, def, "T", `{}`, TestOptions{Run: func(ScheduleTask) TestOutcome {
		v, _ := jsonvalue.ParseString(`[1, 4, 9]`)
		return TestOutcome{Result: v, ResultText: []byte(`[1, 4, 9]`)}
	}})
	require.Equal(t, `[1, 4, 9]`, string(res.Output), "an unchanged mocked result keeps its text")
	require.Equal(t, `[1, 4, 9]`, string(res.Result))
}

// BenchmarkTestState measures one TestState of a Task with every processing field.
func BenchmarkTestState(b *testing.B) {
	m, err := Parse(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
		"InputPath":"$.in","Parameters":{"FunctionName":"f","Payload.$":"$"},"ResultSelector":{"p.$":"$.Payload"},
		"ResultPath":"$.res","Retry":[{"ErrorEquals":["X"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"T"}],"End":true}}}`)
	require.NoError(b, err)
	in, _ := jsonvalue.ParseString(`{"in":{"k":1}}`)
	out, _ := jsonvalue.ParseString(`{"Payload":{"ok":1}}`)
	o := TestOptions{StateName: "T", Input: in, Now: time.Unix(0, 0), Run: func(ScheduleTask) TestOutcome { return TestOutcome{Result: out} }}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.TestState(o); err != nil {
			b.Fatal(err)
		}
	}
}

func TestTestStatePassWithResultStages(t *testing.T) {
	t.Parallel()
	// As AWS records it: input, result, afterResultSelector, afterResultPath only.
	res := MustTestState(t, `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"resultKey":"result value"},"ResultPath":"$.r","End":true}}}`,
		"P", `{"Value":"HelloWorld"}`, TestOptions{})
	require.Equal(t, `{"resultKey":"result value"}`, string(res.Result))
	require.Equal(t, `{"resultKey":"result value"}`, string(res.AfterResultSelector))
	require.Equal(t, `{"Value":"HelloWorld","r":{"resultKey":"result value"}}`, string(res.AfterResultPath))
	require.Nil(t, res.AfterInputPath)
	require.Nil(t, res.AfterParameters)

	res = MustTestState(t, `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"SomeFailure"}}}`, "F", `{"Value":"HelloWorld"}`, TestOptions{})
	require.Equal(t, `{"Value":"HelloWorld"}`, string(res.AfterInputPath))
}
