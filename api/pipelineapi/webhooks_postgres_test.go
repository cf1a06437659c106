package pipelineapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"

	"stepline/store"
	"stepline/store/postgres/pgtest"
)

// MustOpenPostgres opens a store in a fresh schema of $STEPLINE_TEST_POSTGRES, or
// skips; the schema is dropped at cleanup.
func MustOpenPostgres(tb testing.TB) store.Store {
	tb.Helper()
	return pgtest.Open(tb)
}

// TestPostgresWebhookAndThirdPartyJobAcrossNodes runs two nodes over one PostgreSQL
// schema: a webhook put through one triggers through the other's URL, and a
// third-party job polled from one is answered through the other with its client token.
func TestPostgresWebhookAndThirdPartyJobAcrossNodes(t *testing.T) {
	t.Parallel()
	st := MustOpenPostgres(t)
	a := MustStartNode(t, st, "node-a", func() {})
	b := MustStartNode(t, st, "node-b", func() {})
	ctx := t.Context()

	_, err := a.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("hooked")})
	require.NoError(t, err)
	put, err := a.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: hookDefinition("gh")})
	require.NoError(t, err)
	onB := b.url + strings.TrimPrefix(aws.ToString(put.Webhook.Url), a.url)
	body := []byte(`{"ref":"refs/heads/main"}`)
	status, _ := MustPost(t, onB, body, map[string]string{"X-Hub-Signature-256": sign256("s3cret", body)})
	require.Equal(t, http.StatusOK, status)
	execs := executionsOf(t, a.client, "hooked")
	require.Len(t, execs, 2)
	require.Equal(t, types.TriggerTypeWebhook, execs[0].Trigger.TriggerType)

	job := MustPollThirdParty(t, a.client)
	details, err := b.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: job.ClientId})
	require.NoError(t, err)
	_, err = b.client.AcknowledgeThirdPartyJob(ctx, &cp.AcknowledgeThirdPartyJobInput{JobId: job.JobId, Nonce: details.JobDetails.Nonce, ClientToken: job.ClientId})
	require.NoError(t, err)
	_, err = b.client.PutThirdPartyJobSuccessResult(ctx, &cp.PutThirdPartyJobSuccessResultInput{JobId: job.JobId, ClientToken: job.ClientId,
		CurrentRevision: &types.CurrentRevision{Revision: aws.String("abc"), ChangeIdentifier: aws.String("abc")}})
	require.NoError(t, err)
	_, err = a.client.GetThirdPartyJobDetails(ctx, &cp.GetThirdPartyJobDetailsInput{JobId: job.JobId, ClientToken: job.ClientId})
	requireCode(t, err, "JobNotFoundException", "")
}
