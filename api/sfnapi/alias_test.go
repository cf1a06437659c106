package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

func route(arn string, w int32) types.RoutingConfigurationListItem {
	return types.RoutingConfigurationListItem{StateMachineVersionArn: aws.String(arn), Weight: w}
}

func TestAliases(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arn := b.createSM(t, "A", helloWorld)
	_, err := b.client.PublishStateMachineVersion(b.ctx, &awssfn.PublishStateMachineVersionInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	_, err = b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn),
		Definition: aws.String(passOnly), Publish: true})
	require.NoError(t, err)
	v1, v2 := arn+":1", arn+":2"

	in := &awssfn.CreateStateMachineAliasInput{Name: aws.String("live"), Description: aws.String("d"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{route(v1, 70), route(v2, 30)}}
	al, err := b.client.CreateStateMachineAlias(b.ctx, in)
	require.NoError(t, err)
	require.Equal(t, arn+":live", aws.ToString(al.StateMachineAliasArn))
	again, err := b.client.CreateStateMachineAlias(b.ctx, in)
	require.NoError(t, err, "same name, description and routing is idempotent")
	require.Equal(t, aws.ToTime(al.CreationDate), aws.ToTime(again.CreationDate))

	_, err = b.client.CreateStateMachineAlias(b.ctx, &awssfn.CreateStateMachineAliasInput{Name: aws.String("live"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{route(v1, 100)}})
	requireAWSError(t, err, "ConflictException",
		"Failed to create alias because an alias with the same name and a different routing configuration already exists.")

	d, err := b.client.DescribeStateMachineAlias(b.ctx, &awssfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	require.NoError(t, err)
	require.Equal(t, "live", aws.ToString(d.Name))
	require.Equal(t, "d", aws.ToString(d.Description))
	require.Len(t, d.RoutingConfiguration, 2)
	require.Equal(t, v1, aws.ToString(d.RoutingConfiguration[0].StateMachineVersionArn))
	require.Equal(t, int32(70), d.RoutingConfiguration[0].Weight)

	for _, c := range []struct {
		name    string
		routing []types.RoutingConfigurationListItem
		code    string
		msg     string
	}{
		{"WeightsNot100", []types.RoutingConfigurationListItem{route(v1, 70), route(v2, 29)},
			"ValidationException", "Sum of routing configuration weights must equal 100. Received: [70, 29]"},
		{"NotDistinct", []types.RoutingConfigurationListItem{route(v1, 50), route(v1, 50)},
			"ValidationException", "Routing configuration must contain distinct state machine version ARNs. Received: [" + v1 + ", " + v1 + "]"},
		{"NotVersions", []types.RoutingConfigurationListItem{route(arn, 100)},
			"ValidationException", "Routing configuration must contain state machine version ARNs. Received: [" + arn + "]"},
		{"MissingVersion", []types.RoutingConfigurationListItem{route(arn+":9", 100)},
			"ResourceNotFound", "Request references a resource that does not exist."},
	} {
		_, err := b.client.CreateStateMachineAlias(b.ctx, &awssfn.CreateStateMachineAliasInput{Name: aws.String("x" + c.name), RoutingConfiguration: c.routing})
		requireAWSError(t, err, c.code, c.msg)
	}
	_, err = b.client.CreateStateMachineAlias(b.ctx, &awssfn.CreateStateMachineAliasInput{Name: aws.String("123"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{route(v1, 100)}})
	requireAWSError(t, err, "ValidationException", "")

	_, err = b.client.UpdateStateMachineAlias(b.ctx, &awssfn.UpdateStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	requireAWSError(t, err, "ValidationException", "Either the description or the RoutingConfiguration must be specified")

	upd, err := b.client.UpdateStateMachineAlias(b.ctx, &awssfn.UpdateStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn,
		RoutingConfiguration: []types.RoutingConfigurationListItem{route(v2, 100)}})
	require.NoError(t, err)
	require.False(t, aws.ToTime(upd.UpdateDate).IsZero())
	d, err = b.client.DescribeStateMachineAlias(b.ctx, &awssfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	require.NoError(t, err)
	require.Len(t, d.RoutingConfiguration, 1)
	require.Equal(t, "d", aws.ToString(d.Description), "description kept")

	_, err = b.client.CreateStateMachineAlias(b.ctx, &awssfn.CreateStateMachineAliasInput{Name: aws.String("beta"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{route(v1, 100)}})
	require.NoError(t, err)
	list, err := b.client.ListStateMachineAliases(b.ctx, &awssfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(arn)})
	require.NoError(t, err)
	require.Len(t, list.StateMachineAliases, 2)
	require.Equal(t, arn+":beta", aws.ToString(list.StateMachineAliases[0].StateMachineAliasArn))
	byVersion, err := b.client.ListStateMachineAliases(b.ctx, &awssfn.ListStateMachineAliasesInput{StateMachineArn: aws.String(v2)})
	require.NoError(t, err)
	require.Len(t, byVersion.StateMachineAliases, 1)
	require.Equal(t, arn+":live", aws.ToString(byVersion.StateMachineAliases[0].StateMachineAliasArn))

	_, err = b.client.DeleteStateMachineAlias(b.ctx, &awssfn.DeleteStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	require.NoError(t, err)
	_, err = b.client.DescribeStateMachineAlias(b.ctx, &awssfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	requireAWSError(t, err, "ResourceNotFound", "Request references a resource that does not exist.")
	_, err = b.client.UpdateStateMachineAlias(b.ctx, &awssfn.UpdateStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn,
		Description: aws.String("x")})
	requireAWSError(t, err, "ResourceNotFound", "Request references a resource that does not exist.")
	_, err = b.client.DescribeStateMachineAlias(b.ctx, &awssfn.DescribeStateMachineAliasInput{StateMachineAliasArn: aws.String(v1)})
	requireAWSError(t, err, "InvalidArn", "")
}
