package s3api

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzChunkedReader feeds arbitrary bodies to the aws-chunked decoder: it must end
// with data or an error, never panic or loop, and never make up bytes.
func FuzzChunkedReader(f *testing.F) {
	f.Add([]byte("5;chunk-signature=aa\r\nhello\r\n0;chunk-signature=bb\r\n\r\n"))
	f.Add([]byte("3\r\nabc\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"))
	f.Add([]byte("ffffffffffffffff\r\n"))
	f.Add([]byte("0\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		out, err := io.ReadAll(io.LimitReader(newChunkedReader(bytes.NewReader(body)), 1<<20))
		if err != nil {
			return
		}
		require.LessOrEqual(t, len(out), len(body))
	})
}

func TestChunkedReaderRoundTrip(t *testing.T) {
	t.Parallel()
	payload := strings.Repeat("0123456789", 10000)
	var b strings.Builder
	for rest := payload; rest != ""; {
		n := min(len(rest), 8192)
		b.WriteString(strconv.FormatInt(int64(n), 16) + ";chunk-signature=00\r\n" + rest[:n] + "\r\n")
		rest = rest[n:]
	}
	b.WriteString("0;chunk-signature=00\r\nx-amz-checksum-sha256:abc\r\n\r\n")
	c := newChunkedReader(strings.NewReader(b.String()))
	out, err := io.ReadAll(c)
	require.NoError(t, err)
	require.Equal(t, payload, string(out))
	require.Equal(t, "abc", c.trailers.Get("x-amz-checksum-sha256"))
}
