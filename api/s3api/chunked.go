package s3api

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"stepline"
)

// Content-SHA256 values that announce an aws-chunked body:
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
const (
	streamingSigned         = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingSignedTrailer  = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingUnsignedTrailr = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
	streamingECDSA          = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD"
	streamingECDSATrailer   = "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER"
	unsignedPayload         = "UNSIGNED-PAYLOAD"
)

// maxChunkLine bounds a chunk header or trailer line, so a hostile body cannot make
// the decoder buffer without end.
const maxChunkLine = 4096

// errChunkFormat is a malformed aws-chunked body.
var errChunkFormat = errors.New("s3: malformed aws-chunked body")

// chunkedReader decodes an aws-chunked body: "<hex size>[;chunk-signature=…]\r\n
// <data>\r\n" repeated, a zero-size chunk, then optional trailer lines and a blank
// line. Chunk signatures are not checked (authentication is off); trailers are kept
// for the checksum check.
type chunkedReader struct {
	br       *bufio.Reader
	left     int64 // bytes left in the current chunk
	done     bool
	trailers http.Header
}

func newChunkedReader(r io.Reader) *chunkedReader {
	return &chunkedReader{br: bufio.NewReaderSize(r, 64<<10), trailers: http.Header{}}
}

func (c *chunkedReader) line() (string, error) {
	var b []byte
	for {
		frag, err := c.br.ReadSlice('\n')
		b = append(b, frag...)
		if len(b) > maxChunkLine {
			return "", errChunkFormat
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	for c.left == 0 {
		if c.done {
			return 0, io.EOF
		}
		if err := c.nextChunk(); err != nil {
			return 0, err
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.br.Read(p)
	c.left -= int64(n)
	if c.left == 0 && err == nil {
		// Each chunk's data ends with CRLF.
		if crlf, err := c.line(); err != nil || crlf != "" {
			return n, errChunkFormat
		}
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// nextChunk reads a chunk header; after the last chunk it reads the trailers.
func (c *chunkedReader) nextChunk() error {
	hdr, err := c.line()
	if err != nil {
		return err
	}
	sizeHex, _, _ := strings.Cut(hdr, ";")
	size, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
	if err != nil || size < 0 {
		return errChunkFormat
	}
	if size > 0 {
		c.left = size
		return nil
	}
	c.done = true
	for {
		l, err := c.line()
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil // some clients end the body right after the last chunk
		}
		if err != nil {
			return err
		}
		if l == "" {
			return nil
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return errChunkFormat
		}
		c.trailers.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
}

// chunkError turns a decoding failure into what S3 answers.
func chunkError(err error) error {
	switch {
	case errors.Is(err, errChunkFormat):
		return &stepline.Error{Code: "InvalidRequest", Status: http.StatusBadRequest,
			Message: "The aws-chunked request body is malformed."}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &stepline.Error{Code: "IncompleteBody", Status: http.StatusBadRequest,
			Message: "The request body terminated unexpectedly"}
	}
	return fmt.Errorf("s3: read body: %w", err)
}
