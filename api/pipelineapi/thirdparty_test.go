package pipelineapi_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// MustPollThirdParty polls until a GitHub source job is handed out.
func MustPollThirdParty(tb testing.TB, c *cp.Client) types.ThirdPartyJob {
	tb.Helper()
	var job types.ThirdPartyJob
	require.Eventually(tb, func() bool {
		out, err := c.PollForThirdPartyJobs(tb.Context(), &cp.PollForThirdPartyJobsInput{ActionTypeId: gitHubSource, MaxBatchSize: aws.Int32(5)})
		require.NoError(tb, err)
		if len(out.Jobs) == 0 {
			return false
		}
		job = out.Jobs[0]
		return true
	}, 10*time.Second, 5*time.Millisecond)
	return job
}

func executionStatus(tb testing.TB, c *cp.Client, name, id string) types.PipelineExecutionStatus {
	tb.Helper()
	out, err := c.GetPipelineExecution(tb.Context(), &cp.GetPipelineExecutionInput{PipelineName: aws.String(name), PipelineExecutionId: aws.String(id)})
	require.NoError(tb, err)
	return out.PipelineExecution.Status
}

func TestSDKThirdPartyJobs(t *testing.T) {
	t.Parallel()
	b := MustStartServer(t, filepath.Join(t.TempDir(), "db.sqlite"))
	ctx := t.Context()

	bad := gitHubDeclaration("gh")
	delete(bad.Stages[0].Actions[0].Configuration, "OAuthToken")
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: bad})
	requireCode(t, err, "InvalidActionDeclarationException", "Action configuration for action 'Source' is missing required configuration 'OAuthToken'")
	unknown := gitHubDeclaration("gh")
	unknown.Stages[0].Actions[0].ActionTypeId = &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerThirdParty,
		Provider: aws.String("Bitbucket"), Version: aws.String("1")}
	_, err = b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: unknown})
	requireCode(t, err, "InvalidActionDeclarationException", "ActionType (Category: 'Source', Provider: 'Bitbucket', Owner: 'ThirdParty', Version: '1') in action 'Source' is not available in region")

	created, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("gh")})
	require.NoError(t, err)
	require.Equal(t, "****", created.Pipeline.Stages[0].Actions[0].Configuration["OAuthToken"])
	execID := aws.ToString(executionsOf(t, b.client, "gh")[0].PipelineExecutionId)

	_, err = b.client.PollForJobs(ctx, &cp.PollForJobsInput{ActionTypeId: gitHubSource})
	requireCode(t, err, "ActionTypeNotFoundException", "")
	_, err = b.client.PollForThirdPartyJobs(ctx, &cp.PollForThirdPartyJobsInput{ActionTypeId: &types.ActionTypeId{
		Category: types.ActionCategoryBuild, Owner: types.ActionOwnerCustom, Provider: aws.String("X"), Version: aws.String("1")}})
	requireCode(t, err, "ActionTypeNotFoundException", "")
	_, err = b.client.PollForThirdPartyJobs(ctx, &cp.PollForThirdPartyJobsInput{ActionTypeId: &types.ActionTypeId{
		Category: types.ActionCategorySource, Owner: types.ActionOwnerThirdParty, Provider: aws.String("Nope"), Version: aws.String("1")}})
	requireCode(t, err, "ActionTypeNotFoundException", "")

	job := MustPollThirdParty(t, b.client)
	require.NotEmpty(t, aws.ToString(job.ClientId))
	again, err := b.client.PollForThirdPartyJobs(ctx, &cp.PollForThirdPartyJobsInput{ActionTypeId: gitHubSource})
	require.NoError(t, err)
	require.Empty(t, again.Jobs, "a handed-out job is not polled twice")

	t.Run("ClientToken", func(t *testing.T) {
		_, err := b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: aws.String("wrong")})
		requireCode(t, err, "InvalidClientTokenException", "")
		_, err = b.client.AcknowledgeThirdPartyJob(ctx, &cp.AcknowledgeThirdPartyJobInput{JobId: job.JobId, Nonce: aws.String("1"), ClientToken: aws.String("wrong")})
		requireCode(t, err, "InvalidClientTokenException", "")
		_, err = b.client.PutThirdPartyJobSuccessResult(ctx, &cp.PutThirdPartyJobSuccessResultInput{JobId: job.JobId, ClientToken: aws.String("wrong")})
		requireCode(t, err, "InvalidClientTokenException", "")
		_, err = b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: aws.String("00000000-0000-4000-8000-000000000000"), ClientToken: job.ClientId})
		requireCode(t, err, "JobNotFoundException", "")
		_, err = b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: aws.String(""), ClientToken: job.ClientId})
		requireCode(t, err, "ValidationException", "")
		_, err = b.client.AcknowledgeThirdPartyJob(ctx, &cp.AcknowledgeThirdPartyJobInput{JobId: job.JobId, Nonce: aws.String("bogus"), ClientToken: job.ClientId})
		requireCode(t, err, "InvalidNonceException", "")
		// The custom job calls do not reach a third-party job, which needs its token.
		_, err = b.client.GetJobDetails(ctx, &cp.GetJobDetailsInput{JobId: job.JobId})
		requireCode(t, err, "JobNotFoundException", "")
		_, err = b.client.AcknowledgeJob(ctx, &cp.AcknowledgeJobInput{JobId: job.JobId, Nonce: aws.String("1")})
		requireCode(t, err, "JobNotFoundException", "")
		_, err = b.client.PutJobSuccessResult(ctx, &cp.PutJobSuccessResultInput{JobId: job.JobId})
		requireCode(t, err, "JobNotFoundException", "")
		_, err = b.client.PutJobFailureResult(ctx, &cp.PutJobFailureResultInput{JobId: job.JobId,
			FailureDetails: &types.FailureDetails{Type: types.FailureTypeJobFailed, Message: aws.String("x")}})
		requireCode(t, err, "JobNotFoundException", "")
	})

	details, err := b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: job.ClientId})
	require.NoError(t, err)
	jd := details.JobDetails
	require.Equal(t, aws.ToString(job.JobId), aws.ToString(jd.Id))
	require.Equal(t, "ghp_secret", jd.Data.ActionConfiguration.Configuration["OAuthToken"], "the worker sees the secret")
	require.Equal(t, "gh", aws.ToString(jd.Data.PipelineContext.PipelineName))
	require.Equal(t, "Source", aws.ToString(jd.Data.PipelineContext.Stage.Name))
	require.Nil(t, jd.Data.PipelineContext.PipelineArn, "third-party jobs do not see the pipeline's ARN")
	require.Equal(t, "SourceArtifact", aws.ToString(jd.Data.OutputArtifacts[0].Name))
	require.Equal(t, "artifacts", aws.ToString(jd.Data.OutputArtifacts[0].Location.S3Location.BucketName))

	ack, err := b.client.AcknowledgeThirdPartyJob(ctx, &cp.AcknowledgeThirdPartyJobInput{JobId: job.JobId, Nonce: jd.Nonce, ClientToken: job.ClientId})
	require.NoError(t, err)
	require.Equal(t, types.JobStatusInProgress, ack.Status)

	// A continuation token queues the job again; the old client token stops working.
	_, err = b.client.PutThirdPartyJobSuccessResult(ctx, &cp.PutThirdPartyJobSuccessResultInput{JobId: job.JobId, ClientToken: job.ClientId,
		ContinuationToken: aws.String("step-2"), ExecutionDetails: &types.ExecutionDetails{Summary: aws.String("cloning")}})
	require.NoError(t, err)
	_, err = b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: job.ClientId})
	requireCode(t, err, "InvalidClientTokenException", "")
	next := MustPollThirdParty(t, b.client)
	require.Equal(t, aws.ToString(job.JobId), aws.ToString(next.JobId))
	require.NotEqual(t, aws.ToString(job.ClientId), aws.ToString(next.ClientId))
	details, err = b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: next.JobId, ClientToken: next.ClientId})
	require.NoError(t, err)
	require.Equal(t, "step-2", aws.ToString(details.JobDetails.Data.ContinuationToken))

	_, err = b.client.PutThirdPartyJobSuccessResult(ctx, &cp.PutThirdPartyJobSuccessResultInput{JobId: next.JobId, ClientToken: next.ClientId,
		CurrentRevision:  &types.CurrentRevision{Revision: aws.String("abc123"), ChangeIdentifier: aws.String("abc123")},
		ExecutionDetails: &types.ExecutionDetails{ExternalExecutionId: aws.String("abc123")}})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("gh")})
		require.NoError(t, err)
		le := st.StageStates[1].ActionStates[0].LatestExecution
		return le != nil && le.Token != nil
	}, 10*time.Second, 5*time.Millisecond, "the source succeeded and the approval waits")
	acts, err := b.client.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("gh"),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(execID)}})
	require.NoError(t, err)
	var source *types.ActionExecutionDetail
	for i := range acts.ActionExecutionDetails {
		if aws.ToString(acts.ActionExecutionDetails[i].ActionName) == "Source" {
			source = &acts.ActionExecutionDetails[i]
		}
	}
	require.NotNil(t, source)
	require.Equal(t, types.ActionExecutionStatusSucceeded, source.Status)
	require.Equal(t, "abc123", aws.ToString(source.Output.ExecutionResult.ExternalExecutionId))

	_, err = b.client.PutThirdPartyJobSuccessResult(ctx, &cp.PutThirdPartyJobSuccessResultInput{JobId: next.JobId, ClientToken: next.ClientId})
	requireCode(t, err, "JobNotFoundException", "")

	// A failure fails the execution with the worker's message.
	started, err := b.client.StartPipelineExecution(ctx, &cp.StartPipelineExecutionInput{Name: aws.String("gh")})
	require.NoError(t, err)
	failing := MustPollThirdParty(t, b.client)
	_, err = b.client.PutThirdPartyJobFailureResult(ctx, &cp.PutThirdPartyJobFailureResultInput{JobId: failing.JobId, ClientToken: aws.String("wrong"),
		FailureDetails: &types.FailureDetails{Type: types.FailureTypeJobFailed, Message: aws.String("clone failed")}})
	requireCode(t, err, "InvalidClientTokenException", "")
	_, err = b.client.PutThirdPartyJobFailureResult(ctx, &cp.PutThirdPartyJobFailureResultInput{JobId: failing.JobId, ClientToken: failing.ClientId,
		FailureDetails: &types.FailureDetails{Type: types.FailureTypeJobFailed, Message: aws.String("clone failed")}})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		return executionStatus(t, b.client, "gh", aws.ToString(started.PipelineExecutionId)) == types.PipelineExecutionStatusFailed
	}, 10*time.Second, 5*time.Millisecond)
}

