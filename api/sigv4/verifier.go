package sigv4

import "net/http"

// Verifier checks a request's signature and maps its access key to an
// account. The API layer calls it, when one is configured, before decoding
// the body; body is the request body already read, which the payload hash
// covers. A Verifier returns a *stepline.Error (for example
// InvalidSignatureException or UnrecognizedClientException) for callers to
// see, or any other error for an internal failure.
type Verifier interface {
	Verify(r *http.Request, body []byte, c Credential) (account string, err error)
}
