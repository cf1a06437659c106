package pipeline_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/internal/clock"
	"stepline/objects"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/approval"
	"stepline/pipeline/action/codecommit"
	"stepline/pipeline/action/s3source"
	"stepline/pipeline/action/stepfunctions"
	"stepline/pipeline/plan"
	"stepline/repos"
	"stepline/sfn"
	"stepline/store/sqlite"
)

type testBundle struct {
	svc *pipeline.Service
	sfn *sfn.Service
	ctx context.Context
}

// sourceProvider is a stand-in source action that succeeds at once.
var sourceProvider = action.ProviderFunc(func(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
	return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{OutputArtifacts: job.OutputArtifacts}}, nil
})

func setup(t *testing.T) *testBundle {
	t.Helper()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	sf := sfn.New(db, sfn.Config{NodeID: "test"})
	require.NoError(t, sf.Start(t.Context()))
	t.Cleanup(sf.Stop)
	svc := pipeline.New(db, pipeline.Config{
		NodeID:   "test",
		JobPoll:  50 * time.Millisecond,
		JobLease: time.Second,
		Providers: map[plan.ActionTypeID]action.Provider{
			{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:            sourceProvider,
			{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}:      approval.Provider{},
			{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}: &stepfunctions.Provider{Machines: stepfunctions.Local{SFN: sf}},
		},
	})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(svc.Stop)
	return &testBundle{svc: svc, sfn: sf, ctx: stepline.ContextWithIdentity(t.Context(), stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"})}
}

func decl(name string, stages ...plan.Stage) plan.Pipeline {
	src := plan.Stage{Name: "Source", Actions: []plan.Action{{
		Name: "Source", ActionTypeID: plan.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"},
		Configuration:   map[string]string{"S3Bucket": "source-bucket", "S3ObjectKey": "app.zip"},
		OutputArtifacts: []plan.OutputArtifact{{Name: "SourceArtifact"}},
	}}}
	return plan.Pipeline{
		Name: name, RoleARN: "arn:aws:iam::000000000000:role/p",
		ArtifactStore: &plan.ArtifactStore{Type: "S3", Location: "artifacts"},
		Stages:        append([]plan.Stage{src}, stages...),
	}
}

func approvalStage(name string) plan.Stage {
	return plan.Stage{Name: name, Actions: []plan.Action{{
		Name: "Approve", ActionTypeID: plan.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"},
	}}}
}

// waitFor polls the pipeline state until cond holds; the engine runs jobs in the
// background, so the test observes through the same reads an API caller uses.
func waitFor(t *testing.T, b *testBundle, name string, cond func(pipeline.Snapshot) bool) pipeline.Snapshot {
	t.Helper()
	var snap pipeline.Snapshot
	require.Eventually(t, func() bool {
		var err error
		snap, err = b.svc.State(b.ctx, name)
		require.NoError(t, err)
		return cond(snap)
	}, 10*time.Second, 5*time.Millisecond)
	return snap
}

func latest(s pipeline.Snapshot) *plan.Execution {
	return s.Runtime.Executions[len(s.Runtime.Executions)-1]
}

func TestCreateStartsFirstExecutionAndApprovalEndsIt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.CreatePipeline(b.ctx, decl("p1", approvalStage("Approve")), nil)
	require.NoError(t, err)

	snap := waitFor(t, b, "p1", func(s pipeline.Snapshot) bool {
		run := latest(s).Latest("Approve", "Approve")
		return run != nil && run.Token != ""
	})
	e := latest(snap)
	require.Equal(t, "CreatePipeline", e.Trigger.Type)
	run := e.Latest("Approve", "Approve")
	require.NoError(t, b.svc.PutApprovalResult(b.ctx, "p1", "Approve", "Approve", "Approved", "ok", run.Token))
	waitFor(t, b, "p1", func(s pipeline.Snapshot) bool { return latest(s).Status == plan.StatusSucceeded })

	err = b.svc.PutApprovalResult(b.ctx, "p1", "Approve", "Approve", "Approved", "ok", run.Token)
	var se *stepline.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, plan.CodeApprovalAlreadyCompleted, se.Code)
}

func TestCreateRejectsInvalidAndDuplicate(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.CreatePipeline(b.ctx, decl("p"), nil)
	var se *stepline.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, "Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline", se.Message)

	_, err = b.svc.CreatePipeline(b.ctx, decl("p", approvalStage("A")), nil)
	require.NoError(t, err)
	_, err = b.svc.CreatePipeline(b.ctx, decl("p", approvalStage("A")), nil)
	require.ErrorAs(t, err, &se)
	require.Equal(t, "PipelineNameInUseException", se.Code)

	upd, err := b.svc.UpdatePipeline(b.ctx, decl("p", approvalStage("B")))
	require.NoError(t, err)
	require.Equal(t, 2, upd.Version)
	old, _, err := b.svc.GetPipeline(b.ctx, "p", 1)
	require.NoError(t, err)
	require.Equal(t, "A", old.Stages[1].Name)
	_, _, err = b.svc.GetPipeline(b.ctx, "p", 3)
	require.ErrorAs(t, err, &se)
	require.Equal(t, "PipelineVersionNotFoundException", se.Code)

	snap, err := b.svc.State(b.ctx, "p")
	require.NoError(t, err)
	require.Equal(t, plan.StatusCancelled, snap.Runtime.Executions[0].Status)

	require.NoError(t, b.svc.DeletePipeline(b.ctx, "p"))
	_, _, err = b.svc.GetPipeline(b.ctx, "p", 0)
	require.ErrorAs(t, err, &se)
	require.Equal(t, "PipelineNotFoundException", se.Code)
}

