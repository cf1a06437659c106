package sfnapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/stretchr/testify/require"
)

func TestStateMachine(t *testing.T) {
	t.Parallel()

	t.Run("CreateDescribeDefaults", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		out, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{
			Name: aws.String("HelloWorld"), Definition: aws.String(helloWorld), RoleArn: aws.String(roleARN)})
		require.NoError(t, err)
		require.Equal(t, smBase+"HelloWorld", aws.ToString(out.StateMachineArn))
		require.Nil(t, out.StateMachineVersionArn)

		d, err := b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: out.StateMachineArn})
		require.NoError(t, err)
		require.Equal(t, helloWorld, aws.ToString(d.Definition), "definition is returned verbatim")
		require.Equal(t, "HelloWorld", aws.ToString(d.Name))
		require.Equal(t, types.StateMachineStatusActive, d.Status)
		require.Equal(t, types.StateMachineTypeStandard, d.Type)
		require.Equal(t, roleARN, aws.ToString(d.RoleArn))
		require.Equal(t, types.LogLevelOff, d.LoggingConfiguration.Level)
		require.False(t, d.LoggingConfiguration.IncludeExecutionData)
		require.False(t, d.TracingConfiguration.Enabled)
		require.Nil(t, d.RevisionId)
		require.WithinDuration(t, aws.ToTime(out.CreationDate), aws.ToTime(d.CreationDate), 0)
	})

	t.Run("CreateIsIdempotent", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		in := &awssfn.CreateStateMachineInput{Name: aws.String("Idem"), Definition: aws.String(helloWorld), RoleArn: aws.String(roleARN)}
		first, err := b.client.CreateStateMachine(b.ctx, in)
		require.NoError(t, err)
		// A different role and tags are ignored, not updated (API_CreateStateMachine).
		in.RoleArn = aws.String("arn:aws:iam::000000000000:role/other")
		in.Tags = []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}
		again, err := b.client.CreateStateMachine(b.ctx, in)
		require.NoError(t, err)
		require.Equal(t, aws.ToString(first.StateMachineArn), aws.ToString(again.StateMachineArn))
		require.Equal(t, aws.ToTime(first.CreationDate), aws.ToTime(again.CreationDate))
		d, err := b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: first.StateMachineArn})
		require.NoError(t, err)
		require.Equal(t, roleARN, aws.ToString(d.RoleArn))
	})

	t.Run("AlreadyExistsOnReindentedDefinition", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := b.createSM(t, "Dup", passOnly)
		_, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("Dup"),
			Definition: aws.String(`{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}`), RoleArn: aws.String(roleARN)})
		requireAWSError(t, err, "StateMachineAlreadyExists", "State Machine Already Exists: '"+arn+"'")
		_, err = b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("Dup"),
			Definition: aws.String(passOnly), RoleArn: aws.String(roleARN), Type: types.StateMachineTypeExpress})
		requireAWSError(t, err, "StateMachineAlreadyExists", "State Machine Already Exists: '"+arn+"'")
	})

	t.Run("CreateErrors", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, c := range []struct {
			name string
			in   awssfn.CreateStateMachineInput
			code string
			msg  string
		}{
			{"InvalidName", awssfn.CreateStateMachineInput{Name: aws.String("a b"), Definition: aws.String(passOnly), RoleArn: aws.String(roleARN)},
				"InvalidName", "Invalid Name: 'a b'"},
			{"InvalidNameChar", awssfn.CreateStateMachineInput{Name: aws.String("sm<name"), Definition: aws.String(passOnly), RoleArn: aws.String(roleARN)},
				"InvalidName", "Invalid Name: 'sm<name'"},
			{"MissingStates", awssfn.CreateStateMachineInput{Name: aws.String("Bad"), Definition: aws.String(`{"Comment": "BASE_INVALID_DER", "StartAt": "State_1"}`), RoleArn: aws.String(roleARN)},
				"InvalidDefinition", "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'"},
			{"VersionDescriptionWithoutPublish", awssfn.CreateStateMachineInput{Name: aws.String("V"), Definition: aws.String(passOnly), RoleArn: aws.String(roleARN), VersionDescription: aws.String("d")},
				"ValidationException", "Version description can only be set when publish is true"},
			{"LoggingWithoutDestination", awssfn.CreateStateMachineInput{Name: aws.String("L"), Definition: aws.String(passOnly), RoleArn: aws.String(roleARN),
				LoggingConfiguration: &types.LoggingConfiguration{Level: types.LogLevelAll}},
				"InvalidLoggingConfiguration", "Invalid Logging Configuration: Must specify exactly one Log Destination."},
			{"RoleNotAnARN", awssfn.CreateStateMachineInput{Name: aws.String("R"), Definition: aws.String(passOnly), RoleArn: aws.String("role")},
				"InvalidArn", "Invalid Arn: 'Invalid ARN prefix: role'"},
		} {
			_, err := b.client.CreateStateMachine(b.ctx, &c.in)
			requireAWSError(t, err, c.code, c.msg)
		}
	})

	t.Run("ExpressRejectsActivities", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		def := `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:us-east-1:000000000000:activity:a","End":true}}}`
		_, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("E"),
			Definition: aws.String(def), RoleArn: aws.String(roleARN), Type: types.StateMachineTypeExpress})
		requireAWSError(t, err, "InvalidDefinition", "")
	})

	t.Run("DescribeErrors", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		_, err := b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: aws.String("not_a_valid_arn")})
		requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'")
		_, err = b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: aws.String(smBase + "Nope")})
		requireAWSError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+smBase+"Nope'")
		_, err = b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: aws.String(actBase + "A")})
		requireAWSError(t, err, "InvalidArn", "Invalid Arn: 'Resource type not valid in this context: activity'")
	})

	t.Run("Update", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		arn := b.createSM(t, "Up", helloWorld)
		_, err := b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn)})
		requireAWSError(t, err, "MissingRequiredParameter",
			"Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
		_, err = b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn),
			Definition: aws.String(`{"StartAt":"X"}`)})
		requireAWSError(t, err, "InvalidDefinition", "")
		_, err = b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(smBase + "Nope"),
			Definition: aws.String(passOnly)})
		requireAWSError(t, err, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+smBase+"Nope'")

		up, err := b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn),
			Definition: aws.String(passOnly), TracingConfiguration: &types.TracingConfiguration{Enabled: true}})
		require.NoError(t, err)
		require.NotEmpty(t, aws.ToString(up.RevisionId))
		require.Nil(t, up.StateMachineVersionArn)
		d, err := b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
		require.NoError(t, err)
		require.Equal(t, passOnly, aws.ToString(d.Definition))
		require.Equal(t, aws.ToString(up.RevisionId), aws.ToString(d.RevisionId))
		require.True(t, d.TracingConfiguration.Enabled)

		pub, err := b.client.UpdateStateMachine(b.ctx, &awssfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn),
			RoleArn: aws.String("arn:aws:iam::000000000000:role/two"), Publish: true, VersionDescription: aws.String("two")})
		require.NoError(t, err)
		require.Equal(t, arn+":1", aws.ToString(pub.StateMachineVersionArn))
		require.NotEqual(t, aws.ToString(up.RevisionId), aws.ToString(pub.RevisionId))
	})

	t.Run("DeleteRemovesVersionsAndAliases", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		out, err := b.client.CreateStateMachine(b.ctx, &awssfn.CreateStateMachineInput{Name: aws.String("Del"),
			Definition: aws.String(passOnly), RoleArn: aws.String(roleARN), Publish: true})
		require.NoError(t, err)
		al, err := b.client.CreateStateMachineAlias(b.ctx, &awssfn.CreateStateMachineAliasInput{Name: aws.String("live"),
			RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: out.StateMachineVersionArn, Weight: 100}}})
		require.NoError(t, err)
		_, err = b.client.DeleteStateMachine(b.ctx, &awssfn.DeleteStateMachineInput{StateMachineArn: out.StateMachineArn})
		require.NoError(t, err)
		_, err = b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: out.StateMachineArn})
		requireAWSError(t, err, "StateMachineDoesNotExist", "")
		_, err = b.client.DescribeStateMachine(b.ctx, &awssfn.DescribeStateMachineInput{StateMachineArn: out.StateMachineVersionArn})
		requireAWSError(t, err, "StateMachineDoesNotExist", "")
		_, err = b.client.DescribeStateMachineAlias(b.ctx, &awssfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
		requireAWSError(t, err, "ResourceNotFound", "")
		// Deleting again, or what never existed, succeeds as on AWS.
		_, err = b.client.DeleteStateMachine(b.ctx, &awssfn.DeleteStateMachineInput{StateMachineArn: out.StateMachineArn})
		require.NoError(t, err)
		// The name is free again.
		b.createSM(t, "Del", helloWorld)
	})

	t.Run("ListPages", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		for _, n := range []string{"c", "a", "b"} {
			b.createSM(t, n, passOnly)
		}
		p1, err := b.client.ListStateMachines(b.ctx, &awssfn.ListStateMachinesInput{MaxResults: 2})
		require.NoError(t, err)
		require.Len(t, p1.StateMachines, 2)
		require.Equal(t, "a", aws.ToString(p1.StateMachines[0].Name))
		require.Equal(t, types.StateMachineTypeStandard, p1.StateMachines[0].Type)
		require.NotNil(t, p1.NextToken)
		p2, err := b.client.ListStateMachines(b.ctx, &awssfn.ListStateMachinesInput{MaxResults: 2, NextToken: p1.NextToken})
		require.NoError(t, err)
		require.Len(t, p2.StateMachines, 1)
		require.Equal(t, "c", aws.ToString(p2.StateMachines[0].Name))
		require.Nil(t, p2.NextToken)

		// The SDK's paginator walks every page.
		var names []string
		pg := awssfn.NewListStateMachinesPaginator(b.client, &awssfn.ListStateMachinesInput{MaxResults: 1})
		for pg.HasMorePages() {
			page, err := pg.NextPage(b.ctx)
			require.NoError(t, err)
			for _, sm := range page.StateMachines {
				names = append(names, aws.ToString(sm.Name))
			}
		}
		require.Equal(t, []string{"a", "b", "c"}, names)

		_, err = b.client.ListStateMachines(b.ctx, &awssfn.ListStateMachinesInput{NextToken: aws.String("garbage")})
		requireAWSError(t, err, "InvalidToken", "Invalid Token: 'garbage'")
		_, err = b.client.ListStateMachines(b.ctx, &awssfn.ListStateMachinesInput{MaxResults: 1001})
		requireAWSError(t, err, "ValidationException",
			"1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000")
	})
}
