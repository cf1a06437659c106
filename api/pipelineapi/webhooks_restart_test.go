package pipelineapi_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// TestSDKWebhooksAndThirdPartyJobsSurviveRestart stops the server and starts a new
// one on the same SQLite file: the webhook (and its URL), a handed-out third-party job
// with its client token, and an updated action type are all still there.
func TestSDKWebhooksAndThirdPartyJobsSurviveRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	a := MustStartServer(t, path)
	ctx := t.Context()
	_, err := a.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("hooked")})
	require.NoError(t, err)
	put, err := a.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: hookDefinition("gh")})
	require.NoError(t, err)
	_, err = a.client.RegisterWebhookWithThirdParty(ctx, &cp.RegisterWebhookWithThirdPartyInput{WebhookName: aws.String("gh")})
	require.NoError(t, err)
	gh, err := a.client.GetActionType(ctx, &cp.GetActionTypeInput{Category: types.ActionCategorySource, Owner: aws.String("ThirdParty"),
		Provider: aws.String("GitHub"), Version: aws.String("1")})
	require.NoError(t, err)
	gh.ActionType.Description = aws.String("updated before the restart")
	_, err = a.client.UpdateActionType(ctx, &cp.UpdateActionTypeInput{ActionType: gh.ActionType})
	require.NoError(t, err)
	job := MustPollThirdParty(t, a.client)
	a.stop()

	b := MustStartServer(t, path)
	list, err := b.client.ListWebhooks(ctx, &cp.ListWebhooksInput{})
	require.NoError(t, err)
	require.Len(t, list.Webhooks, 1)
	oldURL := aws.ToString(put.Webhook.Url)
	newURL := aws.ToString(list.Webhooks[0].Url)
	require.Equal(t, strings.TrimPrefix(oldURL, a.url), strings.TrimPrefix(newURL, b.url), "same path and token on the new server")

	details, err := b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: job.ClientId})
	require.NoError(t, err)
	require.Equal(t, "main", details.JobDetails.Data.ActionConfiguration.Configuration["Branch"])
	got, err := b.client.GetActionType(ctx, &cp.GetActionTypeInput{Category: types.ActionCategorySource, Owner: aws.String("ThirdParty"),
		Provider: aws.String("GitHub"), Version: aws.String("1")})
	require.NoError(t, err)
	require.Equal(t, "updated before the restart", aws.ToString(got.ActionType.Description))

	body := []byte(`{"ref":"refs/heads/main"}`)
	status, _ := MustPost(t, newURL, body, map[string]string{"X-Hub-Signature-256": sign256("s3cret", body)})
	require.Equal(t, http.StatusOK, status)
	execs := executionsOf(t, b.client, "hooked")
	require.Len(t, execs, 2)
	require.Equal(t, types.TriggerTypeWebhook, execs[0].Trigger.TriggerType)
}
