package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cc "github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/codecommitapi"
	"stepline/api/s3api"
	"stepline/api/server"
	"stepline/web"
)

// TestBrowseWhatTheAPIsWrote puts objects and files through the real S3 and CodeCommit
// SDK clients against a server on loopback, then reads them back through the
// console on the same port: what a user checks after `aws s3 cp` or a push.
func TestBrowseWhatTheAPIsWrote(t *testing.T) {
	t.Parallel()
	b := setupStorage(t)
	id := stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"}
	console, err := web.NewConsole(web.Deps{SFN: b.svc, Objects: b.objs, Repos: b.repos})
	require.NoError(t, err)
	srv := httptest.NewServer(server.New(server.Config{
		S3:         s3api.New(b.objs, s3api.Config{DefaultIdentity: id}),
		CodeCommit: codecommitapi.New(b.repos, codecommitapi.Options{Identity: id}),
		Console:    console,
	}))
	t.Cleanup(srv.Close)
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	s3c := s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true, Credentials: creds})
	ccc := cc.New(cc.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), Credentials: creds})
	ctx := t.Context()

	_, err = s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("my-source-bucket")})
	require.NoError(t, err)
	_, err = s3c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("my-source-bucket"),
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
	require.NoError(t, err)
	put, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("my-source-bucket"), Key: aws.String("app/source.zip"),
		Body: strings.NewReader("PK zip bytes"), Metadata: map[string]string{"Build": "42"}, ContentType: aws.String("application/zip")})
	require.NoError(t, err)

	get := func(path string) (int, string, http.Header) {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body), resp.Header
	}
	code, body, _ := get("/_console/buckets/my-source-bucket?prefix=app%2F")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `key=app%2Fsource.zip">source.zip</a>`)
	code, body, _ = get("/_console/buckets/my-source-bucket/object?key=app%2Fsource.zip")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, *put.VersionId)
	require.Contains(t, body, strings.Trim(*put.ETag, `"`))
	require.Contains(t, body, "x-amz-meta-build")
	require.Contains(t, body, "application/zip")
	code, body, hdr := get("/_console/buckets/my-source-bucket/download?key=app%2Fsource.zip&versionId=" + url.QueryEscape(*put.VersionId))
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "PK zip bytes", body)
	require.Contains(t, hdr.Get("Content-Disposition"), "attachment")

	_, err = ccc.CreateRepository(ctx, &cc.CreateRepositoryInput{RepositoryName: aws.String("demo"), RepositoryDescription: aws.String("Demo app")})
	require.NoError(t, err)
	_, err = ccc.PutFile(ctx, &cc.PutFileInput{RepositoryName: aws.String("demo"), BranchName: aws.String("main"),
		FilePath: aws.String("buildspec.yml"), FileContent: []byte("version: 0.2\n"), CommitMessage: aws.String("Add the buildspec")})
	require.NoError(t, err)
	code, body, _ = get("/_console/repositories/demo")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "Demo app")
	require.Contains(t, body, "Add the buildspec")
	code, body, _ = get("/_console/repositories/demo/file?ref=main&path=buildspec.yml")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "version: 0.2")
}
