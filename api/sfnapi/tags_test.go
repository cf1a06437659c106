package sfnapi_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

func tag(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }

func TestTags(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("T"),
		Definition: aws.String(passOnly), RoleArn: aws.String(roleARN), Tags: []types.Tag{tag("team", "a")}})
	require.NoError(t, err)
	arn := out.StateMachineArn

	_, err = b.client.TagResource(b.ctx, &awssfn.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{tag("env", "dev"), tag("team", "b")}})
	require.NoError(t, err)
	list, err := b.client.ListTagsForResource(b.ctx, &awssfn.ListTagsForResourceInput{ResourceArn: arn})
	require.NoError(t, err)
	require.Equal(t, []types.Tag{tag("team", "b"), tag("env", "dev")}, list.Tags)

	_, err = b.client.UntagResource(b.ctx, &awssfn.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team", "absent"}})
	require.NoError(t, err)
	list, err = b.client.ListTagsForResource(b.ctx, &awssfn.ListTagsForResourceInput{ResourceArn: arn})
	require.NoError(t, err)
	require.Equal(t, []types.Tag{tag("env", "dev")}, list.Tags)

	// A state machine's definition survives tagging.
	d, err := b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: arn})
	require.NoError(t, err)
	require.Equal(t, passOnly, aws.ToString(d.Definition))

	act, err := b.client.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String("act"), Tags: []types.Tag{tag("a", "1")}})
	require.NoError(t, err)
	list, err = b.client.ListTagsForResource(b.ctx, &awssfn.ListTagsForResourceInput{ResourceArn: act.ActivityArn})
	require.NoError(t, err)
	require.Equal(t, []types.Tag{tag("a", "1")}, list.Tags)

	missing := smBase + "Missing"
	_, err = b.client.TagResource(b.ctx, &awssfn.TagResourceInput{ResourceArn: aws.String(missing), Tags: []types.Tag{tag("k", "v")}})
	requireAWSError(t, err, "ResourceNotFound", "Resource not found: '"+missing+"'")
	_, err = b.client.ListTagsForResource(b.ctx, &awssfn.ListTagsForResourceInput{ResourceArn: aws.String(missing)})
	requireAWSError(t, err, "ResourceNotFound", "Resource not found: '"+missing+"'")
	_, err = b.client.ListTagsForResource(b.ctx, &awssfn.ListTagsForResourceInput{ResourceArn: aws.String("bad")})
	requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: bad'")

	_, err = b.client.UntagResource(b.ctx, &awssfn.UntagResourceInput{ResourceArn: aws.String(missing), TagKeys: []string{"k"}})
	requireAWSError(t, err, "ResourceNotFound", "Resource not found: '"+missing+"'")
	_, err = b.client.TagResource(b.ctx, &awssfn.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{tag("aws:owner", "x")}})
	requireAWSError(t, err, "ValidationException", "Tag keys prefixed with 'aws:' are reserved for AWS use: 'aws:owner'")

	many := make([]types.Tag, 50)
	for i := range many {
		many[i] = tag(fmt.Sprintf("k%d", i), "v")
	}
	_, err = b.client.TagResource(b.ctx, &awssfn.TagResourceInput{ResourceArn: arn, Tags: many})
	requireAWSError(t, err, "TooManyTags", "")
}
