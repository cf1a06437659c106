package pipelineapi_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"stepline/api/pipelineapi"
	"stepline/api/server"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/approval"
	"stepline/pipeline/plan"
	"stepline/store"
	"stepline/store/sqlite"
)

// serverBundle is a whole server's CodePipeline half (the API and the webhook URLs
// behind the server's router) over a SQLite file, which a test can stop and start
// again on the same file.
type serverBundle struct {
	client *cp.Client
	url    string
	stop   func()
}

// MustStartServer runs the CodePipeline API and webhook endpoint over the SQLite file
// at path until the test ends or stop is called.
func MustStartServer(tb testing.TB, path string) *serverBundle {
	tb.Helper()
	db, err := sqlite.Open(path)
	require.NoError(tb, err)
	return MustStartNode(tb, db, "test", func() { _ = db.Close() })
}

// MustStartNode runs the CodePipeline API and webhook endpoint over st as node id;
// closeStore runs after the node stops.
func MustStartNode(tb testing.TB, st store.Store, id string, closeStore func()) *serverBundle {
	tb.Helper()
	source := action.ProviderFunc(func(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
		return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{OutputArtifacts: job.OutputArtifacts}}, nil
	})
	svc := pipeline.New(st, pipeline.Config{NodeID: id, Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:       source,
		{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}: approval.Provider{},
	}})
	require.NoError(tb, svc.Start(context.Background()))
	hs := httptest.NewServer(server.New(server.Config{
		CodePipeline: pipelineapi.New(svc, pipelineapi.Config{}),
		Webhooks:     pipelineapi.WebhookHandler(svc, nil),
	}))
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		hs.Close()
		svc.Stop()
		closeStore()
	}
	tb.Cleanup(stop)
	client := cp.New(cp.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(hs.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	return &serverBundle{client: client, url: hs.URL, stop: stop}
}

var gitHubSource = &types.ActionTypeId{Category: types.ActionCategorySource, Owner: types.ActionOwnerThirdParty,
	Provider: aws.String("GitHub"), Version: aws.String("1")}

// gitHubDeclaration is a pipeline whose source is a GitHub (version 1) action on
// branch main, followed by a manual approval.
func gitHubDeclaration(name string) *types.PipelineDeclaration {
	d := declaration(name)
	d.Stages[0].Actions[0].ActionTypeId = gitHubSource
	d.Stages[0].Actions[0].Configuration = map[string]string{"Owner": "octo", "Repo": "app", "Branch": "main", "OAuthToken": "ghp_secret"}
	return d
}

func sign256(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

func sign1(secret string, body []byte) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write(body)
	return "sha1=" + hex.EncodeToString(m.Sum(nil))
}

// MustPost posts body to a webhook URL with the given headers and returns the status
// and body of the answer.
func MustPost(tb testing.TB, u string, body []byte, header map[string]string) (int, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
	require.NoError(tb, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(tb, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(tb, err)
	return resp.StatusCode, string(b)
}

func executionsOf(tb testing.TB, c *cp.Client, name string) []types.PipelineExecutionSummary {
	tb.Helper()
	out, err := c.ListPipelineExecutions(tb.Context(), &cp.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
	require.NoError(tb, err)
	return out.PipelineExecutionSummaries
}

func requireCode(tb testing.TB, err error, code, message string) {
	tb.Helper()
	var ae smithy.APIError
	require.True(tb, errors.As(err, &ae), "want %s, got %v", code, err)
	require.Equal(tb, code, ae.ErrorCode())
	if message != "" {
		require.Equal(tb, message, ae.ErrorMessage())
	}
}

func hookDefinition(name string) *types.WebhookDefinition {
	return &types.WebhookDefinition{
		Name: aws.String(name), TargetPipeline: aws.String("hooked"), TargetAction: aws.String("Source"),
		Filters:                     []types.WebhookFilterRule{{JsonPath: aws.String("$.ref"), MatchEquals: aws.String("refs/heads/{Branch}")}},
		Authentication:              types.WebhookAuthenticationTypeGithubHmac,
		AuthenticationConfiguration: &types.WebhookAuthConfiguration{SecretToken: aws.String("s3cret")},
	}
}

func TestSDKWebhookValidation(t *testing.T) {
	t.Parallel()
	b := MustStartServer(t, filepath.Join(t.TempDir(), "db.sqlite"))
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("hooked")})
	require.NoError(t, err)

	for _, tc := range []struct {
		name          string
		change        func(*types.WebhookDefinition)
		tags          []types.Tag
		code, message string
	}{
		{"PipelineNotFound", func(d *types.WebhookDefinition) { d.TargetPipeline = aws.String("nope") },
			nil, "PipelineNotFoundException", "Account '000000000000' does not have a pipeline with name 'nope'"},
		{"ActionNotSource", func(d *types.WebhookDefinition) { d.TargetAction = aws.String("Approve") },
			nil, "ValidationException", "Webhook target action 'Approve' is not a source action of pipeline 'hooked'"},
		{"HMACWithoutSecret", func(d *types.WebhookDefinition) { d.AuthenticationConfiguration = &types.WebhookAuthConfiguration{} },
			nil, "InvalidWebhookAuthenticationParametersException", "Optional['authenticationConfig' should contain only one property: 'SecretToken']"},
		{"HMACWithIPRange", func(d *types.WebhookDefinition) {
			d.AuthenticationConfiguration.AllowedIPRange = aws.String("10.0.0.0/8")
		},
			nil, "InvalidWebhookAuthenticationParametersException", "Optional['authenticationConfig' should contain only one property: 'SecretToken']"},
		{"IPNotCIDR", func(d *types.WebhookDefinition) {
			d.Authentication = types.WebhookAuthenticationTypeIp
			d.AuthenticationConfiguration = &types.WebhookAuthConfiguration{AllowedIPRange: aws.String("10.0.0.300/8")}
		}, nil, "InvalidWebhookAuthenticationParametersException", "Optional['AllowedIPRange' should be a valid CIDR range: '10.0.0.300/8']"},
		{"UnauthenticatedWithSecret", func(d *types.WebhookDefinition) { d.Authentication = types.WebhookAuthenticationTypeUnauthenticated },
			nil, "InvalidWebhookAuthenticationParametersException", "Optional['authenticationConfig' should be empty for authentication type: 'UNAUTHENTICATED']"},
		{"BadJSONPath", func(d *types.WebhookDefinition) { d.Filters[0].JsonPath = aws.String("ref") },
			nil, "InvalidWebhookFilterPatternException", "The JsonPath 'ref' is not valid: Path must start with '$'"},
		{"UnknownPlaceholder", func(d *types.WebhookDefinition) { d.Filters[0].MatchEquals = aws.String("refs/heads/{Nope}") },
			nil, "InvalidWebhookFilterPatternException", "The MatchEquals value 'refs/heads/{Nope}' refers to 'Nope', which is not a configuration property of action 'Source'"},
		{"BadName", func(d *types.WebhookDefinition) { d.Name = aws.String("bad name") },
			nil, "ValidationException", ""},
		{"SystemTag", func(*types.WebhookDefinition) {}, []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}},
			"InvalidTagsException", ""},
	} {
		d := hookDefinition("gh")
		tc.change(d)
		_, err := b.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: d, Tags: tc.tags})
		requireCode(t, err, tc.code, tc.message)
	}
	// Nothing was stored by the refused calls.
	list, err := b.client.ListWebhooks(ctx, &cp.ListWebhooksInput{})
	require.NoError(t, err)
	require.Empty(t, list.Webhooks)

	_, err = b.client.RegisterWebhookWithThirdParty(ctx, &cp.RegisterWebhookWithThirdPartyInput{WebhookName: aws.String("nope")})
	requireCode(t, err, "WebhookNotFoundException", "")
	_, err = b.client.DeregisterWebhookWithThirdParty(ctx, &cp.DeregisterWebhookWithThirdPartyInput{WebhookName: aws.String("nope")})
	requireCode(t, err, "WebhookNotFoundException", "")
	_, err = b.client.ListWebhooks(ctx, &cp.ListWebhooksInput{NextToken: aws.String("garbage")})
	requireCode(t, err, "InvalidNextTokenException", "")
}

