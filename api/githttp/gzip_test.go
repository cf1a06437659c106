package githttp_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// pkt frames s as one pkt-line.
func pkt(s string) string { return fmt.Sprintf("%04x%s", len(s)+4, s) }

func TestGzipUploadPackBody(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "gz")
	a := b.mustClone(t, "gz")
	head := MustCommitFile(t, a, "a.txt", "zipped\n")
	MustGit(t, a, "push", "-q", "origin", "main")

	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := io.WriteString(zw, pkt("want "+head+" ofs-delta\n")+"0000"+pkt("done\n"))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, b.url+"gz/git-upload-pack", &buf)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-git-upload-pack-request")
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := b.srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/x-git-upload-pack-result", resp.Header.Get("Content-Type"))
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(got), pkt("NAK\n")+"PACK"), "%q", got[:min(len(got), 40)])
}

func TestSidebandUploadPack(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "sb")
	a := b.mustClone(t, "sb")
	head := MustCommitFile(t, a, "a.txt", "muxed\n")
	MustGit(t, a, "push", "-q", "origin", "main")

	body := pkt("want "+head+" side-band-64k ofs-delta\n") + "0000" + pkt("done\n")
	resp, err := b.srv.Client().Post(b.url+"sb/git-upload-pack", "application/x-git-upload-pack-request", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	s := string(got)
	require.True(t, strings.HasPrefix(s, pkt("NAK\n")), "%q", s[:min(len(s), 40)])
	s = s[len(pkt("NAK\n")):]
	require.Equal(t, "\x02stepline: sending 3 objects\n", s[4:4+len("\x02stepline: sending 3 objects\n")], "progress on band 2")
	s = s[len(pkt("\x02stepline: sending 3 objects\n")):]
	require.Equal(t, "\x01PACK", s[4:9], "pack data on band 1")
	require.True(t, strings.HasSuffix(s, "0000"), "ends with a flush")
}

func TestMalformedRequestsAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.mustCreate(t, "bad")
	for _, tc := range []struct{ name, path, body, enc string }{
		{"GarbageUpload", "bad/git-upload-pack", "zzzz", ""},
		{"BadWant", "bad/git-upload-pack", pkt("want nothex\n") + "0000", ""},
		{"NotGzip", "bad/git-upload-pack", "plain", "gzip"},
		{"GarbagePush", "bad/git-receive-pack", "0010not a command", ""},
		{"UnknownWant", "bad/git-upload-pack", pkt("want "+strings.Repeat("ab", 20)+"\n") + "0000" + pkt("done\n"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, b.url+tc.path, strings.NewReader(tc.body))
			require.NoError(t, err)
			if tc.enc != "" {
				req.Header.Set("Content-Encoding", tc.enc)
			}
			resp, err := b.srv.Client().Do(req)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		})
	}
}
