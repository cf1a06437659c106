package pipeline_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/stepfunctions"
	"stepline/pipeline/plan"
	"stepline/sfn"
	"stepline/store/sqlite"
)

// signalMachines reports each StartExecution, so the benchmark can time "Release
// change" to the Step Functions execution started (DESIGN.md §6: < 50 ms).
type signalMachines struct {
	stepfunctions.StateMachines
	started chan time.Time
}

func (m signalMachines) StartExecution(ctx context.Context, arn, name, input string) (string, error) {
	out, err := m.StateMachines.StartExecution(ctx, arn, name, input)
	m.started <- time.Now()
	return out, err
}

func BenchmarkReleaseChangeToExecutionStarted(b *testing.B) {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "db.sqlite"))
	require.NoError(b, err)
	defer db.Close()
	sf := sfn.New(db, sfn.Config{NodeID: "bench"})
	require.NoError(b, sf.Start(context.Background()))
	defer sf.Stop()
	m := signalMachines{StateMachines: stepfunctions.Local{SFN: sf}, started: make(chan time.Time, 1)}
	svc := pipeline.New(db, pipeline.Config{NodeID: "bench", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:            sourceProvider,
		{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}: &stepfunctions.Provider{Machines: m},
	}})
	require.NoError(b, svc.Start(context.Background()))
	defer svc.Stop()
	ctx := stepline.ContextWithIdentity(context.Background(), stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"})
	sm, err := sf.StateMachineCreate(ctx, sfn.StateMachineCreateParams{
		Name: "P", RoleARN: "arn:aws:iam::000000000000:role/sfn",
		Definition: `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`,
	})
	require.NoError(b, err)
	_, err = svc.CreatePipeline(ctx, decl("bench", plan.Stage{Name: "Invoke", Actions: []plan.Action{{
		Name: "Run", ActionTypeID: plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
		Configuration: map[string]string{"StateMachineArn": sm.ARN},
	}}}), nil)
	require.NoError(b, err)
	<-m.started
	waitIdle(b, svc, ctx)

	var total, startCall time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		_, err := svc.StartPipelineExecution(ctx, "bench", nil, "", nil)
		require.NoError(b, err)
		startCall += time.Since(t0)
		total += (<-m.started).Sub(t0)
		b.StopTimer()
		waitIdle(b, svc, ctx)
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms/start-to-sfn")
	b.ReportMetric(float64(startCall.Microseconds())/float64(b.N)/1000, "ms/start-call")
}

// waitIdle waits until no execution of the benchmark pipeline is running.
func waitIdle(b *testing.B, svc *pipeline.Service, ctx context.Context) {
	b.Helper()
	require.Eventually(b, func() bool {
		snap, err := svc.State(ctx, "bench")
		require.NoError(b, err)
		for _, e := range snap.Runtime.Executions {
			if e.Active() {
				return false
			}
		}
		return true
	}, 10*time.Second, time.Millisecond)
}

// trivialStage is a stage of one action of the given type that needs the source
// artifact and configuration key.
func trivialStage(name, category, provider, key string) plan.Stage {
	return plan.Stage{Name: name, Actions: []plan.Action{{
		Name: name, ActionTypeID: plan.ActionTypeID{Category: category, Owner: "AWS", Provider: provider, Version: "1"},
		Configuration:  map[string]string{key: "x", "Extract": "true"},
		InputArtifacts: []plan.ArtifactName{{Name: "SourceArtifact"}},
	}}}
}

