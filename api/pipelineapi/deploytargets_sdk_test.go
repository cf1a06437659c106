package pipelineapi_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func TestSDKListDeployActionExecutionTargets(t *testing.T) {
	t.Parallel()
	c := mustQuickServer(t)
	ctx := t.Context()
	_, err := c.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: quickDeclaration("targets")})
	require.NoError(t, err)
	var actionID string
	require.Eventually(t, func() bool {
		out, err := c.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("targets")})
		require.NoError(t, err)
		for _, d := range out.ActionExecutionDetails {
			if aws.ToString(d.ActionName) == "Build" && d.Status == types.ActionExecutionStatusSucceeded {
				actionID = aws.ToString(d.ActionExecutionId)
			}
		}
		return actionID != ""
	}, 10*time.Second, 5*time.Millisecond)

	t.Run("KnownActionHasNoTargets", func(t *testing.T) {
		out, err := c.ListDeployActionExecutionTargets(ctx, &cp.ListDeployActionExecutionTargetsInput{
			PipelineName: aws.String("targets"), ActionExecutionId: aws.String(actionID)})
		require.NoError(t, err)
		require.Empty(t, out.Targets)
		require.Nil(t, out.NextToken)
	})
	t.Run("WithoutPipelineName", func(t *testing.T) {
		out, err := c.ListDeployActionExecutionTargets(ctx, &cp.ListDeployActionExecutionTargetsInput{ActionExecutionId: aws.String(actionID)})
		require.NoError(t, err)
		require.Empty(t, out.Targets)
	})
	t.Run("UnknownAction", func(t *testing.T) {
		_, err := c.ListDeployActionExecutionTargets(ctx, &cp.ListDeployActionExecutionTargetsInput{
			PipelineName: aws.String("targets"), ActionExecutionId: aws.String("00000000-0000-4000-8000-000000000000")})
		var nf *types.ActionExecutionNotFoundException
		require.ErrorAs(t, err, &nf)
		require.Equal(t, "The action execution with id '00000000-0000-4000-8000-000000000000' was not found", nf.ErrorMessage())
	})
	t.Run("UnknownPipeline", func(t *testing.T) {
		_, err := c.ListDeployActionExecutionTargets(ctx, &cp.ListDeployActionExecutionTargetsInput{
			PipelineName: aws.String("nope"), ActionExecutionId: aws.String(actionID)})
		var nf *types.PipelineNotFoundException
		require.ErrorAs(t, err, &nf)
	})
	t.Run("BadToken", func(t *testing.T) {
		_, err := c.ListDeployActionExecutionTargets(ctx, &cp.ListDeployActionExecutionTargetsInput{
			PipelineName: aws.String("targets"), ActionExecutionId: aws.String(actionID), NextToken: aws.String("x")})
		var bad *types.InvalidNextTokenException
		require.ErrorAs(t, err, &bad)
	})
}
