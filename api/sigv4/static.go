package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"stepline"
	"stepline/internal/clock"
)

// MaxSkewDefault is how far a request's X-Amz-Date may be from the server's
// clock, as on AWS.
const MaxSkewDefault = 15 * time.Minute

// Key is one access key a StaticVerifier accepts.
type Key struct {
	Secret  string
	Account string // the account the key acts as
}

// StaticVerifier checks SigV4 signatures against a fixed set of keys by
// recomputing them from the request: canonical request, string to sign,
// derived key. It implements Verifier.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
type StaticVerifier struct {
	Keys    map[string]Key // by access key id; immutable after construction
	Clock   clock.Clock
	MaxSkew time.Duration // 0 means MaxSkewDefault
}

var _ Verifier = (*StaticVerifier)(nil)

// Verify recomputes c's signature over r and body and returns the key's
// account when it matches. The errors are AWS's for JSON services.
func (v *StaticVerifier) Verify(r *http.Request, body []byte, c Credential) (string, error) {
	key, ok := v.Keys[c.AccessKeyID]
	if !ok {
		return "", &stepline.Error{Code: "UnrecognizedClientException", Message: "The security token included in the request is invalid."}
	}
	signedAt, err := requestTime(r, c)
	if err != nil {
		return "", &stepline.Error{Code: "IncompleteSignatureException", Message: err.Error()}
	}
	if err := v.checkTime(signedAt, c); err != nil {
		return "", err
	}
	want := Signature(key.Secret, c, signedAt, CanonicalRequest(r, c, PayloadHash(r, body, c)))
	if !hmac.Equal([]byte(want), []byte(c.Signature)) {
		return "", &stepline.Error{Code: "InvalidSignatureException", Message: "The request signature we calculated does not match the signature you provided. " +
			"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
	}
	return key.Account, nil
}

// checkTime rejects a signature from too far in the past or future, or a
// presigned URL past its expiry.
func (v *StaticVerifier) checkTime(signedAt time.Time, c Credential) error {
	now := time.Now()
	if v.Clock != nil {
		now = v.Clock.Now()
	}
	skew := v.MaxSkew
	if skew <= 0 {
		skew = MaxSkewDefault
	}
	stamp := signedAt.UTC().Format(amzDateFormat)
	switch {
	case c.Presigned && now.After(signedAt.Add(c.Expires)):
		return &stepline.Error{Code: "InvalidSignatureException", Message: "Signature expired: " + stamp + " is now earlier than " +
			now.UTC().Add(-c.Expires).Format(amzDateFormat) + "."}
	case !c.Presigned && now.Sub(signedAt) > skew:
		return &stepline.Error{Code: "InvalidSignatureException", Message: "Signature expired: " + stamp + " is now earlier than " +
			now.UTC().Add(-skew).Format(amzDateFormat) + " (" + now.UTC().Format(amzDateFormat) + " - " + skew.String() + ".)"}
	case signedAt.Sub(now) > skew:
		return &stepline.Error{Code: "InvalidSignatureException", Message: "Signature not yet current: " + stamp + " is still later than " +
			now.UTC().Add(skew).Format(amzDateFormat) + " (" + now.UTC().Format(amzDateFormat) + " + " + skew.String() + ".)"}
	}
	return nil
}

const amzDateFormat = "20060102T150405Z"

// requestTime is the signing time: X-Amz-Date (header or, presigned,
// query), else the Date header.
func requestTime(r *http.Request, c Credential) (time.Time, error) {
	if c.Presigned {
		return c.RequestTime, nil
	}
	if d := r.Header.Get("X-Amz-Date"); d != "" {
		t, err := time.Parse(amzDateFormat, d)
		if err != nil {
			return time.Time{}, fmt.Errorf("X-Amz-Date %q is not in ISO 8601 basic format", d)
		}
		return t, nil
	}
	if d := r.Header.Get("Date"); d != "" {
		t, err := http.ParseTime(d)
		if err != nil {
			return time.Time{}, fmt.Errorf("date %q is not an HTTP date", d)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
}

// PayloadHash is the hex SHA-256 the signature covers: the client's
// X-Amz-Content-Sha256 where it sent one (S3's UNSIGNED-PAYLOAD and
// streaming markers included), UNSIGNED-PAYLOAD for presigned URLs, else
// the hash of body.
func PayloadHash(r *http.Request, body []byte, c Credential) string {
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" {
		return h
	}
	if c.Presigned {
		return "UNSIGNED-PAYLOAD"
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// CanonicalRequest builds SigV4's canonical request for r over the headers
// c says were signed.
func CanonicalRequest(r *http.Request, c Credential, payloadHash string) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL, c.Service))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.Query(), c.Presigned))
	b.WriteByte('\n')
	for _, name := range c.SignedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(c.SignedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// Signature computes the hex signature of a canonical request.
func Signature(secret string, c Credential, signedAt time.Time, canonicalRequest string) string {
	sum := sha256.Sum256([]byte(canonicalRequest))
	scope := c.Date + "/" + c.Region + "/" + c.Service + "/aws4_request"
	toSign := Algorithm + "\n" + signedAt.UTC().Format(amzDateFormat) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
	k := hmacSHA256([]byte("AWS4"+secret), c.Date)
	k = hmacSHA256(k, c.Region)
	k = hmacSHA256(k, c.Service)
	k = hmacSHA256(k, "aws4_request")
	return hex.EncodeToString(hmacSHA256(k, toSign))
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// headerValue is a signed header's canonical value: values joined by
// commas, each trimmed with inner runs of spaces collapsed. Go keeps Host
// and Content-Length out of the header map.
func headerValue(r *http.Request, name string) string {
	var values []string
	switch name {
	case "host":
		values = []string{r.Host}
	case "content-length":
		values = []string{fmt.Sprint(r.ContentLength)}
	default:
		values = r.Header.Values(name)
	}
	for i, v := range values {
		values[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(values, ",")
}

// canonicalURI is the path as the client signed it: the path as sent on
// the wire, encoded once more for every service but S3 (whose signers do
// not double-encode).
func canonicalURI(u *url.URL, service string) string {
	path := u.EscapedPath()
	if path == "" {
		return "/"
	}
	if service == "s3" {
		return path
	}
	return uriEncode(path, false)
}

// canonicalQuery sorts and encodes the query string, leaving out a presigned
// URL's own signature.
func canonicalQuery(q url.Values, presigned bool) string {
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range q {
		if presigned && k == "X-Amz-Signature" {
			continue
		}
		for _, v := range vs {
			pairs = append(pairs, pair{uriEncode(k, true), uriEncode(v, true)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// uriEncode is SigV4's UriEncode: everything but A-Z a-z 0-9 - _ . ~ is
// percent-encoded in upper-case hex, and "/" too when encodeSlash is set.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
