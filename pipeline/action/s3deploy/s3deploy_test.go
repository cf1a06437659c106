package s3deploy_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	cptypes "github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/pipelineapi"
	"stepline/api/s3api"
	"stepline/api/server"
	"stepline/objects"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/s3deploy"
	"stepline/pipeline/action/s3source"
	"stepline/pipeline/plan"
	"stepline/store/sqlite"
)

type testBundle struct {
	s3 *s3.Client
	cp *cp.Client
}

// setup runs a server with the S3 and CodePipeline APIs, the S3 source and the S3
// deploy action, as `stepline serve` wires them.
func setup(t *testing.T) *testBundle {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "db.sqlite"))
	require.NoError(t, err)
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	objs := objects.New(objects.Config{Store: st, Blobs: blobs, Region: "us-east-1"})
	arts := action.Objects{S: objs, CreateBuckets: true}
	id := stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"}
	svc := pipeline.New(st, pipeline.Config{Identity: id, NodeID: "test", Providers: map[plan.ActionTypeID]action.Provider{
		{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}: s3source.Provider{Objects: arts},
		{Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1"}: s3deploy.Provider{Artifacts: arts, Bucket: s3deploy.ObjectStore{S: objs}, TempDir: dir},
	}})
	require.NoError(t, svc.Start(context.Background()))
	hs := httptest.NewServer(server.New(server.Config{
		CodePipeline: pipelineapi.New(svc, pipelineapi.Config{DefaultIdentity: id}),
		S3:           s3api.New(objs, s3api.Config{DefaultIdentity: id}),
	}))
	t.Cleanup(func() {
		hs.Close()
		svc.Stop()
		_ = st.Close()
	})
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	return &testBundle{
		s3: s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), UsePathStyle: true, Credentials: creds}),
		cp: cp.New(cp.Options{Region: "us-east-1", BaseEndpoint: aws.String(hs.URL), Credentials: creds}),
	}
}

func mustZip(tb testing.TB, files map[string]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		require.NoError(tb, err)
		_, err = w.Write([]byte(files[n]))
		require.NoError(tb, err)
	}
	require.NoError(tb, zw.Close())
	return buf.Bytes()
}

// mustSource makes a versioned source bucket holding body as app.zip, and returns the
// version id.
func (b *testBundle) mustSource(t *testing.T, bucket string, body []byte) string {
	t.Helper()
	ctx := t.Context()
	_, err := b.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	require.NoError(t, err)
	_, err = b.s3.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String(bucket),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	put, err := b.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("app.zip"), Body: bytes.NewReader(body)})
	require.NoError(t, err)
	return aws.ToString(put.VersionId)
}

func deployAction(name string, config map[string]string) cptypes.ActionDeclaration {
	return cptypes.ActionDeclaration{
		Name: aws.String(name),
		ActionTypeId: &cptypes.ActionTypeId{Category: cptypes.ActionCategoryDeploy, Owner: cptypes.ActionOwnerAws,
			Provider: aws.String("S3"), Version: aws.String("1")},
		Configuration:  config,
		InputArtifacts: []cptypes.InputArtifact{{Name: aws.String("SourceArtifact")}},
	}
}

func declaration(name, sourceBucket string, deploy ...cptypes.ActionDeclaration) *cptypes.PipelineDeclaration {
	return &cptypes.PipelineDeclaration{
		Name:          aws.String(name),
		RoleArn:       aws.String("arn:aws:iam::000000000000:role/pipeline"),
		ArtifactStore: &cptypes.ArtifactStore{Type: cptypes.ArtifactStoreTypeS3, Location: aws.String("artifacts-" + strings.ToLower(name))},
		Stages: []cptypes.StageDeclaration{
			{Name: aws.String("Source"), Actions: []cptypes.ActionDeclaration{{
				Name: aws.String("Source"), Namespace: aws.String("SourceVariables"),
				ActionTypeId: &cptypes.ActionTypeId{Category: cptypes.ActionCategorySource, Owner: cptypes.ActionOwnerAws,
					Provider: aws.String("S3"), Version: aws.String("1")},
				Configuration:   map[string]string{"S3Bucket": sourceBucket, "S3ObjectKey": "app.zip", "PollForSourceChanges": "false"},
				OutputArtifacts: []cptypes.OutputArtifact{{Name: aws.String("SourceArtifact")}},
			}}},
			{Name: aws.String("Deploy"), Actions: deploy},
		},
	}
}

