package s3api

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"stepline"
	"stepline/objects"
)

// MaxPutSize is the largest single PUT S3 accepts, 5 GiB.
const MaxPutSize = 5 << 30

// payload is a request body made ready for objects: decoded from aws-chunked when
// it is, with its announced size and a check of every digest the client sent.
type payload struct {
	body       *errReader
	size       int64
	alg        string // additional checksum to compute and store
	wantSHA256 bool
	verify     func(objects.Digests) error
}

// errReader remembers the first error of the body, so a failure inside objects can
// be reported as the protocol error it was.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && e.err == nil {
		e.err = err
	}
	return n, err
}

// fail translates err from objects, preferring what went wrong with the body.
func (p *payload) fail(err error) error {
	var se *stepline.Error
	if errors.As(err, &se) || p.body.err == nil {
		return err
	}
	return chunkError(p.body.err)
}

// readPayload prepares r's body. needSize says whether the request must announce
// its length, as PutObject and UploadPart must.
func readPayload(r *request, needSize bool) (*payload, error) {
	sha := r.Header.Get("x-amz-content-sha256")
	chunked := strings.HasPrefix(sha, "STREAMING-") || strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked")
	p := &payload{size: r.ContentLength}
	var src io.Reader = r.Body
	var chunks *chunkedReader
	if chunked {
		dl := r.Header.Get("x-amz-decoded-content-length")
		n, err := strconv.ParseInt(dl, 10, 64)
		if dl == "" || err != nil || n < 0 {
			return nil, &stepline.Error{Code: codeMissingContentLength, Status: http.StatusLengthRequired,
				Message: "You must provide the Content-Length HTTP header."}
		}
		p.size = n
		chunks = newChunkedReader(r.Body)
		src = chunks
	}
	if needSize && p.size < 0 {
		return nil, &stepline.Error{Code: codeMissingContentLength, Status: http.StatusLengthRequired,
			Message: "You must provide the Content-Length HTTP header."}
	}
	if p.size > MaxPutSize {
		return nil, &stepline.Error{Code: objects.CodeEntityTooLarge, Status: http.StatusBadRequest,
			Message: "Your proposed upload exceeds the maximum allowed size", Fields: map[string]any{"ProposedSize": p.size, "MaxSizeAllowed": int64(MaxPutSize)}}
	}
	p.body = &errReader{r: src}

	var wantMD5 []byte
	if m := r.Header.Get("Content-MD5"); m != "" {
		raw, err := base64.StdEncoding.DecodeString(m)
		if err != nil || len(raw) != 16 {
			return nil, &stepline.Error{Code: objects.CodeInvalidDigest, Status: http.StatusBadRequest,
				Message: "The Content-MD5 you specified was invalid.", Fields: map[string]any{"Content-MD5": m}}
		}
		wantMD5 = raw
	}
	var wantSHA []byte
	if len(sha) == 64 {
		raw, err := hex.DecodeString(sha)
		if err != nil {
			return nil, &stepline.Error{Code: "InvalidArgument", Status: http.StatusBadRequest,
				Message: "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, " +
					"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.",
				Fields: map[string]any{"ArgumentName": "x-amz-content-sha256", "ArgumentValue": sha}}
		}
		wantSHA = raw
		p.wantSHA256 = true
	}

	alg, headerSum, fromTrailer, err := checksumRequest(r)
	if err != nil {
		return nil, err
	}
	p.alg = alg
	p.verify = func(d objects.Digests) error {
		if wantMD5 != nil && !bytes.Equal(wantMD5, d.MD5) {
			return &stepline.Error{Code: objects.CodeBadDigest, Status: http.StatusBadRequest,
				Message: "The Content-MD5 you specified did not match what we received.",
				Fields:  map[string]any{"ExpectedDigest": r.Header.Get("Content-MD5"), "CalculatedDigest": base64.StdEncoding.EncodeToString(d.MD5)}}
		}
		if wantSHA != nil && !bytes.Equal(wantSHA, d.SHA256) {
			return &stepline.Error{Code: codeSHA256Mismatch, Status: http.StatusBadRequest,
				Message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
				Fields:  map[string]any{"ClientComputedContentSHA256": sha, "S3ComputedContentSHA256": hex.EncodeToString(d.SHA256)}}
		}
		if alg == "" {
			return nil
		}
		want := headerSum
		if fromTrailer {
			if chunks == nil {
				return errInvalidRequest("The x-amz-trailer header requires an aws-chunked body.")
			}
			want = chunks.trailers.Get("x-amz-checksum-" + strings.ToLower(alg))
			if err := checkChecksumValue(alg, want); err != nil {
				return err
			}
		}
		if want != "" && want != d.Checksum[alg] {
			return &stepline.Error{Code: objects.CodeBadDigest, Status: http.StatusBadRequest,
				Message: "The " + alg + " you specified did not match the calculated checksum."}
		}
		return nil
	}
	return p, nil
}

// checksumRequest finds the additional checksum a request asks for: a value in an
// x-amz-checksum-* header, a promise of one in the trailer (x-amz-trailer), or just
// an algorithm to compute (x-amz-sdk-checksum-algorithm, x-amz-checksum-algorithm).
func checksumRequest(r *request) (alg, value string, trailer bool, err error) {
	for _, a := range objects.ChecksumAlgorithms() {
		if v := r.Header.Get("x-amz-checksum-" + strings.ToLower(a)); v != "" {
			if alg != "" {
				return "", "", false, errInvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
			}
			if err := checkChecksumValue(a, v); err != nil {
				return "", "", false, err
			}
			alg, value = a, v
		}
	}
	if alg != "" {
		return alg, value, false, nil
	}
	if t := r.Header.Get("x-amz-trailer"); t != "" {
		name, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(t)), "x-amz-checksum-")
		if a := objects.NormalizeChecksumAlgorithm(name); ok && a != "" {
			return a, "", true, nil
		}
		return "", "", false, errInvalidRequest("The value specified in the x-amz-trailer header is not supported")
	}
	for _, h := range []string{"x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm"} {
		if v := r.Header.Get(h); v != "" {
			a := objects.NormalizeChecksumAlgorithm(v)
			if a == "" {
				return "", "", false, errInvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: " +
					"[CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
			}
			return a, "", false, nil
		}
	}
	return "", "", false, nil
}

// checkChecksumValue rejects a checksum that cannot be one: S3 checks the length of
// the decoded value before reading the body.
func checkChecksumValue(alg, v string) error {
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(raw) != objects.ChecksumLen(alg) {
		return errInvalidRequest(fmt.Sprintf("Value for x-amz-checksum-%s header is invalid.", strings.ToLower(alg)))
	}
	return nil
}
