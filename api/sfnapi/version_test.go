package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

func TestVersions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("V"),
		Definition: aws.String(helloWorld), RoleArn: aws.String(roleARN), Publish: true, VersionDescription: aws.String("first")})
	require.NoError(t, err)
	arn := aws.ToString(out.StateMachineArn)
	require.Equal(t, arn+":1", aws.ToString(out.StateMachineVersionArn))

	d, err := b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: out.StateMachineVersionArn})
	require.NoError(t, err)
	require.Equal(t, arn+":1", aws.ToString(d.StateMachineArn))
	require.Equal(t, "first", aws.ToString(d.Description))
	require.Equal(t, helloWorld, aws.ToString(d.Definition))

	// Publishing a revision already published returns its version (idempotent).
	again, err := b.client.PublishStateMachineVersion(b.ctx, &awssfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, arn+":1", aws.ToString(again.StateMachineVersionArn))
	_, err = b.client.PublishStateMachineVersion(b.ctx, &awssfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn),
		RevisionId: aws.String("INITIAL")})
	require.NoError(t, err)

	up, err := b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(passOnly)})
	require.NoError(t, err)
	_, err = b.client.PublishStateMachineVersion(b.ctx, &awssfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn),
		RevisionId: aws.String("INITIAL")})
	requireAWSError(t, err, "ConflictException", "Failed to publish the State Machine version for revision INITIAL. "+
		"The current State Machine revision is "+aws.ToString(up.RevisionId)+".")
	v2, err := b.client.PublishStateMachineVersion(b.ctx, &awssfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn),
		RevisionId: up.RevisionId, Description: aws.String("second")})
	require.NoError(t, err)
	require.Equal(t, arn+":2", aws.ToString(v2.StateMachineVersionArn))

	list, err := b.client.ListStateMachineVersions(b.ctx, &awssfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	require.Len(t, list.StateMachineVersions, 2)
	require.Equal(t, arn+":2", aws.ToString(list.StateMachineVersions[0].StateMachineVersionArn), "newest first")
	require.Equal(t, arn+":1", aws.ToString(list.StateMachineVersions[1].StateMachineVersionArn))
	page, err := b.client.ListStateMachineVersions(b.ctx, &awssfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(arn), MaxResults: 1})
	require.NoError(t, err)
	require.Len(t, page.StateMachineVersions, 1)
	page, err = b.client.ListStateMachineVersions(b.ctx, &awssfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(arn), MaxResults: 1, NextToken: page.NextToken})
	require.NoError(t, err)
	require.Equal(t, arn+":1", aws.ToString(page.StateMachineVersions[0].StateMachineVersionArn))

	_, err = b.client.CreateStateMachineAlias(b.ctx, &awssfn.CreateStateMachineAliasInput{Name: aws.String("prod"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(arn + ":1"), Weight: 100}}})
	require.NoError(t, err)
	_, err = b.client.DeleteStateMachineVersion(b.ctx, &awssfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(arn + ":1")})
	requireAWSError(t, err, "ConflictException",
		"Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [prod]")
	_, err = b.client.DeleteStateMachineVersion(b.ctx, &awssfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(arn + ":2")})
	require.NoError(t, err)
	_, err = b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn + ":2")})
	requireAWSError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+arn+":2'")

	// Numbers are never reused: the next publish after deleting 2 is 3.
	_, err = b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(helloWorld)})
	require.NoError(t, err)
	v3, err := b.client.PublishStateMachineVersion(b.ctx, &awssfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	require.Equal(t, arn+":3", aws.ToString(v3.StateMachineVersionArn))

	_, err = b.client.PublishStateMachineVersion(b.ctx, &awssfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(smBase + "Nope")})
	requireAWSError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+smBase+"Nope'")
	none, err := b.client.ListStateMachineVersions(b.ctx, &awssfn.ListStateMachineVersionsInput{StateMachineArn: aws.String(smBase + "Nope")})
	require.NoError(t, err)
	require.Empty(t, none.StateMachineVersions)
	_, err = b.client.ListStateMachineVersions(b.ctx, &awssfn.ListStateMachineVersionsInput{StateMachineArn: aws.String("nope")})
	requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: nope'")
}