func TestStepFunctionsActionRunsStandardExecution(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm, err := b.sfn.StateMachineCreate(b.ctx, sfn.StateMachineCreateParams{
		Name: "HelloWorld", RoleARN: "arn:aws:iam::000000000000:role/sfn",
		Definition: `{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":{"greeting":"hi"},"End":true}}}`,
	})
	require.NoError(t, err)
	invoke := plan.Stage{Name: "Invoke", Actions: []plan.Action{{
		Name: "Run", Namespace: "SFN",
		ActionTypeID:  plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
		Configuration: map[string]string{"StateMachineArn": sm.ARN, "ExecutionNamePrefix": "my-prefix", "Input": `{"x":1}`},
	}}}
	_, err = b.svc.CreatePipeline(b.ctx, decl("sf", invoke), nil)
	require.NoError(t, err)
	snap := waitFor(t, b, "sf", func(s pipeline.Snapshot) bool { return latest(s).Status == plan.StatusSucceeded })
	run := latest(snap).Latest("Invoke", "Run")
	require.Equal(t, "arn:aws:states:us-east-1:000000000000:execution:HelloWorld:my-prefix-"+run.ID, run.Result.ExternalExecutionID)
	require.Equal(t, run.Result.ExternalExecutionID, run.Result.OutputVariables["ExecutionArn"])
	require.Equal(t, sm.ARN, run.Result.OutputVariables["StateMachineArn"])
}

func TestStepFunctionsFailureFailsTheAction(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm, err := b.sfn.StateMachineCreate(b.ctx, sfn.StateMachineCreateParams{
		Name: "Boom", RoleARN: "arn:aws:iam::000000000000:role/sfn",
		Definition: `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Bad","Cause":"it broke"}}}`,
	})
	require.NoError(t, err)
	invoke := plan.Stage{Name: "Invoke", Actions: []plan.Action{{
		Name:          "Run",
		ActionTypeID:  plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
		Configuration: map[string]string{"StateMachineArn": sm.ARN},
	}}}
	_, err = b.svc.CreatePipeline(b.ctx, decl("sf", invoke), nil)
	require.NoError(t, err)
	snap := waitFor(t, b, "sf", func(s pipeline.Snapshot) bool { return latest(s).Status == plan.StatusFailed })
	run := latest(snap).Latest("Invoke", "Run")
	require.Contains(t, run.Result.ErrorMessage, "Bad: it broke")

	// A manual retry starts a new action execution with a new name.
	require.NoError(t, b.svc.RetryStageExecution(b.ctx, "sf", "Invoke", latest(snap).ID, plan.RetryFailedActions))
	snap = waitFor(t, b, "sf", func(s pipeline.Snapshot) bool {
		return latest(s).Status == plan.StatusFailed && latest(s).Stages[1].Attempt == 2
	})
	require.NotEqual(t, run.ID, latest(snap).Latest("Invoke", "Run").ID)
}

