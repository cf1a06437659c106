package pipelineapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// mustApprovalToken waits until the approval of the pipeline's second stage waits
// and returns its token and the execution it belongs to.
func (b *testBundle) mustApprovalToken(t *testing.T, name string, notExec string) (token, execID string) {
	t.Helper()
	require.Eventually(t, func() bool {
		st, err := b.client.GetPipelineState(t.Context(), &cp.GetPipelineStateInput{Name: aws.String(name)})
		require.NoError(t, err)
		s := st.StageStates[1]
		if s.LatestExecution == nil || s.ActionStates[0].LatestExecution == nil {
			return false
		}
		le := s.ActionStates[0].LatestExecution
		if le.Token == nil || le.Status != types.ActionExecutionStatusInProgress {
			return false
		}
		token, execID = aws.ToString(le.Token), aws.ToString(s.LatestExecution.PipelineExecutionId)
		return execID != notExec
	}, 10*time.Second, 5*time.Millisecond)
	return token, execID
}

func (b *testBundle) mustStatus(t *testing.T, name, execID string, want types.PipelineExecutionStatus) {
	t.Helper()
	require.Eventually(t, func() bool {
		out, err := b.client.GetPipelineExecution(t.Context(), &cp.GetPipelineExecutionInput{PipelineName: aws.String(name), PipelineExecutionId: aws.String(execID)})
		require.NoError(t, err)
		return out.PipelineExecution.Status == want
	}, 10*time.Second, 5*time.Millisecond)
}

func TestSDKStopPipelineExecution(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("stop")})
	require.NoError(t, err)
	_, execID := b.mustApprovalToken(t, "stop", "")

	out, err := b.client.StopPipelineExecution(ctx, &cp.StopPipelineExecutionInput{PipelineName: aws.String("stop"),
		PipelineExecutionId: aws.String(execID), Abandon: true, Reason: aws.String("not today")})
	require.NoError(t, err)
	require.Equal(t, execID, aws.ToString(out.PipelineExecutionId))
	b.mustStatus(t, "stop", execID, types.PipelineExecutionStatusStopped)
	list, err := b.client.ListPipelineExecutions(ctx, &cp.ListPipelineExecutionsInput{PipelineName: aws.String("stop")})
	require.NoError(t, err)
	require.Equal(t, "not today", aws.ToString(list.PipelineExecutionSummaries[0].StopTrigger.Reason))

	_, err = b.client.StopPipelineExecution(ctx, &cp.StopPipelineExecutionInput{PipelineName: aws.String("stop"), PipelineExecutionId: aws.String(execID)})
	var notStoppable *types.PipelineExecutionNotStoppableException
	require.ErrorAs(t, err, &notStoppable)
}

func TestSDKRetryStageExecution(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("retry")})
	require.NoError(t, err)
	token, execID := b.mustApprovalToken(t, "retry", "")
	_, err = b.client.PutApprovalResult(ctx, &cp.PutApprovalResultInput{PipelineName: aws.String("retry"), StageName: aws.String("Approve"),
		ActionName: aws.String("Approve"), Token: aws.String(token), Result: &types.ApprovalResult{Status: types.ApprovalStatusRejected, Summary: aws.String("no")}})
	require.NoError(t, err)
	b.mustStatus(t, "retry", execID, types.PipelineExecutionStatusFailed)

	out, err := b.client.RetryStageExecution(ctx, &cp.RetryStageExecutionInput{PipelineName: aws.String("retry"), StageName: aws.String("Approve"),
		PipelineExecutionId: aws.String(execID), RetryMode: types.StageRetryModeFailedActions})
	require.NoError(t, err)
	require.Equal(t, execID, aws.ToString(out.PipelineExecutionId))
	b.mustStatus(t, "retry", execID, types.PipelineExecutionStatusInProgress)
	acts, err := b.client.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("retry"),
		Filter: &types.ActionExecutionFilter{PipelineExecutionId: aws.String(execID)}})
	require.NoError(t, err)
	require.Len(t, acts.ActionExecutionDetails, 3) // the source, the rejected approval and the new one

	_, err = b.client.RetryStageExecution(ctx, &cp.RetryStageExecutionInput{PipelineName: aws.String("retry"), StageName: aws.String("Nope"),
		PipelineExecutionId: aws.String(execID), RetryMode: types.StageRetryModeFailedActions})
	var snf *types.StageNotFoundException
	require.ErrorAs(t, err, &snf)
}

