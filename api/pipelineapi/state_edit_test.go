package pipelineapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// TestSDKStateAfterReplacingAStage: after an update that replaces the second stage
// (the tutorial's edit), the new stage has no latest execution of its own, while the
// Source stage keeps the run it had, matched by name.
func TestSDKStateAfterReplacingAStage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("edited")})
	require.NoError(t, err)
	var first string
	require.Eventually(t, func() bool {
		st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("edited")})
		require.NoError(t, err)
		if le := st.StageStates[1].LatestExecution; le != nil {
			first = aws.ToString(le.PipelineExecutionId)
			return true
		}
		return false
	}, 10*time.Second, 5*time.Millisecond)

	d := declaration("edited")
	d.Version = aws.Int32(1)
	d.Stages[1].Name = aws.String("Review")
	d.Stages[1].Actions[0].Name = aws.String("Review")
	_, err = b.client.UpdatePipeline(ctx, &cp.UpdatePipelineInput{Pipeline: d})
	require.NoError(t, err)

	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("edited")})
	require.NoError(t, err)
	require.Equal(t, "Source", aws.ToString(st.StageStates[0].StageName))
	require.NotNil(t, st.StageStates[0].LatestExecution)
	require.Equal(t, first, aws.ToString(st.StageStates[0].LatestExecution.PipelineExecutionId))
	require.Equal(t, types.StageExecutionStatusSucceeded, st.StageStates[0].LatestExecution.Status)
	require.Equal(t, "Review", aws.ToString(st.StageStates[1].StageName))
	require.Nil(t, st.StageStates[1].LatestExecution)
}