func TestStopAbandonAndSupersede(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.CreatePipeline(b.ctx, decl("p", approvalStage("Gate")), nil)
	require.NoError(t, err)
	waitFor(t, b, "p", func(s pipeline.Snapshot) bool { return latest(s).Latest("Gate", "Approve") != nil })
	id2, err := b.svc.StartPipelineExecution(b.ctx, "p", nil, "", nil)
	require.NoError(t, err)
	id3, err := b.svc.StartPipelineExecution(b.ctx, "p", nil, "", nil)
	require.NoError(t, err)
	snap := waitFor(t, b, "p", func(s pipeline.Snapshot) bool {
		e2 := s.Runtime.Find(id2)
		return e2 != nil && e2.Status == plan.StatusSuperseded
	})
	first := snap.Runtime.Executions[0]
	require.NoError(t, b.svc.StopPipelineExecution(b.ctx, "p", first.ID, true, "no"))
	snap = waitFor(t, b, "p", func(s pipeline.Snapshot) bool {
		e3 := s.Runtime.Find(id3)
		return e3.Latest("Gate", "Approve") != nil
	})
	require.Equal(t, plan.StatusStopped, snap.Runtime.Executions[0].Status)
	require.Equal(t, plan.StatusAbandoned, snap.Runtime.Executions[0].Latest("Gate", "Approve").Status)

	err = b.svc.StopPipelineExecution(b.ctx, "p", first.ID, false, "")
	var se *stepline.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, plan.CodeExecutionNotStoppable, se.Code)
}

// TestS3SourceFeedsStepFunctionsFilePath is the Step Functions tutorial: an S3 source
// zip holds the execution input, the invoke action reads it with InputType FilePath
// and stores the execution output as its output artifact.
func TestS3SourceFeedsStepFunctionsFilePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	obj := objects.New(objects.Config{Store: db, Blobs: blobs})
	arts := action.Objects{S: obj, CreateBuckets: true}
	sf := sfn.New(db, sfn.Config{NodeID: "test"})
	require.NoError(t, sf.Start(t.Context()))
	t.Cleanup(sf.Stop)
	svc := pipeline.New(db, pipeline.Config{NodeID: "test", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:            s3source.Provider{Objects: arts},
		{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}: &stepfunctions.Provider{Machines: stepfunctions.Local{SFN: sf}, Artifacts: arts},
	}})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(svc.Stop)
	ctx := stepline.ContextWithIdentity(t.Context(), stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"})

	_, err = obj.CreateBucket(ctx, "source-bucket", "", "")
	require.NoError(t, err)
	require.NoError(t, obj.SetVersioning(ctx, "source-bucket", objects.VersioningEnabled))
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, err := zw.Create("input.json")
	require.NoError(t, err)
	_, err = w.Write([]byte(`{"IsHelloWorldExample": true}`))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	_, err = obj.PutObject(ctx, objects.PutParams{Bucket: "source-bucket", Key: "app.zip", Body: bytes.NewReader(zbuf.Bytes()), Size: int64(zbuf.Len())})
	require.NoError(t, err)

	sm, err := sf.StateMachineCreate(ctx, sfn.StateMachineCreateParams{
		Name: "HelloWorld", RoleARN: "arn:aws:iam::000000000000:role/sfn",
		Definition: `{"StartAt":"Echo","States":{"Echo":{"Type":"Pass","Parameters":{"hello.$":"$.IsHelloWorldExample"},"End":true}}}`,
	})
	require.NoError(t, err)
	p := decl("tutorial", plan.Stage{Name: "Invoke", Actions: []plan.Action{{
		Name:           "Invoke",
		ActionTypeID:   plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
		Configuration:  map[string]string{"StateMachineArn": sm.ARN, "InputType": "FilePath", "Input": "input.json"},
		InputArtifacts: []plan.ArtifactName{{Name: "SourceArtifact"}}, OutputArtifacts: []plan.OutputArtifact{{Name: "Result"}},
	}}})
	_, err = svc.CreatePipeline(ctx, p, nil)
	require.NoError(t, err)

	// A new source object starts the pipeline again.
	started, err := svc.S3SourceChanged(ctx, "source-bucket", "app.zip")
	require.NoError(t, err)
	require.Len(t, started, 1)
	none, err := svc.S3SourceChanged(ctx, "source-bucket", "other.zip")
	require.NoError(t, err)
	require.Empty(t, none)

	var snap pipeline.Snapshot
	require.Eventually(t, func() bool {
		snap, err = svc.State(ctx, "tutorial")
		require.NoError(t, err)
		return !snap.Runtime.Executions[0].Active()
	}, 10*time.Second, 5*time.Millisecond)
	e := snap.Runtime.Executions[0]
	require.Equal(t, plan.StatusSucceeded, e.Status, "%+v", e.Actions[len(e.Actions)-1].Result)
	src := e.Latest("Source", "Source")
	require.NotEmpty(t, src.Result.OutputVariables["VersionId"])
	run := e.Latest("Invoke", "Invoke")
	require.Len(t, run.Result.OutputArtifacts, 1)
	loc := run.Result.OutputArtifacts[0]
	require.Equal(t, "artifacts", loc.Bucket)
	rc, _, err := arts.GetObject(ctx, loc.Bucket, loc.Key, "")
	require.NoError(t, err)
	data, err := io.ReadAll(rc)
	require.NoError(t, rc.Close())
	require.NoError(t, err)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	require.Equal(t, stepfunctions.OutputFile, zr.File[0].Name)
	f, err := zr.File[0].Open()
	require.NoError(t, err)
	out, err := io.ReadAll(f)
	require.NoError(t, err)
	require.JSONEq(t, `{"hello": true}`, string(out))
}

