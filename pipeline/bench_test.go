package pipeline_test

import (
	"context"
	"path/filepath"
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