func TestSDKWebhookTrigger(t *testing.T) {
	t.Parallel()
	b := MustStartServer(t, filepath.Join(t.TempDir(), "db.sqlite"))
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("hooked")})
	require.NoError(t, err)
	require.Len(t, executionsOf(t, b.client, "hooked"), 1) // CreatePipeline's

	put, err := b.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: hookDefinition("gh"),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("a")}}})
	require.NoError(t, err)
	hook := put.Webhook
	require.Equal(t, "arn:aws:codepipeline:us-east-1:000000000000:webhook:gh", aws.ToString(hook.Arn))
	require.Nil(t, hook.Definition.AuthenticationConfiguration.SecretToken, "the secret is never shown again")
	require.True(t, strings.HasPrefix(aws.ToString(hook.Url), b.url+"/_webhooks/us-east-1/000000000000/gh?t="), aws.ToString(hook.Url))
	require.Equal(t, pipelineapi.WebhookPath, server.WebhookPath)
	u := aws.ToString(hook.Url)

	push := func(ref string) []byte {
		return []byte(`{"ref":"` + ref + `","after":"abc123","commits":[{"id":"abc123"}]}`)
	}
	main := push("refs/heads/main")

	t.Run("BadSignature", func(t *testing.T) {
		status, _ := MustPost(t, u, main, map[string]string{"X-Hub-Signature-256": sign256("wrong", main)})
		require.Equal(t, http.StatusForbidden, status)
		status, _ = MustPost(t, u, main, nil)
		require.Equal(t, http.StatusForbidden, status)
		status, _ = MustPost(t, u, main, map[string]string{"X-Hub-Signature-256": "sha256=zz"})
		require.Equal(t, http.StatusForbidden, status)
		require.Len(t, executionsOf(t, b.client, "hooked"), 1)
	})
	t.Run("FilterMismatch", func(t *testing.T) {
		other := push("refs/heads/feature")
		status, body := MustPost(t, u, other, map[string]string{"X-Hub-Signature-256": sign256("s3cret", other)})
		require.Equal(t, http.StatusOK, status, body)
		require.Contains(t, body, "did not match")
		ping := []byte(`{"zen":"hi"}`)
		status, _ = MustPost(t, u, ping, map[string]string{"X-Hub-Signature-256": sign256("s3cret", ping)})
		require.Equal(t, http.StatusOK, status)
		require.Len(t, executionsOf(t, b.client, "hooked"), 1)
	})
	t.Run("BadRequests", func(t *testing.T) {
		junk := []byte(`not json`)
		status, _ := MustPost(t, u, junk, map[string]string{"X-Hub-Signature-256": sign256("s3cret", junk)})
		require.Equal(t, http.StatusBadRequest, status)
		status, _ = MustPost(t, strings.Replace(u, "t=", "t=x", 1), main, map[string]string{"X-Hub-Signature-256": sign256("s3cret", main)})
		require.Equal(t, http.StatusNotFound, status)
		status, _ = MustPost(t, b.url+"/_webhooks/us-east-1/000000000000/none?t=x&v=1", main, nil)
		require.Equal(t, http.StatusNotFound, status)
		status, _ = MustPost(t, b.url+"/_webhooks/a/b", main, nil)
		require.Equal(t, http.StatusNotFound, status)
		resp, err := http.Get(u)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
		require.Len(t, executionsOf(t, b.client, "hooked"), 1)
	})

	status, body := MustPost(t, u, main, map[string]string{"X-Hub-Signature-256": sign256("s3cret", main)})
	require.Equal(t, http.StatusOK, status, body)
	require.Contains(t, body, "pipelineExecutionId")
	execs := executionsOf(t, b.client, "hooked")
	require.Len(t, execs, 2)
	require.Equal(t, types.TriggerTypeWebhook, execs[0].Trigger.TriggerType)
	require.Equal(t, aws.ToString(hook.Arn), aws.ToString(execs[0].Trigger.TriggerDetail))

	// The older SHA-1 signature works too, and so does a form-encoded delivery.
	status, _ = MustPost(t, u, main, map[string]string{"X-Hub-Signature": sign1("s3cret", main)})
	require.Equal(t, http.StatusOK, status)
	form := []byte("payload=" + url.QueryEscape(string(main)))
	status, body = MustPost(t, u, form, map[string]string{"X-Hub-Signature-256": sign256("s3cret", form),
		"Content-Type": "application/x-www-form-urlencoded"})
	require.Equal(t, http.StatusOK, status, body)
	require.Len(t, executionsOf(t, b.client, "hooked"), 4)

	list, err := b.client.ListWebhooks(ctx, &cp.ListWebhooksInput{})
	require.NoError(t, err)
	require.Len(t, list.Webhooks, 1)
	require.NotNil(t, list.Webhooks[0].LastTriggered)
	require.Equal(t, u, aws.ToString(list.Webhooks[0].Url))
	require.Equal(t, "a", aws.ToString(list.Webhooks[0].Tags[0].Value))

	// Webhooks take tags through the tagging calls too.
	_, err = b.client.TagResource(ctx, &cp.TagResourceInput{ResourceArn: hook.Arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	require.NoError(t, err)
	_, err = b.client.UntagResource(ctx, &cp.UntagResourceInput{ResourceArn: hook.Arn, TagKeys: []string{"team"}})
	require.NoError(t, err)
	tags, err := b.client.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: hook.Arn})
	require.NoError(t, err)
	require.Len(t, tags.Tags, 1)
	require.Equal(t, "prod", aws.ToString(tags.Tags[0].Value))
	_, err = b.client.TagResource(ctx, &cp.TagResourceInput{ResourceArn: hook.Arn, Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("y")}}})
	requireCode(t, err, "InvalidTagsException", "")
	_, err = b.client.ListTagsForResource(ctx, &cp.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:codepipeline:us-east-1:000000000000:webhook:none")})
	requireCode(t, err, "ResourceNotFoundException", "")

	// Updating the definition keeps the URL.
	d := hookDefinition("gh")
	d.Filters = append(d.Filters, types.WebhookFilterRule{JsonPath: aws.String("$.commits[*].id"), MatchEquals: aws.String("abc123")})
	again, err := b.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: d})
	require.NoError(t, err)
	require.Equal(t, u, aws.ToString(again.Webhook.Url))
	require.Len(t, again.Webhook.Definition.Filters, 2)
	status, _ = MustPost(t, u, main, map[string]string{"X-Hub-Signature-256": sign256("s3cret", main)})
	require.Equal(t, http.StatusOK, status)
	require.Len(t, executionsOf(t, b.client, "hooked"), 5)

	_, err = b.client.RegisterWebhookWithThirdParty(ctx, &cp.RegisterWebhookWithThirdPartyInput{WebhookName: aws.String("gh")})
	require.NoError(t, err)
	_, err = b.client.DeregisterWebhookWithThirdParty(ctx, &cp.DeregisterWebhookWithThirdPartyInput{WebhookName: aws.String("gh")})
	require.NoError(t, err)

	_, err = b.client.DeleteWebhook(ctx, &cp.DeleteWebhookInput{Name: aws.String("gh")})
	require.NoError(t, err)
	_, err = b.client.DeleteWebhook(ctx, &cp.DeleteWebhookInput{Name: aws.String("gh")})
	require.NoError(t, err, "deleting a deleted webhook succeeds")
	status, _ = MustPost(t, u, main, map[string]string{"X-Hub-Signature-256": sign256("s3cret", main)})
	require.Equal(t, http.StatusNotFound, status)
	// Put again under the same name, it has a new URL.
	re, err := b.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: hookDefinition("gh")})
	require.NoError(t, err)
	require.NotEqual(t, u, aws.ToString(re.Webhook.Url))
}