func TestApprovalTimesOut(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	fake := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := pipeline.New(db, pipeline.Config{NodeID: "test", Clock: fake, Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:       sourceProvider,
		{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}: approval.Provider{},
	}})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(svc.Stop)
	ctx := t.Context()
	st := approvalStage("Gate")
	st.Actions[0].TimeoutInMinutes = 5
	_, err = svc.CreatePipeline(ctx, decl("p", st), nil)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		snap, err := svc.State(ctx, "p")
		require.NoError(t, err)
		run := latest(snap).Latest("Gate", "Approve")
		return run != nil && run.Result.Summary == "" && run.Status == plan.StatusInProgress
	}, 10*time.Second, 5*time.Millisecond)

	// Advance in steps: the job loop sleeps on the fake clock between looks.
	require.Eventually(t, func() bool {
		fake.Advance(time.Minute)
		snap, err := svc.State(ctx, "p")
		require.NoError(t, err)
		return latest(snap).Status == plan.StatusFailed
	}, 10*time.Second, 5*time.Millisecond)
	snap, err := svc.State(ctx, "p")
	require.NoError(t, err)
	require.Equal(t, "The action timed out", latest(snap).Latest("Gate", "Approve").Result.ErrorMessage)
	require.True(t, fake.Now().Sub(latest(snap).StartTime) >= 5*time.Minute)
}

// TestJobResumesAfterRestart stops a node in the middle of an action; a new node over
// the same database takes the job once the dead node's lease lapses and finishes it.
func TestJobResumesAfterRestart(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	started := make(chan struct{}, 1)
	hang := action.ProviderFunc(func(ctx context.Context, _ action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
		started <- struct{}{}
		<-ctx.Done()
		return action.Outcome{}, ctx.Err()
	})
	succeed := action.ProviderFunc(func(context.Context, action.Job, func(plan.ActionResult)) (action.Outcome, error) {
		return action.Outcome{Status: action.Succeeded}, nil
	})
	invokeID := plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}
	cfg := func(p action.Provider) pipeline.Config {
		return pipeline.Config{JobLease: 300 * time.Millisecond, JobPoll: 20 * time.Millisecond, Providers: map[plan.ActionTypeID]action.Provider{
			{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}: sourceProvider, invokeID: p,
		}}
	}
	first := pipeline.New(db, cfg(hang))
	require.NoError(t, first.Start(t.Context()))
	ctx := t.Context()
	_, err = first.CreatePipeline(ctx, decl("p", plan.Stage{Name: "Invoke", Actions: []plan.Action{{
		Name: "Run", ActionTypeID: invokeID, Configuration: map[string]string{"StateMachineArn": "arn"},
	}}}), nil)
	require.NoError(t, err)
	<-started
	first.Stop() // the job stays leased to a node that is gone

	second := pipeline.New(db, cfg(succeed))
	require.NoError(t, second.Start(t.Context()))
	t.Cleanup(second.Stop)
	require.Eventually(t, func() bool {
		snap, err := second.State(ctx, "p")
		require.NoError(t, err)
		return latest(snap).Status == plan.StatusSucceeded
	}, 10*time.Second, 10*time.Millisecond)
}