// benchService is a pipeline service over SQLite whose S3 source, CodeBuild and S3
// deploy actions succeed at once; done receives each finished deploy's execution id.
func benchService(b *testing.B, done chan<- string) (*pipeline.Service, context.Context) {
	b.Helper()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "db.sqlite"))
	require.NoError(b, err)
	b.Cleanup(func() { _ = db.Close() })
	deploy := action.ProviderFunc(func(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
		done <- job.ExecutionID
		return action.Outcome{Status: action.Succeeded}, nil
	})
	svc := pipeline.New(db, pipeline.Config{NodeID: "bench", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:       sourceProvider,
		{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"}: sourceProvider,
		{Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1"}:       deploy,
	}})
	require.NoError(b, svc.Start(context.Background()))
	b.Cleanup(svc.Stop)
	ctx := stepline.ContextWithIdentity(context.Background(), stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"})
	return svc, ctx
}

// threeStages is the benchmark pipeline: S3 source, CodeBuild, S3 deploy, in mode.
func threeStages(mode string) plan.Pipeline {
	p := decl("bench", trivialStage("Build", "Build", "CodeBuild", "ProjectName"), trivialStage("Deploy", "Deploy", "S3", "BucketName"))
	p.PipelineType, p.ExecutionMode = plan.PipelineTypeV2, mode
	return p
}

// mustSucceeded waits until the execution is Succeeded.
func mustSucceeded(b *testing.B, svc *pipeline.Service, ctx context.Context, id string) {
	b.Helper()
	for {
		e, _, err := svc.Execution(ctx, "bench", id)
		require.NoError(b, err)
		if e.Status == plan.StatusSucceeded {
			return
		}
		require.True(b, e.Active(), "execution %s ended %s", id, e.Status)
		// Reading the runtime competes with the engine for the store: poll gently.
		time.Sleep(100 * time.Microsecond)
	}
}

// BenchmarkPipelineExecutionLatency runs one 3-stage execution at a time and reports
// the median and 90th percentile from StartPipelineExecution to Succeeded.
func BenchmarkPipelineExecutionLatency(b *testing.B) {
	done := make(chan string, 1)
	svc, ctx := benchService(b, done)
	_, err := svc.CreatePipeline(ctx, threeStages(plan.ModeQueued), nil)
	require.NoError(b, err)
	first := <-done
	mustSucceeded(b, svc, ctx, first)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		id, err := svc.StartPipelineExecution(ctx, "bench", nil, "", nil)
		require.NoError(b, err)
		require.Equal(b, id, <-done)
		mustSucceeded(b, svc, ctx, id)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms/p50-start-to-succeeded")
	b.ReportMetric(float64(lat[len(lat)*9/10].Microseconds())/1000, "ms/p90-start-to-succeeded")
}

// BenchmarkPipelineExecutionThroughput keeps up to 1, 4 or 16 executions of a
// PARALLEL 3-stage pipeline running and reports finished executions per second.
func BenchmarkPipelineExecutionThroughput(b *testing.B) {
	for _, inFlight := range []int{1, 4, 16} {
		b.Run(fmt.Sprintf("InFlight%d", inFlight), func(b *testing.B) { benchThroughput(b, inFlight) })
	}
}

func benchThroughput(b *testing.B, inFlight int) {
	done := make(chan string, inFlight+1)
	svc, ctx := benchService(b, done)
	_, err := svc.CreatePipeline(ctx, threeStages(plan.ModeParallel), nil)
	require.NoError(b, err)
	mustSucceeded(b, svc, ctx, <-done)
	b.ResetTimer()
	t0 := time.Now()
	slots := make(chan struct{}, inFlight)
	allDone := make(chan struct{})
	var ids []string
	go func() {
		defer close(allDone)
		for range b.N {
			<-done
			<-slots
		}
	}()
	for range b.N {
		slots <- struct{}{}
		id, err := svc.StartPipelineExecution(ctx, "bench", nil, "", nil)
		require.NoError(b, err)
		ids = append(ids, id)
	}
	<-allDone
	for _, id := range ids {
		mustSucceeded(b, svc, ctx, id)
	}
	elapsed := time.Since(t0)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "executions/s")
}

// BenchmarkListPipelineExecutions reads the newest page (100) of a pipeline with
// 10,000 executions, almost all of them in the archive.
func BenchmarkListPipelineExecutions(b *testing.B) {
	const total = 10_000
	done := make(chan string, 1)
	svc, ctx := benchService(b, done)
	_, err := svc.CreatePipeline(ctx, threeStages(plan.ModeQueued), nil)
	require.NoError(b, err)
	mustSucceeded(b, svc, ctx, <-done)
	snap, err := svc.State(ctx, "bench")
	require.NoError(b, err)
	model := *snap.Runtime.Executions[0]
	start := time.Now().Add(-time.Hour)
	batch := make([]*plan.Execution, 0, 500)
	for i := range total - 1 {
		e := model
		e.ID = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		e.StartTime = start.Add(time.Duration(i) * time.Millisecond)
		batch = append(batch, &e)
		if len(batch) == cap(batch) || i == total-2 {
			require.NoError(b, pipeline.ArchiveExecutions(ctx, svc, "bench", batch))
			batch = batch[:0]
		}
	}
	b.Run("FirstPage", func(b *testing.B) {
		for range b.N {
			pg, err := svc.ListExecutions(ctx, "bench", pipeline.ExecutionPageParams{Limit: 100})
			require.NoError(b, err)
			require.Len(b, pg.Executions, 100)
		}
	})
	b.Run("EveryPage", func(b *testing.B) {
		for range b.N {
			n, before := 0, ""
			for {
				pg, err := svc.ListExecutions(ctx, "bench", pipeline.ExecutionPageParams{Before: before, Limit: 100})
				require.NoError(b, err)
				n += len(pg.Executions)
				if pg.Next == "" {
					break
				}
				before = pg.Next
			}
			require.Equal(b, total, n)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000/(total/100), "ms/page")
	})
}