func TestSDKActionTypeDeclarations(t *testing.T) {
	t.Parallel()
	b := MustStartServer(t, filepath.Join(t.TempDir(), "db.sqlite"))
	ctx := t.Context()

	sf, err := b.client.GetActionType(ctx, &cp.GetActionTypeInput{Category: types.ActionCategoryInvoke, Owner: aws.String("AWS"),
		Provider: aws.String("StepFunctions"), Version: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, "StepFunctions", aws.ToString(sf.ActionType.Id.Provider))
	require.Equal(t, int32(1), sf.ActionType.InputArtifactDetails.MaximumCount)
	require.Equal(t, "StateMachineArn", aws.ToString(sf.ActionType.Properties[0].Name))
	require.False(t, sf.ActionType.Properties[0].Optional)

	gh, err := b.client.GetActionType(ctx, &cp.GetActionTypeInput{Category: types.ActionCategorySource, Owner: aws.String("ThirdParty"),
		Provider: aws.String("GitHub"), Version: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, types.ExecutorTypeJobWorker, gh.ActionType.Executor.Type)
	require.Equal(t, int32(1), gh.ActionType.OutputArtifactDetails.MinimumCount)
	noEcho := map[string]bool{}
	for _, p := range gh.ActionType.Properties {
		noEcho[aws.ToString(p.Name)] = p.NoEcho
	}
	require.True(t, noEcho["OAuthToken"])
	require.Contains(t, aws.ToString(gh.ActionType.Urls.EntityUrlTemplate), "{Config:Repo}")

	listed, err := b.client.ListActionTypes(ctx, &cp.ListActionTypesInput{ActionOwnerFilter: types.ActionOwnerThirdParty})
	require.NoError(t, err)
	require.Len(t, listed.ActionTypes, 1)
	require.Equal(t, "GitHub", aws.ToString(listed.ActionTypes[0].Id.Provider))
	secret := map[string]bool{}
	for _, p := range listed.ActionTypes[0].ActionConfigurationProperties {
		secret[aws.ToString(p.Name)] = p.Secret
	}
	require.True(t, secret["OAuthToken"])

	_, err = b.client.GetActionType(ctx, &cp.GetActionTypeInput{Category: types.ActionCategoryBuild, Owner: aws.String("Custom"),
		Provider: aws.String("X"), Version: aws.String("1")})
	requireCode(t, err, "ValidationException", "1 validation error detected: Value 'Custom' at 'owner' failed to satisfy constraint: Member must satisfy regular expression pattern: AWS|ThirdParty")
	_, err = b.client.GetActionType(ctx, &cp.GetActionTypeInput{Category: types.ActionCategoryBuild, Owner: aws.String("AWS"),
		Provider: aws.String("Nope"), Version: aws.String("1")})
	requireCode(t, err, "ActionTypeNotFoundException", "")

	decl := gh.ActionType
	_, err = b.client.UpdateActionType(ctx, &cp.UpdateActionTypeInput{ActionType: sf.ActionType})
	requireCode(t, err, "RequestFailedException", "ActionType (Category: 'Invoke', Provider: 'StepFunctions', Owner: 'AWS', Version: '1') is owned by AWS and cannot be updated")
	missing := *decl
	missing.Id = &types.ActionTypeIdentifier{Category: types.ActionCategorySource, Owner: aws.String("ThirdParty"), Provider: aws.String("Nope"), Version: aws.String("1")}
	_, err = b.client.UpdateActionType(ctx, &cp.UpdateActionTypeInput{ActionType: &missing})
	requireCode(t, err, "ActionTypeNotFoundException", "")
	inverted := *decl
	inverted.InputArtifactDetails = &types.ActionTypeArtifactDetails{MinimumCount: 2, MaximumCount: 1}
	_, err = b.client.UpdateActionType(ctx, &cp.UpdateActionTypeInput{ActionType: &inverted})
	requireCode(t, err, "ValidationException", "Maximum Number of Artifacts (1) has to be greater than or equal to minimum (2).")
	slow := *decl
	slow.Executor = &types.ActionTypeExecutor{Type: types.ExecutorTypeJobWorker, Configuration: &types.ExecutorConfiguration{}, JobTimeout: aws.Int32(10)}
	_, err = b.client.UpdateActionType(ctx, &cp.UpdateActionTypeInput{ActionType: &slow})
	requireCode(t, err, "ValidationException", "")

	// An update adds a required property, which declarations must then set.
	updated := *decl
	updated.Description = aws.String("GitHub through our own worker")
	updated.Properties = append(append([]types.ActionTypeProperty(nil), decl.Properties...),
		types.ActionTypeProperty{Name: aws.String("Region"), Key: true})
	_, err = b.client.UpdateActionType(ctx, &cp.UpdateActionTypeInput{ActionType: &updated})
	require.NoError(t, err)
	got, err := b.client.GetActionType(ctx, &cp.GetActionTypeInput{Category: types.ActionCategorySource, Owner: aws.String("ThirdParty"),
		Provider: aws.String("GitHub"), Version: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, "GitHub through our own worker", aws.ToString(got.ActionType.Description))
	_, err = b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("gh")})
	requireCode(t, err, "InvalidActionDeclarationException", "Action configuration for action 'Source' is missing required configuration 'Region'")
}
