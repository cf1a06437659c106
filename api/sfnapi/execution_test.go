package sfnapi_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"stepline/sfn/samples"
)

// helloWorldEvents is the history AWS records for the console's HelloWorld started
// with {"IsHelloWorldExample": true}.
var helloWorldEvents = []string{
	"ExecutionStarted",
	"PassStateEntered", "PassStateExited",
	"ChoiceStateEntered", "ChoiceStateExited",
	"PassStateEntered", "PassStateExited",
	"WaitStateEntered", "WaitStateExited",
	"ParallelStateEntered", "ParallelStateStarted",
	"PassStateEntered", "PassStateExited",
	"PassStateEntered", "PassStateExited",
	"ParallelStateSucceeded", "ParallelStateExited",
	"PassStateEntered", "PassStateExited",
	"ExecutionSucceeded",
}

func TestHelloWorld(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	hw, ok, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	require.True(t, ok)
	sm := b.createSM(t, "HelloWorld", hw.Definition, "")

	t.Run("Succeeds", func(t *testing.T) {
		t.Parallel()
		name := "my-prefix-" + uuid.NewString()
		start := b.start(t, sm, name, `{"IsHelloWorldExample": true}`)
		require.Equal(t, "arn:aws:states:us-east-1:000000000000:execution:HelloWorld:"+name, aws.ToString(start.ExecutionArn))
		out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status)
		require.Equal(t, `[{"IsHelloWorldExample":true},{"IsHelloWorldExample":true}]`, aws.ToString(out.Output))
		require.Equal(t, `{"IsHelloWorldExample": true}`, aws.ToString(out.Input))
		require.Equal(t, types.ExecutionRedriveStatusNotRedrivable, out.RedriveStatus)
		require.Equal(t, "Execution is SUCCEEDED and cannot be redriven", aws.ToString(out.RedriveStatusReason))
		require.GreaterOrEqual(t, out.StopDate.Sub(*out.StartDate), 3*time.Second)

		events := b.history(t, aws.ToString(start.ExecutionArn))
		require.Equal(t, helloWorldEvents, eventTypeList(events))
		for i, e := range events {
			require.Equal(t, int64(i+1), e.Id)
		}
		require.JSONEq(t, `{"IsHelloWorldExample": true}`, aws.ToString(events[0].ExecutionStartedEventDetails.Input))
		require.Equal(t, "Pass", aws.ToString(events[1].StateEnteredEventDetails.Name))
		require.Equal(t, int64(0), events[1].PreviousEventId)

		rev, err := b.client.GetExecutionHistory(b.ctx, &awssfn.GetExecutionHistoryInput{
			ExecutionArn: start.ExecutionArn, ReverseOrder: true, MaxResults: 3, IncludeExecutionData: aws.Bool(false)})
		require.NoError(t, err)
		require.Equal(t, []string{"ExecutionSucceeded", "PassStateExited", "PassStateEntered"}, eventTypeList(rev.Events))
		require.Nil(t, rev.Events[0].ExecutionSucceededEventDetails.Output)
		require.NotNil(t, rev.NextToken)
		more, err := b.client.GetExecutionHistory(b.ctx, &awssfn.GetExecutionHistoryInput{
			ExecutionArn: start.ExecutionArn, ReverseOrder: true, MaxResults: 3, NextToken: rev.NextToken})
		require.NoError(t, err)
		require.Equal(t, int64(17), more.Events[0].Id)

		smOut, err := b.client.DescribeStateMachineForExecution(b.ctx, &awssfn.DescribeStateMachineForExecutionInput{ExecutionArn: start.ExecutionArn})
		require.NoError(t, err)
		require.Equal(t, hw.Definition, aws.ToString(smOut.Definition))
	})
	t.Run("FailsOnFalse", func(t *testing.T) {
		t.Parallel()
		start := b.start(t, sm, "", `{"IsHelloWorldExample": false}`)
		out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, "Not Hello World", aws.ToString(out.Cause))
		require.Nil(t, out.Output)
		require.Equal(t, []string{"ExecutionStarted", "PassStateEntered", "PassStateExited", "ChoiceStateEntered",
			"ChoiceStateExited", "FailStateEntered", "ExecutionFailed"}, eventTypeList(b.history(t, aws.ToString(start.ExecutionArn))))
	})
}

