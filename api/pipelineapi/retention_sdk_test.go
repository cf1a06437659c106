package pipelineapi_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"stepline/api/pipelineapi"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/store/sqlite"
)

// succeed is a provider that ends every action at once, passing its outputs on.
var succeed = action.ProviderFunc(func(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
	return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{OutputArtifacts: job.OutputArtifacts}}, nil
})

// mustQuickServer runs the CodePipeline API over an engine whose S3 source and
// CodeBuild actions succeed at once, so executions finish as fast as the store allows.
func mustQuickServer(t *testing.T) *cp.Client {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db.sqlite"))
	require.NoError(t, err)
	svc := pipeline.New(db, pipeline.Config{NodeID: "test", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:       succeed,
		{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"}: succeed,
	}})
	require.NoError(t, svc.Start(context.Background()))
	hs := httptest.NewServer(pipelineapi.New(svc, pipelineapi.Config{}))
	t.Cleanup(func() {
		hs.Close()
		svc.Stop()
		_ = db.Close()
	})
	return cp.New(cp.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

// quickDeclaration is a QUEUED V2 pipeline, S3 source then one CodeBuild action: every
// execution runs both actions, none is superseded.
func quickDeclaration(name string) *types.PipelineDeclaration {
	d := declaration(name)
	d.PipelineType = types.PipelineTypeV2
	d.ExecutionMode = types.ExecutionModeQueued
	d.Stages[1] = types.StageDeclaration{Name: aws.String("Build"), Actions: []types.ActionDeclaration{{
		Name: aws.String("Build"),
		ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryBuild, Owner: types.ActionOwnerAws,
			Provider: aws.String("CodeBuild"), Version: aws.String("1")},
		Configuration:  map[string]string{"ProjectName": "p"},
		InputArtifacts: []types.InputArtifact{{Name: aws.String("SourceArtifact")}},
	}}}
	return d
}

// mustListAll pages through every execution with the SDK's paginator.
func mustListAll(t *testing.T, c *cp.Client, name string, pageSize int32) []types.PipelineExecutionSummary {
	t.Helper()
	var all []types.PipelineExecutionSummary
	pg := cp.NewListPipelineExecutionsPaginator(c, &cp.ListPipelineExecutionsInput{PipelineName: aws.String(name), MaxResults: aws.Int32(pageSize)})
	for pg.HasMorePages() {
		out, err := pg.NextPage(t.Context())
		require.NoError(t, err)
		require.LessOrEqual(t, len(out.PipelineExecutionSummaries), int(pageSize))
		all = append(all, out.PipelineExecutionSummaries...)
	}
	return all
}

func TestSDKListingsPageThroughArchivedExecutions(t *testing.T) {
	t.Parallel()
	c := mustQuickServer(t)
	ctx := t.Context()
	const starts = 300
	_, err := c.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: quickDeclaration("many")})
	require.NoError(t, err)
	started := map[string]bool{}
	for range starts {
		out, err := c.StartPipelineExecution(ctx, &cp.StartPipelineExecutionInput{Name: aws.String("many")})
		require.NoError(t, err)
		started[aws.ToString(out.PipelineExecutionId)] = true
	}
	require.Eventually(t, func() bool {
		for _, s := range mustListAll(t, c, "many", 100) {
			if s.Status != types.PipelineExecutionStatusSucceeded {
				return false
			}
		}
		return true
	}, 60*time.Second, 50*time.Millisecond)

	t.Run("PipelineExecutionsNewestFirst", func(t *testing.T) {
		all := mustListAll(t, c, "many", 37)
		require.Len(t, all, starts+1) // and the one CreatePipeline started
		seen := map[string]bool{}
		for i, s := range all {
			id := aws.ToString(s.PipelineExecutionId)
			require.False(t, seen[id], "execution %s listed twice", id)
			seen[id] = true
			if i > 0 {
				require.False(t, aws.ToTime(s.StartTime).After(aws.ToTime(all[i-1].StartTime)))
			}
		}
		for id := range started {
			require.True(t, seen[id])
		}
		oldest := all[len(all)-1]
		require.Equal(t, types.TriggerTypeCreatePipeline, oldest.Trigger.TriggerType)

		// The oldest execution has left the runtime for the archive; it is still there.
		got, err := c.GetPipelineExecution(ctx, &cp.GetPipelineExecutionInput{PipelineName: aws.String("many"), PipelineExecutionId: oldest.PipelineExecutionId})
		require.NoError(t, err)
		require.Equal(t, types.PipelineExecutionStatusSucceeded, got.PipelineExecution.Status)
		acts, err := c.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("many"),
			Filter: &types.ActionExecutionFilter{PipelineExecutionId: oldest.PipelineExecutionId}})
		require.NoError(t, err)
		require.Len(t, acts.ActionExecutionDetails, 2)
		require.Equal(t, "Build", aws.ToString(acts.ActionExecutionDetails[0].ActionName))
	})

	t.Run("SucceededInStageFilterPages", func(t *testing.T) {
		var n int
		pg := cp.NewListPipelineExecutionsPaginator(c, &cp.ListPipelineExecutionsInput{PipelineName: aws.String("many"), MaxResults: aws.Int32(100),
			Filter: &types.PipelineExecutionFilter{SucceededInStage: &types.SucceededInStageFilter{StageName: aws.String("Build")}}})
		for pg.HasMorePages() {
			out, err := pg.NextPage(ctx)
			require.NoError(t, err)
			n += len(out.PipelineExecutionSummaries)
		}
		require.Equal(t, starts+1, n)
	})

	t.Run("ActionExecutionsAcrossPages", func(t *testing.T) {
		seen := map[string]bool{}
		var execOrder []string
		pg := cp.NewListActionExecutionsPaginator(c, &cp.ListActionExecutionsInput{PipelineName: aws.String("many"), MaxResults: aws.Int32(45)})
		for pg.HasMorePages() {
			out, err := pg.NextPage(ctx)
			require.NoError(t, err)
			require.LessOrEqual(t, len(out.ActionExecutionDetails), 45)
			for _, d := range out.ActionExecutionDetails {
				id := aws.ToString(d.ActionExecutionId)
				require.False(t, seen[id], "action execution %s listed twice", id)
				seen[id] = true
				if e := aws.ToString(d.PipelineExecutionId); len(execOrder) == 0 || execOrder[len(execOrder)-1] != e {
					execOrder = append(execOrder, e)
				}
			}
		}
		require.Len(t, seen, 2*(starts+1))
		require.Len(t, execOrder, starts+1) // each execution's actions are listed together
	})

	t.Run("BadTokens", func(t *testing.T) {
		_, err := c.ListPipelineExecutions(ctx, &cp.ListPipelineExecutionsInput{PipelineName: aws.String("many"), NextToken: aws.String("garbage")})
		var bad *types.InvalidNextTokenException
		require.ErrorAs(t, err, &bad)
		_, err = c.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("many"), NextToken: aws.String("garbage")})
		require.ErrorAs(t, err, &bad)
		_, err = c.GetPipelineExecution(ctx, &cp.GetPipelineExecutionInput{PipelineName: aws.String("many"),
			PipelineExecutionId: aws.String("00000000-0000-4000-8000-000000000000")})
		var nf *types.PipelineExecutionNotFoundException
		require.ErrorAs(t, err, &nf)
	})

	t.Run("DeleteRemovesArchive", func(t *testing.T) {
		_, err := c.DeletePipeline(ctx, &cp.DeletePipelineInput{Name: aws.String("many")})
		require.NoError(t, err)
		_, err = c.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: quickDeclaration("many")})
		require.NoError(t, err)
		all := mustListAll(t, c, "many", 100)
		require.Len(t, all, 1)
	})
}
