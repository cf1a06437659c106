package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	cptypes "github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"stepline/api/pipelineapi"
	"stepline/api/server"
	"stepline/pipeline/plan"
)

// TestConsoleControlsSeenThroughTheAPI uses the pipeline page's controls and reads the
// result with the real CodePipeline SDK client against the same server, as a script
// watching the pipeline would.
func TestConsoleControlsSeenThroughTheAPI(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	srv := httptest.NewServer(server.New(server.Config{
		CodePipeline: pipelineapi.New(b.pl, pipelineapi.Config{}),
		Console:      b.console,
	}))
	t.Cleanup(srv.Close)
	client := cp.New(cp.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	post := func(path string, form url.Values) int {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return resp.StatusCode
	}
	e, _ := b.waitApproval(t)

	// The approval token the page offers is the one GetPipelineState reports.
	state, err := client.GetPipelineState(t.Context(), &cp.GetPipelineStateInput{Name: aws.String("ops")})
	require.NoError(t, err)
	token := aws.ToString(state.StageStates[1].ActionStates[0].LatestExecution.Token)
	require.NotEmpty(t, token)
	_, page := b.get(t, "/_console/pipelines/ops")
	require.Contains(t, stageHTML(t, page, "Approve"), `name="token" value="`+token+`"`)

	require.Equal(t, http.StatusSeeOther, post("/_console/pipelines/ops/transition", url.Values{"stage": {"Run"}, "reason": {"Freeze"}}))
	state, err = client.GetPipelineState(t.Context(), &cp.GetPipelineStateInput{Name: aws.String("ops")})
	require.NoError(t, err)
	require.False(t, state.StageStates[2].InboundTransitionState.Enabled)
	require.Equal(t, "Freeze", aws.ToString(state.StageStates[2].InboundTransitionState.DisabledReason))

	require.Equal(t, http.StatusSeeOther, post("/_console/pipelines/ops/stop",
		url.Values{"stage": {"Approve"}, "execution": {e.ID}, "mode": {"abandon"}, "reason": {"Wrong revision"}}))
	b.waitFor(t, func(e *plan.Execution) bool { return e.Status == plan.StatusStopped })
	list, err := client.ListPipelineExecutions(t.Context(), &cp.ListPipelineExecutionsInput{PipelineName: aws.String("ops")})
	require.NoError(t, err)
	require.Equal(t, cptypes.PipelineExecutionStatusStopped, list.PipelineExecutionSummaries[0].Status)
	require.Equal(t, "Wrong revision", aws.ToString(list.PipelineExecutionSummaries[0].StopTrigger.Reason))
}
