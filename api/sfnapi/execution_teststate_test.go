package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

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
	})
	t.Run("ChoiceInWholeMachine", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Big"}],"Default":"Small"},
				"Big":{"Type":"Succeed"},"Small":{"Type":"Succeed"}}}`),
			StateName: aws.String("C"),
			Input:     aws.String(`{"n":3}`),
		})
		require.Equal(t, "Big", aws.ToString(out.NextState))
	})
	t.Run("MockedTask", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"p.$":"$.Payload"},"End":true}`),
			RoleArn:    aws.String(roleARN),
			Mock:       &types.MockInput{Result: aws.String(`{"Payload":{"ok":1}}`)},
		})
		require.Equal(t, types.TestExecutionStatusSucceeded, out.Status)
		require.Equal(t, `{"p":{"ok":1}}`, aws.ToString(out.Output))
		require.Equal(t, `{"Payload":{"ok":1}}`, aws.ToString(out.InspectionData.Result))
	})
	t.Run("CaughtError", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handler"}],"Next":"Done"}`),
			RoleArn:    aws.String(roleARN),
			Mock:       &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Boom"), Cause: aws.String("bad")}},
		})
		require.Equal(t, types.TestExecutionStatusCaughtError, out.Status)
		require.Equal(t, "Handler", aws.ToString(out.NextState))
		require.Equal(t, "Boom", aws.ToString(out.Error))
	})
	t.Run("Retriable", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{
			Definition: aws.String(`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":2}],"End":true}`),
			RoleArn:    aws.String(roleARN),
			Mock:       &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Boom"), Cause: aws.String("again")}},
		})
		require.Equal(t, types.TestExecutionStatusRetriable, out.Status)
		require.Equal(t, "Boom", aws.ToString(out.Error))
		require.Equal(t, "again", aws.ToString(out.Cause))
	})
	t.Run("Fails", func(t *testing.T) {
		t.Parallel()
		out := run(t, &awssfn.TestStateInput{Definition: aws.String(`{"Type":"Fail","Error":"E","Cause":"C"}`)})
		require.Equal(t, types.TestExecutionStatusFailed, out.Status)
		require.Equal(t, "E", aws.ToString(out.Error))
	})
}
