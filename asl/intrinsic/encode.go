package intrinsic

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"strings"
	"unicode/utf8"
)

// maxEncodeInput is AWS's limit on the input of States.Base64Encode/Decode and
// States.Hash, in characters.
const maxEncodeInput = 10000

// evalBase64Encode is States.Base64Encode(s): standard alphabet, padded.
func evalBase64Encode(c *Call, _ *Env, args []any) (any, error) {
	s, err := c.argString(args, 0, "input")
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(s) > maxEncodeInput {
		return nil, c.fail("the input is longer than %d characters", maxEncodeInput)
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

// evalBase64Decode is States.Base64Decode(s). Padding is optional, as with Java's
// decoder; bytes that are not UTF-8 decode to U+FFFD.
func evalBase64Decode(c *Call, _ *Env, args []any) (any, error) {
	s, err := c.argString(args, 0, "input")
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(s) > maxEncodeInput {
		return nil, c.fail("the input is longer than %d characters", maxEncodeInput)
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	if err != nil {
		return nil, c.fail("the input is not valid Base64")
	}
	if utf8.Valid(b) {
		return string(b), nil
	}
	var out strings.Builder
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		out.WriteRune(r) // RuneError for an invalid byte
		b = b[size:]
	}
	return out.String(), nil
}

// evalHash is States.Hash(data, algorithm): the lowercase hex digest.
func evalHash(c *Call, _ *Env, args []any) (any, error) {
	s, err := c.argString(args, 0, "data")
	if err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(s) > maxEncodeInput {
		return nil, c.fail("the data is longer than %d characters", maxEncodeInput)
	}
	alg, err := c.argString(args, 1, "algorithm")
	if err != nil {
		return nil, err
	}
	digest, ok := HashHex(s, alg)
	if !ok {
		return nil, c.fail("the hash algorithm %s is not supported; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512", alg)
	}
	return digest, nil
}

// HashHex is the lowercase hex digest of data's UTF-8 bytes under one of the
// algorithms States.Hash accepts: MD5, SHA-1, SHA-256, SHA-384 or SHA-512. ok is false
// for any other name.
func HashHex(data, algorithm string) (digest string, ok bool) {
	var h hash.Hash
	switch algorithm {
	case "MD5":
		h = md5.New()
	case "SHA-1":
		h = sha1.New()
	case "SHA-256":
		h = sha256.New()
	case "SHA-384":
		h = sha512.New384()
	case "SHA-512":
		h = sha512.New()
	default:
		return "", false
	}
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), true
}
