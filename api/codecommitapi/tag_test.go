package codecommitapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/stretchr/testify/require"
)

func TestRepositoryTags(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	created, err := b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{
		RepositoryName: aws.String("tagged"), Tags: map[string]string{"team": "a"},
	})
	require.NoError(t, err)
	arn := created.RepositoryMetadata.Arn

	_, err = b.client.TagResource(ctx, &codecommit.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"env": "dev", "team": "b"}})
	require.NoError(t, err)
	_, err = b.client.UntagResource(ctx, &codecommit.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env"}})
	require.NoError(t, err)
	got, err := b.client.ListTagsForResource(ctx, &codecommit.ListTagsForResourceInput{ResourceArn: arn})
	require.NoError(t, err)
	require.Equal(t, map[string]string{"team": "b"}, got.Tags)

	_, err = b.client.ListTagsForResource(ctx, &codecommit.ListTagsForResourceInput{ResourceArn: aws.String("not-an-arn")})
	requireCode(t, err, "InvalidResourceArnException", "not valid")
	_, err = b.client.ListTagsForResource(ctx, &codecommit.ListTagsForResourceInput{
		ResourceArn: aws.String("arn:aws:codecommit:eu-west-1:000000000000:tagged")})
	requireCode(t, err, "RepositoryDoesNotExistException", "tagged does not exist")
	_, err = b.client.TagResource(ctx, &codecommit.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"aws:x": "y"}})
	requireCode(t, err, "InvalidSystemTagUsageException", "reserved")
}