func TestSDKWebhookIPAndUnauthenticated(t *testing.T) {
	t.Parallel()
	b := MustStartServer(t, filepath.Join(t.TempDir(), "db.sqlite"))
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("hooked")})
	require.NoError(t, err)
	urls := map[string]string{}
	for name, auth := range map[string]struct {
		typ types.WebhookAuthenticationType
		cfg *types.WebhookAuthConfiguration
	}{
		"loopback": {types.WebhookAuthenticationTypeIp, &types.WebhookAuthConfiguration{AllowedIPRange: aws.String("127.0.0.0/8")}},
		"office":   {types.WebhookAuthenticationTypeIp, &types.WebhookAuthConfiguration{AllowedIPRange: aws.String("10.0.0.0/8")}},
		"open":     {types.WebhookAuthenticationTypeUnauthenticated, &types.WebhookAuthConfiguration{}},
	} {
		d := hookDefinition(name)
		d.Authentication, d.AuthenticationConfiguration = auth.typ, auth.cfg
		out, err := b.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: d})
		require.NoError(t, err)
		urls[name] = aws.ToString(out.Webhook.Url)
	}
	main := []byte(`{"ref":"refs/heads/main"}`)
	status, _ := MustPost(t, urls["office"], main, nil)
	require.Equal(t, http.StatusForbidden, status)
	status, _ = MustPost(t, urls["loopback"], main, nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = MustPost(t, urls["open"], main, nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, executionsOf(t, b.client, "hooked"), 3)

	// Paging with the capitalised keys.
	page1, err := b.client.ListWebhooks(ctx, &cp.ListWebhooksInput{MaxResults: aws.Int32(2)})
	require.NoError(t, err)
	require.Len(t, page1.Webhooks, 2)
	require.NotNil(t, page1.NextToken)
	page2, err := b.client.ListWebhooks(ctx, &cp.ListWebhooksInput{MaxResults: aws.Int32(2), NextToken: page1.NextToken})
	require.NoError(t, err)
	require.Len(t, page2.Webhooks, 1)
	require.Nil(t, page2.NextToken)

	// A call whose target action is gone (renamed here) fails and the webhook reports
	// why.
	renamed := gitHubDeclaration("hooked")
	renamed.Stages[0].Actions[0].Name = aws.String("GitHub")
	_, err = b.client.UpdatePipeline(ctx, &cp.UpdatePipelineInput{Pipeline: renamed})
	require.NoError(t, err)
	status, _ = MustPost(t, urls["open"], main, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, "ActionNotFoundException", webhookError(t, b.client, "open"))

	// A webhook outlives its pipeline, as on AWS; a call then fails the same way.
	_, err = b.client.DeletePipeline(ctx, &cp.DeletePipelineInput{Name: aws.String("hooked")})
	require.NoError(t, err)
	status, _ = MustPost(t, urls["open"], main, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, "PipelineNotFoundException", webhookError(t, b.client, "open"))
}

// webhookError returns the errorCode ListWebhooks reports for a webhook.
func webhookError(tb testing.TB, c *cp.Client, name string) string {
	tb.Helper()
	list, err := c.ListWebhooks(tb.Context(), &cp.ListWebhooksInput{})
	require.NoError(tb, err)
	for _, w := range list.Webhooks {
		if aws.ToString(w.Definition.Name) == name {
			return aws.ToString(w.ErrorCode)
		}
	}
	tb.Fatalf("no webhook %s", name)
	return ""
}