func TestSDKEnableStageTransition(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.DisableStageTransition(ctx, &cp.DisableStageTransitionInput{PipelineName: aws.String("gate"),
		StageName: aws.String("Approve"), TransitionType: types.StageTransitionTypeInbound, Reason: aws.String("freeze")})
	var pnf *types.PipelineNotFoundException
	require.ErrorAs(t, err, &pnf)
	_, err = b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("gate")})
	require.NoError(t, err)
	token, first := b.mustApprovalToken(t, "gate", "")
	_, err = b.client.DisableStageTransition(ctx, &cp.DisableStageTransitionInput{PipelineName: aws.String("gate"),
		StageName: aws.String("Approve"), TransitionType: types.StageTransitionTypeInbound, Reason: aws.String("freeze")})
	require.NoError(t, err)
	_, err = b.client.PutApprovalResult(ctx, &cp.PutApprovalResultInput{PipelineName: aws.String("gate"), StageName: aws.String("Approve"),
		ActionName: aws.String("Approve"), Token: aws.String(token), Result: &types.ApprovalResult{Status: types.ApprovalStatusApproved, Summary: aws.String("ok")}})
	require.NoError(t, err)
	b.mustStatus(t, "gate", first, types.PipelineExecutionStatusSucceeded)
	_, err = b.client.StartPipelineExecution(ctx, &cp.StartPipelineExecutionInput{Name: aws.String("gate")})
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("gate")})
		require.NoError(t, err)
		return st.StageStates[1].InboundExecution != nil
	}, 10*time.Second, 5*time.Millisecond)

	_, err = b.client.EnableStageTransition(ctx, &cp.EnableStageTransitionInput{PipelineName: aws.String("gate"),
		StageName: aws.String("Approve"), TransitionType: types.StageTransitionTypeInbound})
	require.NoError(t, err)
	_, second := b.mustApprovalToken(t, "gate", first)
	require.NotEqual(t, first, second)
	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("gate")})
	require.NoError(t, err)
	require.True(t, st.StageStates[1].InboundTransitionState.Enabled)
	require.Nil(t, st.StageStates[1].InboundExecution)
}

func TestSDKDeleteCustomActionType(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreateCustomActionType(ctx, &cp.CreateCustomActionTypeInput{
		Category: types.ActionCategoryTest, Provider: aws.String("Gone"), Version: aws.String("1"),
		InputArtifactDetails: &types.ArtifactDetails{}, OutputArtifactDetails: &types.ArtifactDetails{},
	})
	require.NoError(t, err)
	listed := func() int {
		out, err := b.client.ListActionTypes(ctx, &cp.ListActionTypesInput{ActionOwnerFilter: types.ActionOwnerCustom})
		require.NoError(t, err)
		return len(out.ActionTypes)
	}
	require.Equal(t, 1, listed())
	_, err = b.client.DeleteCustomActionType(ctx, &cp.DeleteCustomActionTypeInput{
		Category: types.ActionCategoryTest, Provider: aws.String("Gone"), Version: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, 0, listed())
	// A deleted custom action type can no longer be used in a pipeline.
	d := declaration("uses-gone")
	d.Stages[1].Actions[0].ActionTypeId = &types.ActionTypeId{Category: types.ActionCategoryTest, Owner: types.ActionOwnerCustom,
		Provider: aws.String("Gone"), Version: aws.String("1")}
	_, err = b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	var ia *types.InvalidActionDeclarationException
	require.ErrorAs(t, err, &ia)
}
