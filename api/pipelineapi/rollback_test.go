package pipelineapi_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"sync"
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
	"stepline/pipeline/plan"
	"stepline/store/sqlite"
)

// flowBundle is a server whose Invoke/Lambda action succeeds unless its resolved
// FunctionName is "fail", so each execution picks its outcome through a pipeline
// variable; it records the input artifacts each run received.
type flowBundle struct {
	client *cp.Client
	svc    *pipeline.Service

	mu     sync.Mutex
	inputs map[string][]plan.ArtifactLocation // guarded by mu; by "executionId/action"
}

func setupFlow(t testing.TB, start bool) *flowBundle {
	t.Helper()
	return setupFlowAt(t, filepath.Join(t.TempDir(), "db.sqlite"), start)
}

// setupFlowAt is setupFlow over the database at path, so a test can stop one server
// and start another on the same state.
func setupFlowAt(t testing.TB, path string, start bool) *flowBundle {
	t.Helper()
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	b := &flowBundle{inputs: map[string][]plan.ArtifactLocation{}}
	source := action.ProviderFunc(func(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
		outs := append([]plan.ArtifactLocation(nil), job.OutputArtifacts...)
		for i := range outs {
			outs[i].Revision = job.ExecutionID
		}
		return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{OutputArtifacts: outs}}, nil
	})
	lambda := action.ProviderFunc(func(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
		b.mu.Lock()
		b.inputs[job.ExecutionID+"/"+job.Action] = job.InputArtifacts
		b.mu.Unlock()
		if job.Configuration["FunctionName"] == "fail" {
			return action.Fail("told to fail"), nil
		}
		return action.Outcome{Status: action.Succeeded}, nil
	})
	b.svc = pipeline.New(db, pipeline.Config{NodeID: "test", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:     source,
		{Category: "Invoke", Owner: "AWS", Provider: "Lambda", Version: "1"}: lambda,
	}})
	if start {
		require.NoError(t, b.svc.Start(context.Background()))
	}
	hs := httptest.NewServer(pipelineapi.New(b.svc, pipelineapi.Config{}))
	t.Cleanup(func() {
		hs.Close()
		b.svc.Stop()
		_ = db.Close()
	})
	b.client = cp.New(cp.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	return b
}

func (b *flowBundle) inputsOf(id string) []plan.ArtifactLocation {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.inputs[id+"/Deploy"]
}

// flowDeclaration is a V2 pipeline: Source, then Deploy whose outcome is the pipeline
// variable "outcome" (default "ok"), then Final.
func flowDeclaration(name string) *types.PipelineDeclaration {
	invoke := func(name, fn string, in ...string) types.ActionDeclaration {
		a := types.ActionDeclaration{
			Name: aws.String(name),
			ActionTypeId: &types.ActionTypeId{Category: types.ActionCategoryInvoke, Owner: types.ActionOwnerAws,
				Provider: aws.String("Lambda"), Version: aws.String("1")},
			Configuration: map[string]string{"FunctionName": fn},
		}
		for _, n := range in {
			a.InputArtifacts = append(a.InputArtifacts, types.InputArtifact{Name: aws.String(n)})
		}
		return a
	}
	return &types.PipelineDeclaration{
		Name:          aws.String(name),
		RoleArn:       aws.String("arn:aws:iam::000000000000:role/pipeline"),
		ArtifactStore: &types.ArtifactStore{Type: types.ArtifactStoreTypeS3, Location: aws.String("artifacts")},
		PipelineType:  types.PipelineTypeV2,
		Variables:     []types.PipelineVariableDeclaration{{Name: aws.String("outcome"), DefaultValue: aws.String("ok")}, {Name: aws.String("env"), DefaultValue: aws.String("dev")}},
		Stages: []types.StageDeclaration{
			{Name: aws.String("Source"), Actions: []types.ActionDeclaration{{
				Name: aws.String("Source"),
				ActionTypeId: &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerAws,
					Provider: aws.String("S3"), Version: aws.String("1")},
				Configuration:   map[string]string{"S3Bucket": "src", "S3ObjectKey": "app.zip"},
				OutputArtifacts: []types.OutputArtifact{{Name: aws.String("SourceArtifact")}},
			}}},
			{Name: aws.String("Deploy"), Actions: []types.ActionDeclaration{invoke("Deploy", "#{variables.outcome}", "SourceArtifact")}},
			{Name: aws.String("Final"), Actions: []types.ActionDeclaration{invoke("Final", "final")}},
		},
	}
}

