package pipelineapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/stretchr/testify/require"
)

// BenchmarkWebhookTrigger measures a signed GitHub push delivered to a webhook URL
// over HTTP, up to the answer naming the started execution: signature check, filters
// and the durable start on SQLite.
func BenchmarkWebhookTrigger(b *testing.B) {
	s := MustStartServer(b, filepath.Join(b.TempDir(), "db.sqlite"))
	ctx := context.Background()
	_, err := s.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: gitHubDeclaration("hooked")})
	require.NoError(b, err)
	put, err := s.client.PutWebhook(ctx, &cp.PutWebhookInput{Webhook: hookDefinition("gh")})
	require.NoError(b, err)
	u := aws.ToString(put.Webhook.Url)
	body := []byte(`{"ref":"refs/heads/main","after":"abc123","commits":[{"id":"abc123"}]}`)
	sig := sign256("s3cret", body)
	b.ResetTimer()
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, u, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hub-Signature-256", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
}
