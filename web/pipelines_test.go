package web_test

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/pipeline"
	"stepline/pipeline/plan"
	"stepline/sfn"
	"stepline/store/sqlite"
	"stepline/web"
)

func TestPipelineListShowsLatestStatus(t *testing.T) {
	t.Parallel()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	// Neither service is started: the pipeline's first execution stays in progress,
	// which is what the list should say.
	pl := pipeline.New(st, pipeline.Config{NodeID: "test"})
	b := &testBundle{svc: sfn.New(st, sfn.Config{NodeID: "test"})}
	c, err := web.NewConsole(web.Deps{SFN: b.svc, Pipelines: pl})
	require.NoError(t, err)
	b.console = c

	code, body := b.get(t, "/_console/pipelines")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "No pipelines")

	_, err = pl.CreatePipeline(t.Context(), plan.Pipeline{
		Name: "release", RoleARN: "arn:aws:iam::000000000000:role/p",
		ArtifactStore: &plan.ArtifactStore{Type: "S3", Location: "artifacts"},
		Stages: []plan.Stage{
			{Name: "Source", Actions: []plan.Action{{
				Name: "Source", ActionTypeID: plan.ActionTypeID{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"},
				Configuration:   map[string]string{"S3Bucket": "src", "S3ObjectKey": "app.zip"},
				OutputArtifacts: []plan.OutputArtifact{{Name: "Src"}},
			}}},
			{Name: "Approve", Actions: []plan.Action{{
				Name: "Approve", ActionTypeID: plan.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"},
			}}},
		},
	}, nil)
	require.NoError(t, err)
	code, body = b.get(t, "/_console/pipelines")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<td><a href="/_console/pipelines/release">release</a></td>`)
	require.Contains(t, body, "In progress")
}