// MustFinish waits for the execution to leave InProgress and returns it.
func MustFinish(tb testing.TB, c *cp.Client, name, id string) *types.PipelineExecution {
	tb.Helper()
	var ex *types.PipelineExecution
	require.Eventually(tb, func() bool {
		out, err := c.GetPipelineExecution(context.Background(), &cp.GetPipelineExecutionInput{PipelineName: aws.String(name), PipelineExecutionId: aws.String(id)})
		require.NoError(tb, err)
		ex = out.PipelineExecution
		return ex.Status != types.PipelineExecutionStatusInProgress && ex.Status != types.PipelineExecutionStatusStopping
	}, 10*time.Second, 5*time.Millisecond)
	return ex
}

// MustStart starts an execution with the variables and waits for its end.
func MustStart(tb testing.TB, c *cp.Client, name string, vars map[string]string) *types.PipelineExecution {
	tb.Helper()
	in := &cp.StartPipelineExecutionInput{Name: aws.String(name)}
	for k, v := range vars {
		in.Variables = append(in.Variables, types.PipelineVariable{Name: aws.String(k), Value: aws.String(v)})
	}
	out, err := c.StartPipelineExecution(context.Background(), in)
	require.NoError(tb, err)
	return MustFinish(tb, c, name, aws.ToString(out.PipelineExecutionId))
}

