package s3deploy_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/objects"
	"stepline/pipeline/action"
	"stepline/pipeline/action/s3deploy"
	"stepline/pipeline/plan"
)

// bytesArtifacts serves one artifact from memory and discardBucket reads and drops
// what is deployed: the fuzz target is the extraction of arbitrary artifact bytes.
type bytesArtifacts []byte

func (b bytesArtifacts) GetObject(context.Context, string, string, string) (io.ReadCloser, action.ObjectInfo, error) {
	return io.NopCloser(bytes.NewReader(b)), action.ObjectInfo{}, nil
}

func (bytesArtifacts) PutObject(context.Context, string, string, []byte) (string, error) {
	return "", nil
}

type discardBucket struct{}

func (discardBucket) PutObject(_ context.Context, _, _ string, body io.Reader, _ int64, _ objects.Headers) error {
	_, err := io.Copy(io.Discard, io.LimitReader(body, 1<<20))
	return err
}

// FuzzExtract feeds arbitrary artifacts to an extracting deploy: it must end the
// action (succeeded or failed with a summary), never panic or return an error.
func FuzzExtract(f *testing.F) {
	f.Add(mustZip(f, map[string]string{"index.html": "<p>", "a/b.txt": "b"}))
	f.Add([]byte("PK\x03\x04 not really"))
	f.Add([]byte{})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, artifact []byte) {
		p := s3deploy.Provider{Artifacts: bytesArtifacts(artifact), Bucket: discardBucket{}, TempDir: dir}
		out, err := p.Run(context.Background(), action.Job{
			Configuration:  map[string]string{"BucketName": "b", "Extract": "true", "ObjectKey": "p"},
			InputArtifacts: []plan.ArtifactLocation{{Name: "A", Bucket: "art", Key: "k"}},
		}, nil)
		require.NoError(t, err)
		if out.Status == action.Failed {
			require.NotEmpty(t, out.Result.ErrorMessage)
		} else {
			require.Equal(t, action.Succeeded, out.Status)
		}
	})
}