func TestStartExecutionIdempotency(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	sm := b.createSM(t, "Waiter", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}`, "")
	first := b.start(t, sm, "same", `{"a":1}`)
	again := b.start(t, sm, "same", `{"a":1}`)
	require.Equal(t, aws.ToString(first.ExecutionArn), aws.ToString(again.ExecutionArn))
	require.True(t, first.StartDate.Equal(*again.StartDate))

	arn := aws.ToString(first.ExecutionArn)
	_, err := b.client.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("same"), Input: aws.String(`{"a":2}`)})
	requireAWSError(t, err, "ExecutionAlreadyExists", "Execution Already Exists: '"+arn+"'")

	stop, err := b.client.StopExecution(b.ctx, &awssfn.StopExecutionInput{ExecutionArn: aws.String(arn)})
	require.NoError(t, err)
	require.NotNil(t, stop.StopDate)
	_, err = b.client.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm), Name: aws.String("same"), Input: aws.String(`{"a":1}`)})
	requireAWSError(t, err, "ExecutionAlreadyExists", "Execution Already Exists: '"+arn+"'")

	out := b.waitStatus(t, arn)
	require.Equal(t, types.ExecutionStatusAborted, out.Status)
	events := b.history(t, arn)
	last := events[len(events)-1]
	require.Equal(t, types.HistoryEventTypeExecutionAborted, last.Type)

	list, err := b.client.ListExecutions(b.ctx, &awssfn.ListExecutionsInput{StateMachineArn: aws.String(sm)})
	require.NoError(t, err)
	require.Len(t, list.Executions, 1)
	require.Equal(t, types.ExecutionStatusAborted, list.Executions[0].Status)
}

func TestStartExecutionInputErrors(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	sm := b.createSM(t, "P", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "")
	_, err := b.client.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String("not json")})
	requireAWSError(t, err, "InvalidExecutionInput", "Invalid State Machine Execution Input: 'Unrecognized token 'not': "+
		"was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')'")
	// The model's length constraint answers first, as on AWS.
	_, err = b.client.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(strings.Repeat(" ", 262145))})
	requireAWSError(t, err, "ValidationException", "")
	_, err = b.client.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String("")})
	requireAWSError(t, err, "InvalidExecutionInput", "Invalid State Machine Execution Input: 'Invalid execution input.'")
	out := b.start(t, sm, "", "2")
	desc := b.waitStatus(t, aws.ToString(out.ExecutionArn))
	require.Equal(t, "2", aws.ToString(desc.Output))

	_, err = b.client.DescribeExecution(b.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: aws.String(strings.Replace(sm, "stateMachine:P", "execution:P:nope", 1))})
	requireAWSError(t, err, "ExecutionDoesNotExist", "")
}

func TestExpress(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	sm := b.createSM(t, "Fast", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}}`, types.StateMachineTypeExpress)
	out, err := b.client.StartSyncExecution(b.ctx, &awssfn.StartSyncExecutionInput{StateMachineArn: aws.String(sm), Input: aws.String(`{}`)})
	require.NoError(t, err)
	require.Equal(t, types.SyncExecutionStatusSucceeded, out.Status)
	require.Equal(t, `{"Arg1":"argument1"}`, aws.ToString(out.Output))
	require.Equal(t, int64(64), out.BillingDetails.BilledMemoryUsedInMB)
	require.True(t, strings.HasPrefix(aws.ToString(out.ExecutionArn), "arn:aws:states:us-east-1:000000000000:express:Fast:"))

	_, err = b.client.DescribeExecution(b.ctx, &awssfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
	requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'")
	_, err = b.client.ListExecutions(b.ctx, &awssfn.ListExecutionsInput{StateMachineArn: aws.String(sm)})
	requireAWSError(t, err, "StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")

	async := b.start(t, sm, "", "")
	require.Contains(t, aws.ToString(async.ExecutionArn), ":express:Fast:")

	std := b.createSM(t, "Std", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "")
	_, err = b.client.StartSyncExecution(b.ctx, &awssfn.StartSyncExecutionInput{StateMachineArn: aws.String(std)})
	requireAWSError(t, err, "StateMachineTypeNotSupported", "")
}

