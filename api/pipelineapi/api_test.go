package pipelineapi_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"stepline/api/pipelineapi"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/approval"
	"stepline/pipeline/plan"
	"stepline/store/sqlite"
)

type testBundle struct {
	client *cp.Client
}

func setup(t *testing.T) *testBundle {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db.sqlite"))
	require.NoError(t, err)
	source := action.ProviderFunc(func(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
		return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{OutputArtifacts: job.OutputArtifacts}}, nil
	})
	svc := pipeline.New(db, pipeline.Config{NodeID: "test", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:       source,
		{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}: approval.Provider{},
	}})
	require.NoError(t, svc.Start(context.Background()))
	hs := httptest.NewServer(pipelineapi.New(svc, pipelineapi.Config{}))
	t.Cleanup(func() {
		hs.Close()
		svc.Stop()
		_ = db.Close()
	})
	client := cp.New(cp.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	return &testBundle{client: client}
}

func declaration(name string) *types.PipelineDeclaration {
	return &types.PipelineDeclaration{
		Name:          aws.String(name),
		RoleArn:       aws.String("arn:aws:iam::000000000000:role/pipeline"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("artifacts")},
		Stages: []types.StageDeclaration{
			{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{
				Name: aws.String("Source"),
				ActionTypeId: &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws,
					Provider: aws.String("S3"), Version: aws.String("1")},
				Configuration:   map[string]string{"S3Bucket": "src", "S3ObjectKey": "app.zip"},
				OutputArtifacts: []types.OutputArtifact{{Name: aws.String("SourceArtifact")}},
			}}},
			{Name: aws.String("Approve"), Actions: []types.ActionDeclaration{{
				Name: aws.String("Approve"),
				ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryApproval, Owner: types.ActionOwnerAws,
					Provider: aws.String("Manual"), Version: aws.String("1")},
			}}},
		},
	}
}

func TestSDKPipelineLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()

	created, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("demo")})
	require.NoError(t, err)
	require.Equal(t, int32(1), aws.ToInt32(created.Pipeline.Version))

	got, err := b.client.GetPipeline(ctx, &cp.GetPipelineInput{Name: aws.String("demo")})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:codepipeline:us-east-1:000000000000:demo", aws.ToString(got.Metadata.PipelineArn))

	arn := got.Metadata.PipelineArn
	_, err = b.client.TagResource(ctx, &cp.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	require.NoError(t, err)
	tags, err := b.client.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: arn})
	require.NoError(t, err)
	require.Equal(t, "a", aws.ToString(tags.Tags[0].Value))
	_, err = b.client.UntagResource(ctx, &cp.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"team"}})
	require.NoError(t, err)
	tags, err = b.client.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: arn})
	require.NoError(t, err)
	require.Empty(t, tags.Tags)
	_, err = b.client.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:codepipeline:us-east-1:000000000000:nope")})
	var rnf *types.ResourceNotFoundException
	require.ErrorAs(t, err, &rnf)

	list, err := b.client.ListPipelines(ctx, &cp.ListPipelinesInput{})
	require.NoError(t, err)
	require.Len(t, list.Pipelines, 1)

	// The first execution starts with the pipeline and waits at the approval.
	var token, execID string
	require.Eventually(t, func() bool {
		st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("demo")})
		require.NoError(t, err)
		le := st.StageStates[1].ActionStates[0].LatestExecution
		if le == nil || le.Token == nil {
			return false
		}
		token, execID = aws.ToString(le.Token), aws.ToString(st.StageStates[1].LatestExecution.PipelineExecutionId)
		return true
	}, 10*time.Second, 5*time.Millisecond)

	_, err = b.client.PutApprovalResult(ctx, &cp.PutApprovalResultInput{
		PipelineName: aws.String("demo"), StageName: aws.String("Approve"), ActionName: aws.String("Approve"),
		Token: aws.String(token), Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("ship it")},
	})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		ex, err := b.client.GetPipelineExecution(ctx, &cp.GetPipelineExecutionInput{PipelineName: aws.String("demo"), PipelineExecutionId: aws.String(execID)})
		require.NoError(t, err)
		return ex.PipelineExecution.Status == types.PipelineExecutionStatusSucceeded
	}, 10*time.Second, 5*time.Millisecond)

	execs, err := b.client.ListPipelineExecutions(ctx, &cp.ListPipelineExecutionsInput{PipelineName: aws.String("demo")})
	require.NoError(t, err)
	require.Len(t, execs.PipelineExecutionSummaries, 1)
	require.Equal(t, "CreatePipeline", string(execs.PipelineExecutionSummaries[0].Trigger.TriggerType))

	acts, err := b.client.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("demo")})
	require.NoError(t, err)
	require.Len(t, acts.ActionExecutionDetails, 2)

	_, err = b.client.DisableStageTransition(ctx, &cp.DisableStageTransitionInput{PipelineName: aws.String("demo"),
		StageName: aws.String("Approve"), TransitionType: types.StageTransitionTypeInbound, Reason: aws.String("freeze")})
	require.NoError(t, err)
	_, err = b.client.StartPipelineExecution(ctx, &cp.StartPipelineExecutionInput{Name: aws.String("demo")})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("demo")})
		require.NoError(t, err)
		return st.StageStates[1].InboundExecution != nil && !st.StageStates[1].InboundTransitionState.Enabled
	}, 10*time.Second, 5*time.Millisecond)

	rev, err := b.client.PutActionRevision(ctx, &cp.PutActionRevisionInput{PipelineName: aws.String("demo"),
		StageName: aws.String("Source"), ActionName: aws.String("Source"),
		ActionRevision: &types.ActionRevision{RevisionId: aws.String("v2"), RevisionChangeId: aws.String("c2"), Created: aws.Time(time.Now())}})
	require.NoError(t, err)
	require.True(t, rev.NewRevision)
	require.NotEmpty(t, aws.ToString(rev.PipelineExecutionId))
	rules, err := b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("demo")})
	require.NoError(t, err)
	require.Empty(t, rules.RuleExecutionDetails)

	_, err = b.client.DeletePipeline(ctx, &cp.DeletePipelineInput{Name: aws.String("demo")})
	require.NoError(t, err)
	_, err = b.client.GetPipeline(ctx, &cp.GetPipelineInput{Name: aws.String("demo")})
	var nf *types.PipelineNotFoundException
	require.ErrorAs(t, err, &nf)
}

func TestSDKValidationErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	d := declaration("bad")
	d.Stages = d.Stages[:1]
	_, err := b.client.CreatePipeline(t.Context(), &cp.CreatePipelineInput{Pipeline: d})
	var is *types.InvalidStructureException
	require.ErrorAs(t, err, &is)
	require.Equal(t, "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline", is.ErrorMessage())

	d = declaration("bad")
	d.Stages[1].Actions[0].ActionTypeId.Provider = aws.String("Nope")
	_, err = b.client.CreatePipeline(t.Context(), &cp.CreatePipelineInput{Pipeline: d})
	var ia *types.InvalidActionDeclarationException
	require.ErrorAs(t, err, &ia)

	_, err = b.client.PollForJobs(t.Context(), &cp.PollForJobsInput{ActionTypeId: &types.ActionTypeId{
		Category: types.ActionCategoryBuild, Owner: types.ActionOwnerCustom, Provider: aws.String("X"), Version: aws.String("1")}})
	var atnf *types.ActionTypeNotFoundException
	require.ErrorAs(t, err, &atnf)

	_, err = b.client.RollbackStage(t.Context(), &cp.RollbackStageInput{PipelineName: aws.String("p"), StageName: aws.String("s"),
		TargetPipelineExecutionId: aws.String("00000000-0000-4000-8000-000000000000")})
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae))
	require.Equal(t, "PipelineNotFoundException", ae.ErrorCode())

	types_, err := b.client.ListActionTypes(t.Context(), &cp.ListActionTypesInput{})
	require.NoError(t, err)
	found := false
	for _, at := range types_.ActionTypes {
		if aws.ToString(at.Id.Provider) == "StepFunctions" {
			found = true
			require.Equal(t, int32(1), at.InputArtifactDetails.MaximumCount)
		}
	}
	require.True(t, found)

	_, err = b.client.ListPipelines(t.Context(), &cp.ListPipelinesInput{NextToken: aws.String("garbage")})
	var bad *types.InvalidNextTokenException
	require.ErrorAs(t, err, &bad)
}
