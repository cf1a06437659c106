package sigv4

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Algorithm is the only signing algorithm parsed; SigV4a
// (AWS4-ECDSA-P256-SHA256) credentials have no region in their scope.
const Algorithm = "AWS4-HMAC-SHA256"

// ErrNoCredential means the request carries no SigV4 credential at all, as
// opposed to a malformed one.
var ErrNoCredential = errors.New("request is not signed")

// Credential is what a SigV4 signature claims: who signed, for which day,
// region and service, over which headers. Nothing in it is verified.
type Credential struct {
	AccessKeyID   string
	Date          string // the scope's day, YYYYMMDD
	Region        string
	Service       string
	SignedHeaders []string // lower-case, in the order signed
	Signature     string   // hex
	// Presigned is set for query-string credentials; Expires and RequestTime
	// come from X-Amz-Expires and X-Amz-Date there.
	Presigned   bool
	Expires     time.Duration
	RequestTime time.Time
}

// ParseAuthorization parses an Authorization header of the form
//
//	AWS4-HMAC-SHA256 Credential=AKID/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=fe5f…
//
// The components may come in any order and with or without spaces after the
// commas, as the SDKs differ.
func ParseAuthorization(header string) (Credential, error) {
	var c Credential
	alg, rest, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || alg != Algorithm {
		return c, fmt.Errorf("authorization header: algorithm %q is not %s", alg, Algorithm)
	}
	var cred, signed, sig string
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return c, fmt.Errorf("authorization header: component %q has no value", part)
		}
		switch k {
		case "Credential":
			cred = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			sig = v
		}
	}
	if cred == "" || signed == "" || sig == "" {
		return c, fmt.Errorf("authorization header: want Credential, SignedHeaders and Signature")
	}
	if err := c.setScope(cred); err != nil {
		return c, err
	}
	c.SignedHeaders = strings.Split(signed, ";")
	c.Signature = sig
	return c, nil
}

// ParseQuery parses the credential of a presigned URL (X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders,
// X-Amz-Signature).
func ParseQuery(q url.Values) (Credential, error) {
	var c Credential
	if alg := q.Get("X-Amz-Algorithm"); alg != Algorithm {
		return c, fmt.Errorf("presigned url: algorithm %q is not %s", alg, Algorithm)
	}
	if err := c.setScope(q.Get("X-Amz-Credential")); err != nil {
		return c, err
	}
	c.Presigned = true
	c.SignedHeaders = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	c.Signature = q.Get("X-Amz-Signature")
	if c.Signature == "" {
		return c, fmt.Errorf("presigned url: X-Amz-Signature is missing")
	}
	t, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil {
		return c, fmt.Errorf("presigned url: X-Amz-Date: %w", err)
	}
	c.RequestTime = t
	if e := q.Get("X-Amz-Expires"); e != "" {
		secs, err := strconv.Atoi(e)
		if err != nil || secs < 0 {
			return c, fmt.Errorf("presigned url: X-Amz-Expires %q is not a number of seconds", e)
		}
		c.Expires = time.Duration(secs) * time.Second
	}
	return c, nil
}

// FromRequest returns the credential of r from its Authorization header or,
// failing that, its query string; ErrNoCredential when it has neither.
func FromRequest(r *http.Request) (Credential, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		return ParseAuthorization(h)
	}
	if q := r.URL.Query(); q.Has("X-Amz-Credential") {
		return ParseQuery(q)
	}
	return Credential{}, ErrNoCredential
}

// setScope parses "AKID/20130524/us-east-1/s3/aws4_request". The access key
// may not contain "/", so splitting from the right is not needed.
func (c *Credential) setScope(s string) error {
	parts := strings.Split(s, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return fmt.Errorf("credential %q: want AKID/DATE/REGION/SERVICE/aws4_request", s)
	}
	if parts[0] == "" || len(parts[1]) != 8 || parts[2] == "" || parts[3] == "" {
		return fmt.Errorf("credential %q: empty component", s)
	}
	c.AccessKeyID, c.Date, c.Region, c.Service = parts[0], parts[1], parts[2], parts[3]
	return nil
}
