package awsjson

import (
	"errors"
	"fmt"
	"net/http"

	"stepline"
	"stepline/api/sigv4"
)

// identify decides whom the request acts as. The region comes from the
// SigV4 credential scope, as on AWS, where the endpoint and the scope must
// agree; the account is the default one until a Verifier maps access keys
// to accounts. Without a Verifier an unsigned or oddly signed request is
// still served, as the default identity.
func (s *Service) identify(r *http.Request, body []byte) (stepline.Identity, error) {
	id := s.cfg.DefaultIdentity
	cred, err := sigv4.FromRequest(r)
	if s.cfg.Verifier == nil {
		if err == nil && cred.Region != "" {
			id.Region = cred.Region
		}
		return id, nil
	}
	if code, msg := sigv4.Problem(r); code != "" {
		return id, &stepline.Error{Code: code, Message: msg}
	}
	switch {
	case errors.Is(err, sigv4.ErrNoCredential):
		return id, &stepline.Error{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token"}
	case err != nil:
		return id, &stepline.Error{Code: "IncompleteSignatureException", Message: err.Error()}
	}
	account, err := s.cfg.Verifier.Verify(r, body, cred)
	if err != nil {
		return id, fmt.Errorf("verify signature: %w", err)
	}
	id.Account, id.Region = account, cred.Region
	return id, nil
}
