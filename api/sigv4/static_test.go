package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/sigv4"
	"stepline/internal/clock"
)

type verifyBundle struct {
	verifier *sigv4.StaticVerifier
	creds    aws.Credentials
	signer   *v4.Signer
	now      time.Time
}

func setupVerify(t *testing.T) *verifyBundle {
	t.Helper()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	return &verifyBundle{
		verifier: &sigv4.StaticVerifier{
			Keys:  map[string]sigv4.Key{"AKIDEXAMPLE": {Secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Account: "123456789012"}},
			Clock: clock.NewFake(now.Add(time.Minute)),
		},
		creds:  aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"},
		signer: v4.NewSigner(),
		now:    now,
	}
}

// signed returns a request signed by the SDK's signer, as the server sees it.
func (b *verifyBundle) signed(t *testing.T, method, url, service string, body []byte, headers map[string]string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(method, url, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256(body)
	signer := b.signer
	if service == "s3" {
		// The S3 client signs the path as sent, without escaping it again.
		signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	}
	require.NoError(t, signer.SignHTTP(context.Background(), b.creds, req, hex.EncodeToString(sum[:]), service, "eu-west-1", b.now))
	return req
}

func requireCode(t *testing.T, err error, code string) {
	t.Helper()
	var se *stepline.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, code, se.Code, se.Message)
}

func TestStaticVerifier(t *testing.T) {
	t.Parallel()
	body := []byte(`{"stateMachineArn":"arn"}`)

	t.Run("JSONService", func(t *testing.T) {
		t.Parallel()
		b := setupVerify(t)
		req := b.signed(t, http.MethodPost, "http://127.0.0.1:4566/", "states", body, map[string]string{
			"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.StartExecution",
		})
		c, err := sigv4.FromRequest(req)
		require.NoError(t, err)
		account, err := b.verifier.Verify(req, body, c)
		require.NoError(t, err)
		require.Equal(t, "123456789012", account)

		// Any change to what was signed breaks the signature.
		requireCode(t, verifyErr(b, req, []byte(`{"stateMachineArn":"other"}`)), "InvalidSignatureException")
		req.Header.Set("X-Amz-Target", "AWSStepFunctions.StopExecution")
		requireCode(t, verifyErr(b, req, body), "InvalidSignatureException")
	})
	t.Run("PathAndQuery", func(t *testing.T) {
		t.Parallel()
		b := setupVerify(t)
		req := b.signed(t, http.MethodGet, "http://localhost:4566/my-bucket/a%20b/c%2Bd.txt?list-type=2&prefix=x%2Fy&a=", "s3", nil, nil)
		_, err := b.verifier.Verify(req, nil, mustCred(t, req))
		require.NoError(t, err)
		req = b.signed(t, http.MethodGet, "http://localhost:4566/some%20path/x?b=2&a=1&a=0", "states", nil, nil)
		_, err = b.verifier.Verify(req, nil, mustCred(t, req))
		require.NoError(t, err)
	})
	t.Run("Presigned", func(t *testing.T) {
		t.Parallel()
		b := setupVerify(t)
		src := httptest.NewRequest(http.MethodGet, "http://localhost:4566/bucket/key.zip?X-Amz-Expires=300", nil)
		url, hdr, err := b.signer.PresignHTTP(context.Background(), b.creds, src, "UNSIGNED-PAYLOAD", "s3", "eu-west-1", b.now)
		require.NoError(t, err)
		req := httptest.NewRequest(http.MethodGet, url, nil)
		for k, vs := range hdr {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		_, err = b.verifier.Verify(req, nil, mustCred(t, req))
		require.NoError(t, err)

		b.verifier.Clock = clock.NewFake(b.now.Add(10 * time.Minute))
		requireCode(t, verifyErr(b, req, nil), "InvalidSignatureException")
	})
	t.Run("UnknownKey", func(t *testing.T) {
		t.Parallel()
		b := setupVerify(t)
		b.creds.AccessKeyID = "AKIDOTHER"
		req := b.signed(t, http.MethodPost, "http://127.0.0.1/", "states", body, nil)
		requireCode(t, verifyErr(b, req, body), "UnrecognizedClientException")
	})
	t.Run("Skew", func(t *testing.T) {
		t.Parallel()
		b := setupVerify(t)
		b.verifier.Clock = clock.NewFake(b.now.Add(16 * time.Minute))
		req := b.signed(t, http.MethodPost, "http://127.0.0.1/", "states", body, nil)
		requireCode(t, verifyErr(b, req, body), "InvalidSignatureException")
		b.verifier.Clock = clock.NewFake(b.now.Add(-16 * time.Minute))
		requireCode(t, verifyErr(b, req, body), "InvalidSignatureException")
	})
}

func mustCred(t *testing.T, r *http.Request) sigv4.Credential {
	t.Helper()
	c, err := sigv4.FromRequest(r)
	require.NoError(t, err)
	return c
}

func verifyErr(b *verifyBundle, r *http.Request, body []byte) error {
	c, err := sigv4.FromRequest(r)
	if err != nil {
		return err
	}
	_, err = b.verifier.Verify(r, body, c)
	return err
}
