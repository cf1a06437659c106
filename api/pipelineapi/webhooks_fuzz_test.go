package pipelineapi_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"

	"stepline/api/pipelineapi"
	"stepline/pipeline"
	"stepline/store/sqlite"
)

// FuzzWebhookEndpoint sends arbitrary paths, queries, bodies and signature headers to
// the webhook endpoint of a server holding one webhook: every answer is a 2xx or 4xx,
// never a 500 or a panic.
func FuzzWebhookEndpoint(f *testing.F) {
	b := MustStartServer(f, filepath.Join(f.TempDir(), "db.sqlite"))
	ctx := context.Background()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("hooked")})
	require.NoError(f, err)
	put, err := b.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: hookDefinition("gh")})
	require.NoError(f, err)
	good := strings.TrimPrefix(aws.ToString(put.Webhook.Url), b.url)
	main := `{"ref":"refs/heads/main"}`

	// A second service over its own database answers the fuzzed calls directly, so
	// the corpus runs without a network round trip per input.
	db, err := sqlite.Open(filepath.Join(f.TempDir(), "direct.sqlite"))
	require.NoError(f, err)
	f.Cleanup(func() { _ = db.Close() })
	h := pipelineapi.WebhookHandler(pipeline.New(db, pipeline.Config{NodeID: "fuzz"}), nil)

	f.Add(good, main, sign256("s3cret", []byte(main)), "application/json")
	f.Add(good, "payload="+main, "", "application/x-www-form-urlencoded")
	f.Add("/_webhooks/us-east-1/000000000000/gh", "{", "sha1=00", "text/plain")
	f.Add("/_webhooks/%zz/../gh?t=%", "[]", "sha256=", ";;")
	f.Fuzz(func(t *testing.T, target, body, sig, contentType string) {
		if !strings.HasPrefix(target, pipelineapi.WebhookPath) {
			target = pipelineapi.WebhookPath + target
		}
		req, err := http.NewRequest(http.MethodPost, "http://stepline"+target, bytes.NewReader([]byte(body)))
		if err != nil {
			return // not a request a client could send
		}
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("X-Hub-Signature-256", sig)
		req.RemoteAddr = "127.0.0.1:1234"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Less(t, rec.Code, 500, rec.Body.String())
		if strings.HasPrefix(target, good) {
			status, _ := MustPost(t, b.url+target, []byte(body), map[string]string{"X-Hub-Signature-256": sig, "Content-Type": contentType})
			require.Less(t, status, 500)
		}
	})
}
