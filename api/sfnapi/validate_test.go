package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

func TestValidateStateMachineDefinition(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ok, err := b.client.ValidateStateMachineDefinition(b.ctx, &awssfn.ValidateStateMachineDefinitionInput{Definition: aws.String(helloWorld)})
	require.NoError(t, err)
	require.Equal(t, types.ValidateStateMachineDefinitionResultCodeOk, ok.Result)
	require.Empty(t, ok.Diagnostics)
	require.False(t, aws.ToBool(ok.Truncated))

	fail, err := b.client.ValidateStateMachineDefinition(b.ctx, &awssfn.ValidateStateMachineDefinitionInput{
		Definition: aws.String(`{"Comment": "x"}`)})
	require.NoError(t, err, "an invalid definition is a 200 with FAIL")
	require.Equal(t, types.ValidateStateMachineDefinitionResultCodeFail, fail.Result)
	require.Equal(t, "SCHEMA_VALIDATION_FAILED", aws.ToString(fail.Diagnostics[0].Code))
	require.Equal(t, "These fields are required: [States, StartAt]", aws.ToString(fail.Diagnostics[0].Message))
	require.Equal(t, "/", aws.ToString(fail.Diagnostics[0].Location))

	// Two unreachable-target errors, cut to one.
	twoErrors := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Pass","Next":"Y"}}}`
	all, err := b.client.ValidateStateMachineDefinition(b.ctx, &awssfn.ValidateStateMachineDefinitionInput{Definition: aws.String(twoErrors)})
	require.NoError(t, err)
	require.Greater(t, len(all.Diagnostics), 1)
	one, err := b.client.ValidateStateMachineDefinition(b.ctx, &awssfn.ValidateStateMachineDefinitionInput{Definition: aws.String(twoErrors), MaxResults: 1})
	require.NoError(t, err)
	require.Len(t, one.Diagnostics, 1)
	require.True(t, aws.ToBool(one.Truncated))

	express, err := b.client.ValidateStateMachineDefinition(b.ctx, &awssfn.ValidateStateMachineDefinitionInput{
		Type:       types.StateMachineTypeExpress,
		Definition: aws.String(`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","End":true}}}`)})
	require.NoError(t, err)
	require.Equal(t, types.ValidateStateMachineDefinitionResultCodeFail, express.Result)
}
