package sfnapi_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// activityMachine is a state machine whose one Task is the activity act.
func activityMachine(act string, heartbeat int) string {
	hb := ""
	if heartbeat > 0 {
		hb = fmt.Sprintf(`"HeartbeatSeconds":%d,`, heartbeat)
	}
	return fmt.Sprintf(`{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s",%s"TimeoutSeconds":60,"End":true}}}`, act, hb)
}

func TestActivityTasks(t *testing.T) {
	t.Parallel()
	b := setupExec(t)

	newActivity := func(t *testing.T, name string) string {
		out, err := b.client.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String(name)})
		require.NoError(t, err)
		return aws.ToString(out.ActivityArn)
	}

	t.Run("WorkerSucceeds", func(t *testing.T) {
		t.Parallel()
		act := newActivity(t, "succeed")
		sm := b.createSM(t, "ActSucceed", activityMachine(act, 0), "")
		// The worker polls first: the long poll must wake when the task is scheduled.
		type polled struct {
			out *awssfn.GetActivityTaskOutput
			err error
		}
		got := make(chan polled, 1)
		go func() {
			out, err := b.client.GetActivityTask(b.ctx, &awssfn.GetActivityTaskInput{ActivityArn: aws.String(act), WorkerName: aws.String("w1")})
			got <- polled{out, err}
		}()
		start := b.start(t, sm, "", `{"job":7}`)
		var p polled
		select {
		case p = <-got:
		case <-time.After(20 * time.Second):
			t.Fatal("GetActivityTask did not wake")
		}
		require.NoError(t, p.err)
		require.NotNil(t, p.out.TaskToken)
		require.JSONEq(t, `{"job":7}`, aws.ToString(p.out.Input))

		_, err := b.client.SendTaskHeartbeat(b.ctx, &awssfn.SendTaskHeartbeatInput{TaskToken: p.out.TaskToken})
		require.NoError(t, err)
		_, err = b.client.SendTaskSuccess(b.ctx, &awssfn.SendTaskSuccessInput{TaskToken: p.out.TaskToken, Output: aws.String(`{"ok":true}`)})
		require.NoError(t, err)
		out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status)
		require.Equal(t, `{"ok":true}`, aws.ToString(out.Output))
		require.Equal(t, []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted",
			"ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"}, eventTypeList(b.history(t, aws.ToString(start.ExecutionArn))))

		// The token is spent.
		_, err = b.client.SendTaskSuccess(b.ctx, &awssfn.SendTaskSuccessInput{TaskToken: p.out.TaskToken, Output: aws.String(`{}`)})
		requireAWSError(t, err, "TaskTimedOut", "")
	})

	t.Run("WorkerFails", func(t *testing.T) {
		t.Parallel()
		act := newActivity(t, "fail")
		sm := b.createSM(t, "ActFail", activityMachine(act, 0), "")
		start := b.start(t, sm, "", "")
		task, err := b.client.GetActivityTask(b.ctx, &awssfn.GetActivityTaskInput{ActivityArn: aws.String(act)})
		require.NoError(t, err)
		require.NotNil(t, task.TaskToken)
		_, err = b.client.SendTaskFailure(b.ctx, &awssfn.SendTaskFailureInput{TaskToken: task.TaskToken,
			Error: aws.String("Worker.Broke"), Cause: aws.String("disk full")})
		require.NoError(t, err)
		out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, "Worker.Broke", aws.ToString(out.Error))
		require.Equal(t, "disk full", aws.ToString(out.Cause))
	})

	t.Run("Redrive", func(t *testing.T) {
		t.Parallel()
		act := newActivity(t, "redrive")
		sm := b.createSM(t, "ActRedrive", `{"StartAt":"Before","States":{"Before":{"Type":"Pass","Result":{"n":1},"Next":"Work"},
			"Work":{"Type":"Task","Resource":"`+act+`","End":true}}}`, "")
		start := b.start(t, sm, "", "")
		arn := aws.ToString(start.ExecutionArn)
		task, err := b.client.GetActivityTask(b.ctx, &awssfn.GetActivityTaskInput{ActivityArn: aws.String(act)})
		require.NoError(t, err)
		_, err = b.client.SendTaskFailure(b.ctx, &awssfn.SendTaskFailureInput{TaskToken: task.TaskToken, Error: aws.String("Flaky")})
		require.NoError(t, err)
		out := b.waitStatus(t, arn)
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, types.ExecutionRedriveStatusRedrivable, out.RedriveStatus)

		red, err := b.client.RedriveExecution(b.ctx, &awssfn.RedriveExecutionInput{ExecutionArn: aws.String(arn), ClientToken: aws.String("tok-1")})
		require.NoError(t, err)
		again, err := b.client.RedriveExecution(b.ctx, &awssfn.RedriveExecutionInput{ExecutionArn: aws.String(arn), ClientToken: aws.String("tok-1")})
		require.NoError(t, err)
		require.True(t, red.RedriveDate.Equal(*again.RedriveDate))

		task, err = b.client.GetActivityTask(b.ctx, &awssfn.GetActivityTaskInput{ActivityArn: aws.String(act)})
		require.NoError(t, err)
		require.JSONEq(t, `{"n":1}`, aws.ToString(task.Input))
		_, err = b.client.SendTaskSuccess(b.ctx, &awssfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`"fixed"`)})
		require.NoError(t, err)
		out = b.waitStatus(t, arn)
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status)
		require.Equal(t, int32(1), aws.ToInt32(out.RedriveCount))
		require.Contains(t, eventTypeList(b.history(t, arn)), "ExecutionRedriven")

		_, err = b.client.RedriveExecution(b.ctx, &awssfn.RedriveExecutionInput{ExecutionArn: aws.String(arn)})
		requireAWSError(t, err, "ExecutionNotRedrivable", "Execution is SUCCEEDED and cannot be redriven")
	})

	t.Run("HeartbeatTimeout", func(t *testing.T) {
		t.Parallel()
		act := newActivity(t, "silent")
		sm := b.createSM(t, "ActSilent", activityMachine(act, 1), "")
		start := b.start(t, sm, "", "")
		task, err := b.client.GetActivityTask(b.ctx, &awssfn.GetActivityTaskInput{ActivityArn: aws.String(act)})
		require.NoError(t, err)
		require.NotNil(t, task.TaskToken)
		out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
		require.Equal(t, types.ExecutionStatusFailed, out.Status)
		require.Equal(t, "States.Timeout", aws.ToString(out.Error))
		events := eventTypeList(b.history(t, aws.ToString(start.ExecutionArn)))
		require.Contains(t, events, "ActivityTimedOut")
		_, err = b.client.SendTaskSuccess(b.ctx, &awssfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{}`)})
		requireAWSError(t, err, "TaskTimedOut", "")
	})

	t.Run("TokenErrors", func(t *testing.T) {
		t.Parallel()
		_, err := b.client.SendTaskSuccess(b.ctx, &awssfn.SendTaskSuccessInput{TaskToken: aws.String("garbage"), Output: aws.String(`{}`)})
		requireAWSError(t, err, "InvalidToken", "Invalid Token: 'Invalid token'")
	})

	t.Run("Callback", func(t *testing.T) {
		t.Parallel()
		sm := b.createSM(t, "Callback", `{"StartAt":"Ask","States":{"Ask":{"Type":"Task",
			"Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
			"Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}`, "")
		start := b.start(t, sm, "", "")
		// The token is in the TaskScheduled parameters, which is where a callback's
		// receiver would get it.
		var token string
		require.Eventually(t, func() bool {
			for _, e := range b.history(t, aws.ToString(start.ExecutionArn)) {
				if e.Type == types.HistoryEventTypeTaskStarted {
					for _, s := range b.history(t, aws.ToString(start.ExecutionArn)) {
						if s.TaskScheduledEventDetails != nil {
							token = tokenFrom(t, aws.ToString(s.TaskScheduledEventDetails.Parameters))
						}
					}
					return true
				}
			}
			return false
		}, 10*time.Second, 5*time.Millisecond)
		_, err := b.client.SendTaskSuccess(b.ctx, &awssfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(`"answered"`)})
		require.NoError(t, err)
		out := b.waitStatus(t, aws.ToString(start.ExecutionArn))
		require.Equal(t, types.ExecutionStatusSucceeded, out.Status)
		require.Equal(t, `"answered"`, aws.ToString(out.Output))
	})
}

// tokenFrom digs the task token out of TaskScheduled parameters.
func tokenFrom(t *testing.T, params string) string {
	t.Helper()
	var p struct {
		MessageBody struct {
			Token string `json:"token"`
		} `json:"MessageBody"`
	}
	require.NoError(t, json.Unmarshal([]byte(params), &p))
	require.NotEmpty(t, p.MessageBody.Token, params)
	return p.MessageBody.Token
}
