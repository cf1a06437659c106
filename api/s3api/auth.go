package s3api

import (
	"errors"
	"net/http"
	"strings"

	"stepline"
	"stepline/api/sigv4"
)

// authenticate checks r's signature with the configured verifier and returns the
// caller's account. S3 signs the payload by declaring its hash in
// x-amz-content-sha256 (or UNSIGNED-PAYLOAD, or a STREAMING-* mode), so the
// signature is checked over the headers before the body is read; the body is then
// checked against the declared hash as it streams (see payload.go). The
// signatures of individual aws-chunked chunks are not checked.
func (h *Handler) authenticate(r *http.Request, cred sigv4.Credential, credErr error) (string, error) {
	switch {
	case errors.Is(credErr, sigv4.ErrNoCredential):
		return "", &stepline.Error{Code: codeAccessDenied, Status: http.StatusForbidden, Message: "Access Denied"}
	case credErr != nil:
		return "", &stepline.Error{Code: "AuthorizationHeaderMalformed", Status: http.StatusBadRequest, Message: credErr.Error()}
	case !cred.Presigned && r.Header.Get("x-amz-content-sha256") == "":
		return "", errInvalidRequest("Missing required header for this request: x-amz-content-sha256")
	}
	account, err := h.verifier.Verify(r, nil, cred)
	if err == nil {
		return account, nil
	}
	var se *stepline.Error
	if !errors.As(err, &se) {
		return "", err
	}
	// The verifier speaks the JSON services' codes; S3 has its own for the same
	// failures: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
	switch {
	case se.Code == "UnrecognizedClientException":
		return "", &stepline.Error{Code: "InvalidAccessKeyId", Status: http.StatusForbidden,
			Message: "The AWS Access Key Id you provided does not exist in our records.", Fields: map[string]any{"AWSAccessKeyId": cred.AccessKeyID}}
	case strings.HasPrefix(se.Message, "Signature expired") && cred.Presigned:
		return "", &stepline.Error{Code: codeAccessDenied, Status: http.StatusForbidden, Message: "Request has expired"}
	case strings.HasPrefix(se.Message, "Signature expired") || strings.HasPrefix(se.Message, "Signature not yet current"):
		return "", &stepline.Error{Code: "RequestTimeTooSkewed", Status: http.StatusForbidden,
			Message: "The difference between the request time and the current time is too large."}
	case se.Code == "InvalidSignatureException":
		return "", &stepline.Error{Code: "SignatureDoesNotMatch", Status: http.StatusForbidden,
			Message: "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
			Fields:  map[string]any{"AWSAccessKeyId": cred.AccessKeyID}}
	}
	return "", &stepline.Error{Code: codeAccessDenied, Status: http.StatusForbidden, Message: se.Message}
}
