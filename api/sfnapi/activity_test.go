package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

func TestActivities(t *testing.T) {
	t.Parallel()
	b := setup(t)
	out, err := b.client.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String("work")})
	require.NoError(t, err)
	require.Equal(t, actBase+"work", aws.ToString(out.ActivityArn))
	again, err := b.client.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String("work")})
	require.NoError(t, err, "idempotent on the name")
	require.Equal(t, aws.ToTime(out.CreationDate), aws.ToTime(again.CreationDate))

	d, err := b.client.DescribeActivity(b.ctx, &awssfn.DescribeActivityInput{ActivityArn: out.ActivityArn})
	require.NoError(t, err)
	require.Equal(t, "work", aws.ToString(d.Name))

	_, err = b.client.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String("work"),
		EncryptionConfiguration: &types.EncryptionConfiguration{Type: types.EncryptionTypeCustomerManagedKmsKey, KmsKeyId: aws.String("key")}})
	requireAWSError(t, err, "ActivityAlreadyExists", "Activity Already Exists: '"+actBase+"work'")

	_, err = b.client.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String("activity<name")})
	requireAWSError(t, err, "InvalidName", "Invalid Name: 'activity<name'")

	_, err = b.client.CreateActivity(b.ctx, &awssfn.CreateActivityInput{Name: aws.String("other")})
	require.NoError(t, err)
	list, err := b.client.ListActivities(b.ctx, &awssfn.ListActivitiesInput{MaxResults: 1})
	require.NoError(t, err)
	require.Len(t, list.Activities, 1)
	require.Equal(t, "other", aws.ToString(list.Activities[0].Name))
	list, err = b.client.ListActivities(b.ctx, &awssfn.ListActivitiesInput{NextToken: list.NextToken})
	require.NoError(t, err)
	require.Len(t, list.Activities, 1)
	require.Equal(t, "work", aws.ToString(list.Activities[0].Name))
	require.Nil(t, list.NextToken)

	_, err = b.client.DeleteActivity(b.ctx, &awssfn.DeleteActivityInput{ActivityArn: out.ActivityArn})
	require.NoError(t, err)
	_, err = b.client.DescribeActivity(b.ctx, &awssfn.DescribeActivityInput{ActivityArn: out.ActivityArn})
	requireAWSError(t, err, "ActivityDoesNotExist", "Activity Does Not Exist: '"+actBase+"work'")
	_, err = b.client.DescribeActivity(b.ctx, &awssfn.DescribeActivityInput{ActivityArn: aws.String(smBase + "x")})
	requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: statemachine'")
}