// TestCodeCommitSourceFeedsStepFunctions pushes a file to a repository and has the
// pipeline pass it to a state machine: CodeCommit source, then FilePath input.
func TestCodeCommitSourceFeedsStepFunctions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	arts := action.Objects{S: objects.New(objects.Config{Store: db, Blobs: blobs}), CreateBuckets: true}
	rs, err := repos.New(repos.Config{Store: db, Dir: filepath.Join(dir, "repos")})
	require.NoError(t, err)
	sf := sfn.New(db, sfn.Config{NodeID: "test"})
	require.NoError(t, sf.Start(t.Context()))
	t.Cleanup(sf.Stop)
	svc := pipeline.New(db, pipeline.Config{NodeID: "test", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"}:    codecommit.Provider{Repos: rs, Artifacts: arts},
		{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}: &stepfunctions.Provider{Machines: stepfunctions.Local{SFN: sf}, Artifacts: arts},
	}})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(svc.Stop)
	ctx := stepline.ContextWithIdentity(t.Context(), stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"})

	_, err = rs.CreateRepository(ctx, repos.CreateRepositoryParams{Name: "app"})
	require.NoError(t, err)
	_, _, _, err = rs.PutFile(ctx, repos.PutFileParams{Repository: "app", Branch: "main", Path: "input.json",
		Content: []byte(`{"n": 41}`), Message: "first input", Name: "dev", Email: "dev@example.com"})
	require.NoError(t, err)
	sm, err := sf.StateMachineCreate(ctx, sfn.StateMachineCreateParams{
		Name: "Inc", RoleARN: "arn:aws:iam::000000000000:role/sfn",
		Definition: `{"StartAt":"Inc","States":{"Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"End":true}}}`,
	})
	require.NoError(t, err)
	p := decl("cc", plan.Stage{Name: "Invoke", Actions: []plan.Action{{
		Name: "Invoke", ActionTypeID: plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
		Configuration:  map[string]string{"StateMachineArn": sm.ARN, "InputType": "FilePath", "Input": "input.json"},
		InputArtifacts: []plan.ArtifactName{{Name: "SourceArtifact"}},
	}}})
	p.Stages[0].Actions[0].ActionTypeID.Provider = "CodeCommit"
	p.Stages[0].Actions[0].Configuration = map[string]string{"RepositoryName": "app", "BranchName": "main"}
	_, err = svc.CreatePipeline(ctx, p, nil)
	require.NoError(t, err)

	var snap pipeline.Snapshot
	require.Eventually(t, func() bool {
		snap, err = svc.State(ctx, "cc")
		require.NoError(t, err)
		return !snap.Runtime.Executions[0].Active()
	}, 10*time.Second, 5*time.Millisecond)
	e := snap.Runtime.Executions[0]
	require.Equal(t, plan.StatusSucceeded, e.Status, "%+v", e.Actions[len(e.Actions)-1].Result)
	src := e.Latest("Source", "Source").Result
	require.Equal(t, "first input", src.Summary)
	require.Len(t, src.OutputVariables["CommitId"], 40)
	out, err := sf.DescribeExecution(ctx, e.Latest("Invoke", "Invoke").Result.ExternalExecutionID)
	require.NoError(t, err)
	require.JSONEq(t, `{"n": 42}`, *out.Output)

	started, err := svc.BranchChanged(ctx, "app", "main")
	require.NoError(t, err)
	require.Len(t, started, 1)

	// A source revision override fetches the first commit again after a newer one.
	first := src.OutputVariables["CommitId"]
	_, _, _, err = rs.PutFile(ctx, repos.PutFileParams{Repository: "app", Branch: "main", Path: "input.json",
		Content: []byte(`{"n": 99}`), ParentCommitID: first, Message: "second input", Name: "dev", Email: "dev@example.com"})
	require.NoError(t, err)
	_, err = svc.StartPipelineExecution(ctx, "cc", nil, "", []plan.SourceRevision{{ActionName: "Source", RevisionType: "S3_OBJECT_KEY", RevisionValue: "x"}})
	require.Error(t, err)
	id, err := svc.StartPipelineExecution(ctx, "cc", nil, "", []plan.SourceRevision{{ActionName: "Source", RevisionType: "COMMIT_ID", RevisionValue: first}})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		snap, err = svc.State(ctx, "cc")
		require.NoError(t, err)
		return snap.Runtime.Find(id) != nil && !snap.Runtime.Find(id).Active()
	}, 10*time.Second, 5*time.Millisecond)
	e = snap.Runtime.Find(id)
	require.Equal(t, plan.StatusSucceeded, e.Status)
	require.Equal(t, first, e.Latest("Source", "Source").Result.OutputVariables["CommitId"])
	out, err = sf.DescribeExecution(ctx, e.Latest("Invoke", "Invoke").Result.ExternalExecutionID)
	require.NoError(t, err)
	require.JSONEq(t, `{"n": 42}`, *out.Output)
}

