package sigv4_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/sigv4"
)

func TestProblem(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, auth, date string
		code, msg             string
	}{
		{"Fine", "/", "AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=c", "20261125T000000Z", "", ""},
		{"Unsigned", "/", "", "", "", ""},
		{"Garbage", "/", "X", "", "IncompleteSignatureException",
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. " +
				"Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=X"},
		{"NoSignedHeaders", "/", "AWS4- Signature=b, Credential=a", "d", "IncompleteSignatureException",
			"Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4- Signature=b, Credential=a"},
		{"Both", "/?X-Amz-Algorithm", "X", "", "InvalidSignatureException",
			"Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."},
		{"EmptyQuery", "/?X-Amz-Algorithm", "", "", "IncompleteSignatureException",
			"AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include 'X-Amz-Credential'. " +
				"AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
				"AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest(http.MethodPost, tc.url, nil)
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			if tc.date != "" {
				r.Header.Set("X-Amz-Date", tc.date)
			}
			code, msg := sigv4.Problem(r)
			require.Equal(t, tc.code, code)
			require.Equal(t, tc.msg, msg)
		})
	}
}
