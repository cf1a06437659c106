package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestDeleteWithRunningExecution: a state machine with an open execution stays
// DELETING (API_DeleteStateMachine: deletion is asynchronous), and its name cannot be
// reused meanwhile.
func TestDeleteWithRunningExecution(t *testing.T) {
	t.Parallel()
	b := setup(t)
	wait := `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}`
	arn := b.createSM(t, "Waiting", wait)
	_, err := b.client.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)

	_, err = b.client.DeleteStateMachine(b.ctx, &awssfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	d, err := b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, types.StateMachineStatusDeleting, d.Status)

	_, err = b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("Waiting"),
		Definition: aws.String(wait), RoleArn: aws.String(roleARN)})
	requireAWSError(t, err, "StateMachineDeleting", "State Machine is being deleted: '"+arn+"'")
	_, err = b.client.StartExecution(b.ctx, &awssfn.StartExecutionInput{StateMachineArn: aws.String(arn)})
	requireAWSError(t, err, "StateMachineDeleting", "")
	_, err = b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(passOnly)})
	requireAWSError(t, err, "StateMachineDeleting", "")
}