// TestConcurrentUpdatesKeepEveryVersion updates a pipeline from several goroutines:
// each update gets its own version and every version keeps its own declaration.
func TestConcurrentUpdatesKeepEveryVersion(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.svc.CreatePipeline(b.ctx, decl("p", approvalStage("S0")), nil)
	require.NoError(t, err)
	const n = 8
	errs := make(chan error, n)
	for i := 1; i <= n; i++ {
		go func() {
			_, err := b.svc.UpdatePipeline(b.ctx, decl("p", approvalStage(fmt.Sprintf("S%d", i))))
			errs <- err
		}()
	}
	for i := 0; i < n; i++ {
		require.NoError(t, <-errs)
	}
	seen := map[string]bool{}
	for v := 1; v <= n+1; v++ {
		p, _, err := b.svc.GetPipeline(b.ctx, "p", v)
		require.NoError(t, err)
		require.Equal(t, v, p.Version)
		seen[p.Stages[1].Name] = true
	}
	require.Len(t, seen, n+1)

	require.NoError(t, b.svc.DeletePipeline(b.ctx, "p"))
	_, err = b.svc.CreatePipeline(b.ctx, decl("p", approvalStage("Fresh")), nil)
	require.NoError(t, err)
	p, _, err := b.svc.GetPipeline(b.ctx, "p", 0)
	require.NoError(t, err)
	require.Equal(t, 1, p.Version)
	require.Equal(t, "Fresh", p.Stages[1].Name)
}

func TestStepFunctionsExpressSucceedsOnStart(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sm, err := b.sfn.StateMachineCreate(b.ctx, sfn.StateMachineCreateParams{
		Name: "Fast", Type: "EXPRESS", RoleARN: "arn:aws:iam::000000000000:role/sfn",
		Definition: `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Ignored"}}}`,
	})
	require.NoError(t, err)
	_, err = b.svc.CreatePipeline(b.ctx, decl("ex", plan.Stage{Name: "Invoke", Actions: []plan.Action{{
		Name: "Run", ActionTypeID: plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
		Configuration: map[string]string{"StateMachineArn": sm.ARN},
	}}}), nil)
	require.NoError(t, err)
	snap := waitFor(t, b, "ex", func(s pipeline.Snapshot) bool { return !latest(s).Active() })
	run := latest(snap).Latest("Invoke", "Run")
	require.Equal(t, plan.StatusSucceeded, run.Status, run.Result.ErrorMessage)
	require.Equal(t, sm.ARN, run.Result.OutputVariables["StateMachineArn"])
	require.NotContains(t, run.Result.OutputVariables, "ExecutionArn")
}