func firstExecution(tb testing.TB, c *cp.Client, name string) string {
	tb.Helper()
	list, err := c.ListPipelineExecutions(context.Background(), &cp.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
	require.NoError(tb, err)
	require.NotEmpty(tb, list.PipelineExecutionSummaries)
	return aws.ToString(list.PipelineExecutionSummaries[len(list.PipelineExecutionSummaries)-1].PipelineExecutionId)
}

func requireAPICode(tb testing.TB, err error, code string) {
	tb.Helper()
	var ae smithy.APIError
	require.ErrorAs(tb, err, &ae)
	require.Equal(tb, code, ae.ErrorCode(), ae.ErrorMessage())
}

func TestSDKRollbackStage(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: flowDeclaration("rb")})
	require.NoError(t, err)
	good := firstExecution(t, b.client, "rb")
	require.Equal(t, types.PipelineExecutionStatusSucceeded, MustFinish(t, b.client, "rb", good).Status)
	bad := MustStart(t, b.client, "rb", map[string]string{"outcome": "fail"})
	require.Equal(t, types.PipelineExecutionStatusFailed, bad.Status)

	rollback := func(stage, target string) (string, error) {
		out, err := b.client.RollbackStage(ctx, &cp.RollbackStageInput{PipelineName: aws.String("rb"),
			StageName: aws.String(stage), TargetPipelineExecutionId: aws.String(target)})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.PipelineExecutionId), nil
	}
	t.Run("Errors", func(t *testing.T) {
		_, err := rollback("Deploy", "00000000-0000-4000-8000-000000000000")
		requireAPICode(t, err, "PipelineExecutionNotFoundException")
		_, err = rollback("Source", good)
		requireAPICode(t, err, "UnableToRollbackStageException")
		_, err = rollback("Deploy", aws.ToString(bad.PipelineExecutionId))
		requireAPICode(t, err, "UnableToRollbackStageException")
		_, err = rollback("Nope", good)
		requireAPICode(t, err, "StageNotFoundException")
		_, err = rollback("Deploy", "not-a-uuid")
		requireAPICode(t, err, "ValidationException")
		_, err = b.client.RollbackStage(ctx, &cp.RollbackStageInput{PipelineName: aws.String("nope"),
			StageName: aws.String("Deploy"), TargetPipelineExecutionId: aws.String(good)})
		requireAPICode(t, err, "PipelineNotFoundException")
	})

	id, err := rollback("Deploy", good)
	require.NoError(t, err)
	ex := MustFinish(t, b.client, "rb", id)
	require.Equal(t, types.PipelineExecutionStatusSucceeded, ex.Status)
	require.Equal(t, types.ExecutionTypeRollback, ex.ExecutionType)
	require.Equal(t, good, aws.ToString(ex.RollbackMetadata.RollbackTargetPipelineExecutionId))
	require.Equal(t, types.TriggerTypeManualRollback, ex.Trigger.TriggerType)
	// It carries the target's source revision (the test source names it after its execution).
	require.Len(t, ex.ArtifactRevisions, 1)
	require.Equal(t, good, aws.ToString(ex.ArtifactRevisions[0].RevisionId))
	// The rollback re-ran Deploy with the target's variables and source artifact.
	require.NotEmpty(t, b.inputsOf(good))
	require.Equal(t, b.inputsOf(good), b.inputsOf(id))
	acts, err := b.client.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("rb"),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(id)}})
	require.NoError(t, err)
	require.Len(t, acts.ActionExecutionDetails, 1)
	require.Equal(t, "ok", acts.ActionExecutionDetails[0].Input.ResolvedConfiguration["FunctionName"])

	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("rb")})
	require.NoError(t, err)
	require.Equal(t, id, aws.ToString(st.StageStates[1].LatestExecution.PipelineExecutionId))
	require.Equal(t, types.ExecutionTypeRollback, st.StageStates[1].LatestExecution.Type)

	_, err = rollback("Deploy", id)
	requireAPICode(t, err, "UnableToRollbackStageException")

	// A target that ran on an older pipeline version is outdated.
	d := flowDeclaration("rb")
	d.Version = aws.Int32(1)
	_, err = b.client.UpdatePipeline(ctx, &cp.UpdatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	_, err = rollback("Deploy", good)
	requireAPICode(t, err, "PipelineExecutionOutdatedException")
}

func TestSDKAutomaticRollback(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	ctx := t.Context()
	d := flowDeclaration("auto")
	d.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback}
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	good := firstExecution(t, b.client, "auto")
	require.Equal(t, types.PipelineExecutionStatusSucceeded, MustFinish(t, b.client, "auto", good).Status)
	bad := MustStart(t, b.client, "auto", map[string]string{"outcome": "fail"})
	require.Equal(t, types.PipelineExecutionStatusFailed, bad.Status)

	var rb types.PipelineExecutionSummary
	require.Eventually(t, func() bool {
		list, err := b.client.ListPipelineExecutions(ctx, &cp.ListPipelineExecutionsInput{PipelineName: aws.String("auto")})
		require.NoError(t, err)
		rb = list.PipelineExecutionSummaries[0]
		return rb.ExecutionType == types.ExecutionTypeRollback && rb.Status == types.PipelineExecutionStatusSucceeded
	}, 10*time.Second, 5*time.Millisecond)
	require.Equal(t, types.TriggerTypeAutomatedRollback, rb.Trigger.TriggerType)
	require.Equal(t, aws.ToString(bad.PipelineExecutionId), aws.ToString(rb.Trigger.TriggerDetail))
	require.Equal(t, good, aws.ToString(rb.RollbackMetadata.RollbackTargetPipelineExecutionId))

	// PARALLEL pipelines cannot roll back.
	d = flowDeclaration("parallel")
	d.ExecutionMode = types.ExecutionModeParallel
	d.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback}
	_, err = b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	var isd *types.InvalidStageDeclarationException
	require.ErrorAs(t, err, &isd)
	require.Equal(t, "Failure conditions with rollback result type cannot be added to a PARALLEL pipeline.", isd.ErrorMessage())
}
