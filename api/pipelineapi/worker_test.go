package pipelineapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

// TestSDKJobWorker runs a custom action through the job worker protocol: the action
// type is created, a pipeline uses it, and a worker polls, acknowledges and reports.
func TestSDKJobWorker(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	typeID := &types.ActionTypeId{Category: types.ActionCategoryBuild, Owner: types.ActionOwnerCustom,
		Provider: aws.String("MyBuilder"), Version: aws.String("1")}
	_, err := b.client.CreateCustomActionType(ctx, &cp.CreateCustomActionTypeInput{
		Category: types.ActionCategoryBuild, Provider: aws.String("MyBuilder"), Version: aws.String("1"),
		ConfigurationProperties: []types.ActionConfigurationProperty{
			{Name: aws.String("Target"), Required: true, Key: true},
			{Name: aws.String("ApiKey"), Required: false, Key: false, Secret: true},
		},
		InputArtifactDetails:  &types.ArtifactDetails{MinimumCount: 1, MaximumCount: 1},
		OutputArtifactDetails: &types.ArtifactDetails{MinimumCount: 0, MaximumCount: 1},
	})
	require.NoError(t, err)
	_, err = b.client.CreateCustomActionType(ctx, &cp.CreateCustomActionTypeInput{
		Category: types.ActionCategoryBuild, Provider: aws.String("MyBuilder"), Version: aws.String("1"),
		InputArtifactDetails: &types.ArtifactDetails{}, OutputArtifactDetails: &types.ArtifactDetails{},
	})
	var exists smithy.APIError
	require.ErrorAs(t, err, &exists)
	require.Equal(t, "ActionTypeAlreadyExistsException", exists.ErrorCode())

	d := declaration("custom")
	d.Stages[1] = types.StageDeclaration{Name: aws.String("Build"), Actions: []types.ActionDeclaration{{
		Name: aws.String("Build"), ActionTypeId: typeID,
		InputArtifacts: []types.InputArtifact{{Name: aws.String("SourceArtifact")}},
	}}}
	_, err = b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	var missing *types.InvalidActionDeclarationException
	require.ErrorAs(t, err, &missing)
	require.Equal(t, "Action configuration for action 'Build' is missing required configuration 'Target'", missing.ErrorMessage())

	d.Stages[1].Actions[0].Configuration = map[string]string{"Target": "#{codepipeline.PipelineExecutionId}", "ApiKey": "s3cret"}
	created, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	require.Equal(t, "****", created.Pipeline.Stages[1].Actions[0].Configuration["ApiKey"])
	// Writing back the masked declaration keeps the secret.
	got, err := b.client.GetPipeline(ctx, &cp.GetPipelineInput{Name: aws.String("custom")})
	require.NoError(t, err)
	require.Equal(t, "****", got.Pipeline.Stages[1].Actions[0].Configuration["ApiKey"])
	_, err = b.client.UpdatePipeline(ctx, &cp.UpdatePipelineInput{Pipeline: got.Pipeline})
	require.NoError(t, err)
	// The update cancelled the first execution; run the new version.
	_, err = b.client.StartPipelineExecution(ctx, &cp.StartPipelineExecutionInput{Name: aws.String("custom")})
	require.NoError(t, err)

	var job types.Job
	require.Eventually(t, func() bool {
		out, err := b.client.PollForJobs(ctx, &cp.PollForJobsInput{ActionTypeId: typeID, MaxBatchSize: aws.Int32(5)})
		require.NoError(t, err)
		if len(out.Jobs) == 0 {
			return false
		}
		job = out.Jobs[0]
		return true
	}, 10*time.Second, 10*time.Millisecond)
	execID := aws.ToString(job.Data.PipelineContext.PipelineExecutionId)
	require.Equal(t, execID, job.Data.ActionConfiguration.Configuration["Target"])
	require.Equal(t, "s3cret", job.Data.ActionConfiguration.Configuration["ApiKey"])
	require.Equal(t, "SourceArtifact", aws.ToString(job.Data.InputArtifacts[0].Name))

	_, err = b.client.AcknowledgeJob(ctx, &cp.AcknowledgeJobInput{JobId: job.Id, Nonce: aws.String("bogus")})
	var nonce *types.InvalidNonceException
	require.ErrorAs(t, err, &nonce)
	ack, err := b.client.AcknowledgeJob(ctx, &cp.AcknowledgeJobInput{JobId: job.Id, Nonce: job.Nonce})
	require.NoError(t, err)
	require.Equal(t, types.JobStatusInProgress, ack.Status)

	details, err := b.client.GetJobDetails(ctx, &cp.GetJobDetailsInput{JobId: job.Id})
	require.NoError(t, err)
	require.Equal(t, aws.ToString(job.Id), aws.ToString(details.JobDetails.Id))

	_, err = b.client.PutJobSuccessResult(ctx, &cp.PutJobSuccessResultInput{JobId: job.Id,
		ExecutionDetails: &types.ExecutionDetails{Summary: aws.String("built"), ExternalExecutionId: aws.String("build-1")},
		OutputVariables:  map[string]string{"Image": "app:1"}})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		ex, err := b.client.GetPipelineExecution(ctx, &cp.GetPipelineExecutionInput{PipelineName: aws.String("custom"), PipelineExecutionId: aws.String(execID)})
		require.NoError(t, err)
		return ex.PipelineExecution.Status == types.PipelineExecutionStatusSucceeded
	}, 10*time.Second, 5*time.Millisecond)

	_, err = b.client.PutJobSuccessResult(ctx, &cp.PutJobSuccessResultInput{JobId: job.Id})
	var nf *types.JobNotFoundException
	require.ErrorAs(t, err, &nf)

	acts, err := b.client.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("custom"),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(execID)}})
	require.NoError(t, err)
	require.Equal(t, "app:1", acts.ActionExecutionDetails[0].Output.OutputVariables["Image"])
	require.Equal(t, "****", acts.ActionExecutionDetails[0].Input.Configuration["ApiKey"])
	require.Equal(t, "build-1", aws.ToString(acts.ActionExecutionDetails[0].Output.ExecutionResult.ExternalExecutionId))

	listed, err := b.client.ListActionTypes(ctx, &cp.ListActionTypesInput{ActionOwnerFilter: types.ActionOwnerCustom})
	require.NoError(t, err)
	require.Len(t, listed.ActionTypes, 1)
}
