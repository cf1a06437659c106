package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

// TestSyncHostPrefix: the SDK sends StartSyncExecution to "sync-<host>"; the server
// answers whatever the Host header says (DESIGN.md §1).
func TestSyncHostPrefix(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("Fast"),
		Definition: aws.String(helloWorld), RoleArn: aws.String(roleARN), Type: types.StateMachineTypeExpress})
	require.NoError(t, err)
	res, err := b.client.StartSyncExecution(b.ctx, &awssfn.StartSyncExecutionInput{StateMachineArn: out.StateMachineArn,
		Input: aws.String(`{}`)})
	require.NoError(t, err)
	require.Equal(t, types.SyncExecutionStatusSucceeded, res.Status)
	require.Equal(t, `"World"`, aws.ToString(res.Output))
}