func TestNestedExecutionSync(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	child := b.createSM(t, "Child", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"done":true},"End":true}}}`, "")
	failing := b.createSM(t, "Failing", `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Oops","Cause":"child failed"}}}`, "")
	parentDef := func(sm, suffix string) string {
		return fmt.Sprintf(`{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution%s",
			"Parameters":{"StateMachineArn":"%s","Input":{"x":1}},"End":true}}}`, suffix, sm)
	}
	express := b.createSM(t, "ExpressChild", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"fast":true},"End":true}}}`, types.StateMachineTypeExpress)
	for _, tc := range []struct {
		name, sm, suffix string
		status           types.ExecutionStatus
		check            func(t *testing.T, out *awssfn.DescribeExecutionOutput)
	}{
		{"Sync2", child, ".sync:2", types.ExecutionStatusSucceeded, func(t *testing.T, out *awssfn.DescribeExecutionOutput) {
			require.Contains(t, aws.ToString(out.Output), `"Output":{"done":true}`)
			require.Contains(t, aws.ToString(out.Output), `"Input":{"x":1}`)
		}},
		{"Sync", child, ".sync", types.ExecutionStatusSucceeded, func(t *testing.T, out *awssfn.DescribeExecutionOutput) {
			require.Contains(t, aws.ToString(out.Output), `"Output":"{\"done\":true}"`)
		}},
		{"Async", child, "", types.ExecutionStatusSucceeded, func(t *testing.T, out *awssfn.DescribeExecutionOutput) {
			require.Contains(t, aws.ToString(out.Output), `"ExecutionArn":"arn:aws:states:us-east-1:000000000000:execution:Child:`)
		}},
		{"ExpressSync2", express, ".sync:2", types.ExecutionStatusSucceeded, func(t *testing.T, out *awssfn.DescribeExecutionOutput) {
			require.Contains(t, aws.ToString(out.Output), `"Output":{"fast":true}`)
			require.Contains(t, aws.ToString(out.Output), `:express:ExpressChild:`)
		}},
		{"ChildFails", failing, ".sync", types.ExecutionStatusFailed, func(t *testing.T, out *awssfn.DescribeExecutionOutput) {
			require.Equal(t, "States.TaskFailed", aws.ToString(out.Error))
			require.Contains(t, aws.ToString(out.Cause), `"Status":"FAILED"`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sm := b.createSM(t, "Parent"+tc.name, parentDef(tc.sm, tc.suffix), "")
			start := b.start(t, sm, "", "")
			out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
			require.Equal(t, tc.status, out.Status, "%s %s", aws.ToString(out.Error), aws.ToString(out.Cause))
			tc.check(t, out)
		})
	}
}

func TestNestedExecutionStoppedWithParent(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	child := b.createSM(t, "SlowChild", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`, "")
	parent := b.createSM(t, "Parent", fmt.Sprintf(`{"StartAt":"Run","States":{"Run":{"Type":"Task",
		"Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"%s"},"End":true}}}`, child), "")
	start := b.start(t, parent, "", "")
	var childARN string
	require.Eventually(t, func() bool {
		list, err := b.client.ListExecutions(b.ctx, &awssfn.ListExecutionsInput{StateMachineArn: aws.String(child)})
		require.NoError(t, err)
		if len(list.Executions) == 0 {
			return false
		}
		childARN = aws.ToString(list.Executions[0].ExecutionArn)
		return true
	}, 10*time.Second, 5*time.Millisecond)
	require.Eventually(t, func() bool {
		return slices.Contains(eventTypeList(b.history(t, aws.ToString(start.ExecutionArn))), "TaskSubmitted")
	}, 10*time.Second, 5*time.Millisecond)

	_, err := b.client.StopExecution(b.ctx, &awssfn.StopExecutionInput{ExecutionArn: start.ExecutionArn})
	require.NoError(t, err)
	out := b.waitStatus(t, childARN)
	require.Equal(t, types.ExecutionStatusAborted, out.Status)
}

func TestTaskTimeoutSeconds(t *testing.T) {
	t.Parallel()
	b := setupExec(t)
	// A callback nobody answers: TimeoutSeconds ends it, and Catch sees States.Timeout.
	sm := b.createSM(t, "Timeout", `{"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
		"Parameters":{"QueueUrl":"q","MessageBody.$":"$$.Task.Token"},"TimeoutSeconds":1,
		"Catch":[{"ErrorEquals":["States.Timeout"],"ResultPath":"$.err","Next":"Late"}],"End":true},
		"Late":{"Type":"Pass","End":true}}}`, "")
	start := b.start(t, sm, "", `{"k":1}`)
	out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
	require.Equal(t, types.ExecutionStatusSucceeded, out.Status)
	require.Contains(t, aws.ToString(out.Output), `"Error":"States.Timeout"`)
	require.Contains(t, eventTypeList(b.history(t, aws.ToString(start.ExecutionArn))), "TaskTimedOut")
}
