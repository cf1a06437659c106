package awsjson

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"stepline"
)

// TokenMaxAgeDefault is how long a pagination token stays valid; AWS's
// Step Functions tokens expire after 24 hours.
const TokenMaxAgeDefault = 24 * time.Hour

// tokenMACBytes is the length of the truncated HMAC-SHA256 in a token:
// 128 bits is ample against forgery and keeps tokens short (Step Functions
// limits nextToken to 1024 characters).
const tokenMACBytes = 16

// tokenPayload is what a token carries: the caller's cursor and when the
// token was issued.
type tokenPayload struct {
	Cursor json.RawMessage `json:"c"`
	Issued int64           `json:"t"` // unix seconds
}

// EncodeToken returns an opaque pagination token for cursor (any JSON-
// encodable value, such as the last key returned), stamped with now and
// signed with key so a client can neither forge nor alter it.
func EncodeToken(key []byte, cursor any, now time.Time) string {
	c, err := json.Marshal(cursor)
	if err != nil {
		// A cursor is the handler's own value; one that cannot be encoded
		// is a programming error, and an empty token ends the listing
		// rather than failing it.
		return ""
	}
	payload, _ := json.Marshal(tokenPayload{Cursor: c, Issued: now.Unix()})
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(tokenMAC(key, payload))
}

// DecodeToken checks token and decodes its cursor into cursor (a pointer).
// A malformed, forged or expired token (older than maxAge; 0 means
// TokenMaxAgeDefault) is the caller's mistake and comes back as Step
// Functions' InvalidToken error; CodePipeline handlers map that code to
// their InvalidNextTokenException.
func DecodeToken(key []byte, token string, now time.Time, maxAge time.Duration, cursor any) error {
	if maxAge <= 0 {
		maxAge = TokenMaxAgeDefault
	}
	enc := base64.RawURLEncoding
	p, m, ok := strings.Cut(token, ".")
	if !ok {
		return errInvalidToken()
	}
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(m)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, tokenMAC(key, payload)) {
		return errInvalidToken()
	}
	var tp tokenPayload
	if err := json.Unmarshal(payload, &tp); err != nil {
		return errInvalidToken()
	}
	issued := time.Unix(tp.Issued, 0)
	// A token from the future means the key leaked or clocks disagree
	// badly between nodes; a minute of skew is tolerated.
	if now.Sub(issued) > maxAge || issued.Sub(now) > time.Minute {
		return errInvalidToken()
	}
	if err := json.Unmarshal(tp.Cursor, cursor); err != nil {
		// The MAC matched, so this is our own token with a cursor of
		// another shape: a token from a different operation.
		return errInvalidToken()
	}
	return nil
}

func tokenMAC(key, payload []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(payload)
	return h.Sum(nil)[:tokenMACBytes]
}

// errInvalidToken is Step Functions' answer to a bad token, recorded from
// AWS: InvalidToken "Invalid Token: 'Invalid token'".
func errInvalidToken() error {
	return &stepline.Error{Code: CodeInvalidToken, Message: "Invalid Token: 'Invalid token'"}
}
