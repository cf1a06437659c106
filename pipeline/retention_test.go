package pipeline_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/internal/clock"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/store"
	"stepline/store/sqlite"
)

// buildStage is a stage whose one CodeBuild action succeeds at once.
func buildStage() plan.Stage {
	return plan.Stage{Name: "Build", Actions: []plan.Action{{
		Name: "Build", ActionTypeID: plan.ActionTypeID{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"},
		Configuration:  map[string]string{"ProjectName": "p"},
		InputArtifacts: []plan.ArtifactName{{Name: "SourceArtifact"}},
	}}}
}

// mustListAll pages through every execution of a pipeline, limit at a time.
func mustListAll(t *testing.T, svc *pipeline.Service, ctx context.Context, name string, limit int) []*plan.Execution {
	t.Helper()
	var all []*plan.Execution
	before := ""
	for {
		pg, err := svc.ListExecutions(ctx, name, pipeline.ExecutionPageParams{Before: before, Limit: limit})
		require.NoError(t, err)
		require.LessOrEqual(t, len(pg.Executions), limit)
		all = append(all, pg.Executions...)
		if pg.Next == "" {
			return all
		}
		before = pg.Next
	}
}

func TestRetentionArchivesThenExpires(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := pipeline.New(db, pipeline.Config{NodeID: "test", Clock: clk, Retention: 24 * time.Hour,
		Providers: map[plan.ActionTypeID]action.Provider{
			{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:       sourceProvider,
			{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"}: sourceProvider,
		}})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(svc.Stop)
	ctx := stepline.ContextWithIdentity(t.Context(), stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"})
	idle := func() {
		require.Eventually(t, func() bool {
			snap, err := svc.State(ctx, "keep")
			require.NoError(t, err)
			for _, e := range snap.Runtime.Executions {
				if e.Active() {
					return false
				}
			}
			return true
		}, 10*time.Second, time.Millisecond)
	}
	archived := func() int {
		snap, err := svc.State(ctx, "keep")
		require.NoError(t, err)
		recs, err := db.RecordList(ctx, store.RecordListParams{Kind: "pipelineexecution", Parent: runtimeParent(t, db, snap.Meta.PipelineARN)})
		require.NoError(t, err)
		return len(recs)
	}

	_, err = svc.CreatePipeline(ctx, decl("keep", buildStage()), nil)
	require.NoError(t, err)
	idle()
	const runs = 130
	for range runs {
		clk.Advance(time.Second)
		_, err := svc.StartPipelineExecution(ctx, "keep", nil, "", nil)
		require.NoError(t, err)
		idle()
	}
	all := mustListAll(t, svc, ctx, "keep", 17)
	require.Len(t, all, runs+1)
	for i := 1; i < len(all); i++ {
		require.True(t, all[i].StartTime.Before(all[i-1].StartTime))
	}
	require.Equal(t, runs+1-100, archived())
	e, _, err := svc.Execution(ctx, "keep", all[len(all)-1].ID)
	require.NoError(t, err)
	require.Equal(t, "CreatePipeline", e.Trigger.Type)

	// A day later everything so far has expired: the next execution's write drops
	// the runtime's and prunes the archive's.
	clk.Advance(25 * time.Hour)
	id, err := svc.StartPipelineExecution(ctx, "keep", nil, "", nil)
	require.NoError(t, err)
	idle()
	all = mustListAll(t, svc, ctx, "keep", 17)
	require.Len(t, all, 1)
	require.Equal(t, id, all[0].ID)
	require.Equal(t, 0, archived())
	_, _, err = svc.Execution(ctx, "keep", e.ID)
	var se *stepline.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, plan.CodeExecutionNotFound, se.Code)
}

// runtimeParent is the archive's parent for a pipeline: its runtime ARN, read from
// the pipeline's record.
func runtimeParent(t *testing.T, db store.Store, arn string) string {
	t.Helper()
	rec, err := db.RecordGet(t.Context(), "pipeline", arn)
	require.NoError(t, err)
	var doc struct {
		RuntimeARN string `json:"runtimeArn"`
	}
	require.NoError(t, json.Unmarshal(rec.Data, &doc))
	return doc.RuntimeARN
}