// mustFinish waits for the pipeline's first execution to end and returns its status.
func (b *testBundle) mustFinish(t *testing.T, name string) cptypes.PipelineExecutionStatus {
	t.Helper()
	var status cptypes.PipelineExecutionStatus
	require.Eventually(t, func() bool {
		out, err := b.cp.ListPipelineExecutions(t.Context(), &cp.ListPipelineExecutionsInput{PipelineName: aws.String(name)})
		require.NoError(t, err)
		if len(out.PipelineExecutionSummaries) == 0 {
			return false
		}
		status = out.PipelineExecutionSummaries[0].Status
		return status != cptypes.PipelineExecutionStatusInProgress
	}, 10*time.Second, 5*time.Millisecond)
	return status
}

func (b *testBundle) mustGet(t *testing.T, bucket, key string) (*s3.GetObjectOutput, string) {
	t.Helper()
	out, err := b.s3.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err)
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	return out, string(body)
}

func TestDeployExtractedAndZipped(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	src := mustZip(t, map[string]string{
		"index.html":   "<h1>hello</h1>",
		"css/site.css": "body{}",
		"docs/":        "",
	})
	version := b.mustSource(t, "source", src)
	for _, bucket := range []string{"site", "releases"} {
		_, err := b.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
		require.NoError(t, err)
	}

	_, err := b.cp.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("deploy", "source",
		deployAction("Extracted", map[string]string{"BucketName": "site", "Extract": "true", "ObjectKey": "web", "CacheControl": "max-age=60"}),
		deployAction("Zipped", map[string]string{"BucketName": "releases", "Extract": "false", "ObjectKey": "app-#{SourceVariables.VersionId}.zip"}),
	)})
	require.NoError(t, err)
	require.Equal(t, cptypes.PipelineExecutionStatusSucceeded, b.mustFinish(t, "deploy"))

	list, err := b.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("site")})
	require.NoError(t, err)
	var keys []string
	for _, o := range list.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	require.Equal(t, []string{"web/css/site.css", "web/index.html"}, keys)
	got, body := b.mustGet(t, "site", "web/index.html")
	require.Equal(t, "<h1>hello</h1>", body)
	require.Equal(t, "max-age=60", aws.ToString(got.CacheControl))
	require.Contains(t, aws.ToString(got.ContentType), "text/html")

	_, body = b.mustGet(t, "releases", "app-"+version+".zip")
	require.Equal(t, string(src), body)

	acts, err := b.cp.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String("deploy")})
	require.NoError(t, err)
	summaries := map[string]string{}
	for _, a := range acts.ActionExecutionDetails {
		summaries[aws.ToString(a.ActionName)] = aws.ToString(a.Output.ExecutionResult.ExternalExecutionSummary)
	}
	require.Equal(t, "Extracted 2 files of the input artifact SourceArtifact to s3://site/web", summaries["Extracted"])
	require.Equal(t, "Uploaded the input artifact SourceArtifact to s3://releases/app-"+version+".zip", summaries["Zipped"])
}

func TestDeployFailures(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	b.mustSource(t, "notzip", []byte("plain text, not a zip"))
	b.mustSource(t, "zipped", mustZip(t, map[string]string{"a.txt": "a"}))
	cases := []struct {
		name, source string
		config       map[string]string
		message      string
	}{
		{"NotAZip", "notzip", map[string]string{"BucketName": "notzip", "Extract": "true"},
			"The input artifact SourceArtifact is not a valid zip file and cannot be extracted: zip: not a valid zip file"},
		{"NoSuchBucket", "zipped", map[string]string{"BucketName": "missing", "Extract": "true"},
			"The bucket missing does not exist"},
		{"NoSuchBucketZipped", "zipped", map[string]string{"BucketName": "missing", "Extract": "false", "ObjectKey": "a.zip"},
			"The bucket missing does not exist"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := b.cp.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration(c.name, c.source, deployAction("Deploy", c.config))})
			require.NoError(t, err)
			require.Equal(t, cptypes.PipelineExecutionStatusFailed, b.mustFinish(t, c.name))
			acts, err := b.cp.ListActionExecutions(ctx, &cp.ListActionExecutionsInput{PipelineName: aws.String(c.name)})
			require.NoError(t, err)
			d := acts.ActionExecutionDetails[0]
			require.Equal(t, "Deploy", aws.ToString(d.ActionName))
			require.Equal(t, cptypes.ActionExecutionStatusFailed, d.Status)
			require.Equal(t, c.message, aws.ToString(d.Output.ExecutionResult.ErrorDetails.Message))
		})
	}
}
