package sigv4_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"stepline/api/sigv4"
)

func TestParseAuthorization(t *testing.T) {
	t.Parallel()
	c, err := sigv4.ParseAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
	require.NoError(t, err)
	require.Equal(t, sigv4.Credential{
		AccessKeyID:   "AKIDEXAMPLE",
		Date:          "20150830",
		Region:        "us-east-1",
		Service:       "iam",
		SignedHeaders: []string{"content-type", "host", "x-amz-date"},
		Signature:     "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
	}, c)

	// Some clients omit the spaces after the commas.
	c, err = sigv4.ParseAuthorization("AWS4-HMAC-SHA256 Credential=A/20150830/eu-west-1/states/aws4_request,SignedHeaders=host,Signature=ab")
	require.NoError(t, err)
	require.Equal(t, "eu-west-1", c.Region)

	for _, bad := range []string{
		"",
		"Basic dXNlcjpwYXNz",
		"AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/iam, SignedHeaders=host, Signature=ab",
		"AWS4-HMAC-SHA256 Credential=A/20150830/us-east-1/iam/aws4_request, SignedHeaders=host",
		"AWS4-HMAC-SHA256 Credential=/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x",
		"AWS4-HMAC-SHA256 garbage",
	} {
		_, err := sigv4.ParseAuthorization(bad)
		require.Error(t, err, bad)
	}
}

// TestSDKSignatures parses what the SDK's own signer produces, header and
// presigned.
func TestSDKSignatures(t *testing.T) {
	t.Parallel()
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	signer := v4.NewSigner()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

	req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:4566/", nil)
	require.NoError(t, signer.SignHTTP(context.Background(), creds, req, emptySHA, "states", "ap-south-1", now))
	c, err := sigv4.FromRequest(req)
	require.NoError(t, err)
	require.Equal(t, "AKIDEXAMPLE", c.AccessKeyID)
	require.Equal(t, "ap-south-1", c.Region)
	require.Equal(t, "states", c.Service)
	require.Equal(t, "20261125", c.Date)
	require.Contains(t, c.SignedHeaders, "host")

	preq := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:4566/bucket/key?X-Amz-Expires=300", nil)
	u, _, err := signer.PresignHTTP(context.Background(), creds, preq, "UNSIGNED-PAYLOAD", "s3", "us-west-2", now)
	require.NoError(t, err)
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	c, err = sigv4.FromRequest(httptest.NewRequest(http.MethodGet, parsed.String(), nil))
	require.NoError(t, err)
	require.True(t, c.Presigned)
	require.Equal(t, "us-west-2", c.Region)
	require.Equal(t, "s3", c.Service)
	require.Equal(t, 300*time.Second, c.Expires)
	require.True(t, now.Equal(c.RequestTime))

	_, err = sigv4.FromRequest(httptest.NewRequest(http.MethodGet, "/", nil))
	require.ErrorIs(t, err, sigv4.ErrNoCredential)
}
