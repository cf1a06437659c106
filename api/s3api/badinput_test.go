package s3api_test

import (
	"bufio"
	"crypto/md5"
	"encoding/base64"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/s3api"
)

// raw sends an unsigned request and returns the status, headers and body.
func raw(t *testing.T, method, u string, body string, hdr map[string]string) (int, http.Header, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	require.NoError(t, err)
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

// requireError checks an S3 XML error's status and code.
func requireError(t *testing.T, status int, code string, gotStatus int, body string) {
	t.Helper()
	require.Equal(t, status, gotStatus, body)
	require.Contains(t, body, "<Code>"+code+"</Code>", body)
}

// blobCount counts the blob files under the server's blob directory.
func blobCount(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	}))
	return n
}

func crc32b64(s string) string {
	c := crc32.ChecksumIEEE([]byte(s))
	return base64.StdEncoding.EncodeToString([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
}

func TestErrorShape(t *testing.T) {
	t.Parallel()
	srv := MustStart(t)
	st, _, _ := raw(t, http.MethodPut, srv.URL+"/shape", "", nil)
	require.Equal(t, http.StatusOK, st)
	st, hdr, body := raw(t, http.MethodGet, srv.URL+"/shape/missing%20key", "", nil)
	require.Equal(t, http.StatusNotFound, st)
	require.Equal(t, "application/xml", hdr.Get("Content-Type"))
	require.Contains(t, body, `<?xml version="1.0" encoding="UTF-8"?>`)
	require.Contains(t, body, "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>missing key</Key><RequestId>"+
		hdr.Get("x-amz-request-id")+"</RequestId>")
	st, _, body = raw(t, http.MethodGet, srv.URL+"/nobucket/k", "", nil)
	requireError(t, http.StatusNotFound, "NoSuchBucket", st, body)
	require.Contains(t, body, "<BucketName>nobucket</BucketName>")
	// HEAD errors have no body.
	st, _, body = raw(t, http.MethodHead, srv.URL+"/shape/missing", "", nil)
	require.Equal(t, http.StatusNotFound, st)
	require.Empty(t, body)
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := MustStart(t)
	st, _, _ := raw(t, http.MethodPut, srv.URL+"/bad", "", nil)
	require.Equal(t, http.StatusOK, st)
	before := blobCount(t, srv.Blobs)

	t.Run("MalformedXML", func(t *testing.T) {
		st, _, body := raw(t, http.MethodPut, srv.URL+"/bad?versioning", "<VersioningConfiguration><Status>", nil)
		requireError(t, http.StatusBadRequest, "MalformedXML", st, body)
		st, _, body = raw(t, http.MethodPut, srv.URL+"/bad?versioning", "<VersioningConfiguration><Status>Sometimes</Status></VersioningConfiguration>", nil)
		requireError(t, http.StatusBadRequest, "MalformedXML", st, body)
		st, _, body = raw(t, http.MethodPost, srv.URL+"/bad?delete", "not xml", nil)
		requireError(t, http.StatusBadRequest, "MalformedXML", st, body)
		st, _, body = raw(t, http.MethodPost, srv.URL+"/bad?delete", "<Delete></Delete>", nil)
		requireError(t, http.StatusBadRequest, "MalformedXML", st, body)
	})
	t.Run("BucketNames", func(t *testing.T) {
		for _, name := range []string{"ab", "Upper", "under_score", "a..b", "-dash", "dash-", "192.168.5.4", "xn--punycode", strings.Repeat("a", 64)} {
			st, _, body := raw(t, http.MethodPut, srv.URL+"/"+name, "", nil)
			requireError(t, http.StatusBadRequest, "InvalidBucketName", st, body)
		}
	})
	t.Run("KeyTooLong", func(t *testing.T) {
		st, _, body := raw(t, http.MethodPut, srv.URL+"/bad/"+strings.Repeat("k", 1025), "x", nil)
		requireError(t, http.StatusBadRequest, "KeyTooLongError", st, body)
		st, _, _ = raw(t, http.MethodPut, srv.URL+"/bad/"+strings.Repeat("k", 1024), "x", nil)
		require.Equal(t, http.StatusOK, st)
		st, _, _ = raw(t, http.MethodDelete, srv.URL+"/bad/"+strings.Repeat("k", 1024), "", nil)
		require.Equal(t, http.StatusNoContent, st)
	})
	t.Run("Digests", func(t *testing.T) {
		wrong := md5.Sum([]byte("other"))
		for _, tc := range []struct {
			name, code string
			hdr        map[string]string
		}{
			{"WrongMD5", "BadDigest", map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(wrong[:])}},
			{"BadMD5", "InvalidDigest", map[string]string{"Content-MD5": "abc"}},
			{"WrongCRC32", "BadDigest", map[string]string{"x-amz-checksum-crc32": crc32b64("other")}},
			{"BadCRC32", "InvalidRequest", map[string]string{"x-amz-checksum-crc32": "AAAA"}},
			{"WrongSHA256", "XAmzContentSHA256Mismatch", map[string]string{"x-amz-content-sha256": strings.Repeat("ab", 32)}},
			{"WrongTrailer", "BadDigest", map[string]string{"x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
				"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "7", "x-amz-trailer": "x-amz-checksum-crc32",
				"body": "7\r\ncontent\r\n0\r\nx-amz-checksum-crc32:" + crc32b64("other") + "\r\n\r\n"}},
			{"ShortChunks", "IncompleteBody", map[string]string{"x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
				"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": "70", "body": "7;chunk-signature=00\r\ncontent\r\n0;chunk-signature=00\r\n\r\n"}},
			{"BadChunks", "InvalidRequest", map[string]string{"x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
				"x-amz-decoded-content-length": "7", "body": "zz\r\ncontent\r\n0\r\n\r\n"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body := "content"
				if b, ok := tc.hdr["body"]; ok {
					body = b
					delete(tc.hdr, "body")
				}
				st, _, resp := raw(t, http.MethodPut, srv.URL+"/bad/digest", body, tc.hdr)
				requireError(t, http.StatusBadRequest, tc.code, st, resp)
				st, _, _ = raw(t, http.MethodHead, srv.URL+"/bad/digest", "", nil)
				require.Equal(t, http.StatusNotFound, st)
			})
		}
	})
	t.Run("Truncated", func(t *testing.T) {
		u, err := url.Parse(srv.URL)
		require.NoError(t, err)
		conn, err := net.Dial("tcp", u.Host)
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, "PUT /bad/truncated HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")
		require.NoError(t, err)
		require.NoError(t, conn.(*net.TCPConn).CloseWrite())
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		requireError(t, http.StatusBadRequest, "IncompleteBody", resp.StatusCode, string(b))
		st, _, _ := raw(t, http.MethodHead, srv.URL+"/bad/truncated", "", nil)
		require.Equal(t, http.StatusNotFound, st)
	})
	t.Run("NotImplemented", func(t *testing.T) {
		st, _, _ := raw(t, http.MethodPut, srv.URL+"/bad/tagged", "original", nil)
		require.Equal(t, http.StatusOK, st)
		for _, tc := range []struct{ method, path, body string }{
			{http.MethodPut, "/bad/tagged?tagging", "<Tagging><TagSet></TagSet></Tagging>"},
			{http.MethodPut, "/bad/tagged?acl", ""},
			{http.MethodPut, "/bad?acl", ""},
			{http.MethodGet, "/bad?policy", ""},
			{http.MethodPut, "/bad?lifecycle", "<LifecycleConfiguration/>"},
			{http.MethodPut, "/bad?cors", "<CORSConfiguration/>"},
			{http.MethodPut, "/bad?website", "<WebsiteConfiguration/>"},
			{http.MethodDelete, "/bad/tagged?tagging", ""},
		} {
			st, _, body := raw(t, tc.method, srv.URL+tc.path, tc.body, nil)
			requireError(t, http.StatusNotImplemented, "NotImplemented", st, body)
		}
		st, _, body := raw(t, http.MethodPut, srv.URL+"/bad/tagged", "replaced", map[string]string{"x-amz-tagging": "a=b"})
		requireError(t, http.StatusNotImplemented, "NotImplemented", st, body)
		st, _, body = raw(t, http.MethodGet, srv.URL+"/bad/tagged", "", nil)
		require.Equal(t, http.StatusOK, st)
		require.Equal(t, "original", body)
		st, _, _ = raw(t, http.MethodDelete, srv.URL+"/bad/tagged", "", nil)
		require.Equal(t, http.StatusNoContent, st)
	})
	require.Equal(t, before, blobCount(t, srv.Blobs), "a refused upload left a blob behind")
}

func TestChunkedTrailer(t *testing.T) {
	t.Parallel()
	srv := MustStart(t)
	st, _, _ := raw(t, http.MethodPut, srv.URL+"/chunks", "", nil)
	require.Equal(t, http.StatusOK, st)
	body := "5;chunk-signature=aa\r\nhello\r\n6;chunk-signature=bb\r\n world\r\n0;chunk-signature=cc\r\nx-amz-checksum-crc32:" +
		crc32b64("hello world") + "\r\nx-amz-trailer-signature:dd\r\n\r\n"
	st, hdr, resp := raw(t, http.MethodPut, srv.URL+"/chunks/k", body, map[string]string{
		"x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked,gzip",
		"x-amz-decoded-content-length": "11", "x-amz-trailer": "x-amz-checksum-crc32"})
	require.Equal(t, http.StatusOK, st, resp)
	require.Equal(t, crc32b64("hello world"), hdr.Get("x-amz-checksum-crc32"))
	st, hdr, resp = raw(t, http.MethodGet, srv.URL+"/chunks/k", "", map[string]string{"x-amz-checksum-mode": "ENABLED", "Accept-Encoding": "identity"})
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, "hello world", resp)
	require.Equal(t, "gzip", hdr.Get("Content-Encoding"))
	require.Equal(t, crc32b64("hello world"), hdr.Get("x-amz-checksum-crc32"))
}

func TestVirtualHost(t *testing.T) {
	t.Parallel()
	srv := MustStart(t)
	st, _, _ := raw(t, http.MethodPut, srv.URL+"/", "", map[string]string{"Host": "vhost.localhost"})
	require.Equal(t, http.StatusOK, st)
	st, _, _ = raw(t, http.MethodPut, srv.URL+"/a/b.txt", "vh", map[string]string{"Host": "vhost.localhost:4566"})
	require.Equal(t, http.StatusOK, st)
	st, _, body := raw(t, http.MethodGet, srv.URL+"/vhost/a/b.txt", "", nil)
	require.Equal(t, http.StatusOK, st)
	require.Equal(t, "vh", body)
	st, _, body = raw(t, http.MethodGet, srv.URL+"/?list-type=2", "", map[string]string{"Host": "vhost.s3.us-west-2.amazonaws.com"})
	require.Equal(t, http.StatusOK, st)
	require.Contains(t, body, "<Key>a/b.txt</Key>")
}

func TestMatches(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		method, path, target string
		want                 bool
	}{
		{http.MethodGet, "/", "", true},
		{http.MethodPut, "/bucket/key", "", true},
		{http.MethodPost, "/", "AWSStepFunctions.StartExecution", false},
		{http.MethodGet, "/_console/", "", false},
		{http.MethodGet, "/repo.git/info/refs?service=git-upload-pack", "", false},
		{http.MethodGet, "/bucket/info/refs", "", true},
	} {
		r, err := http.NewRequest(tc.method, "http://h"+tc.path, nil)
		require.NoError(t, err)
		if tc.target != "" {
			r.Header.Set("X-Amz-Target", tc.target)
		}
		require.Equal(t, tc.want, s3api.Matches(r), tc.path)
	}
}

func TestDeleteObjectsDigest(t *testing.T) {
	t.Parallel()
	srv := MustStart(t)
	st, _, _ := raw(t, http.MethodPut, srv.URL+"/deldig", "", nil)
	require.Equal(t, http.StatusOK, st)
	st, _, _ = raw(t, http.MethodPut, srv.URL+"/deldig/keep", "kept", nil)
	require.Equal(t, http.StatusOK, st)
	doc := "<Delete><Object><Key>keep</Key></Object></Delete>"
	wrong := md5.Sum([]byte("other"))
	st, _, body := raw(t, http.MethodPost, srv.URL+"/deldig?delete", doc, map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(wrong[:])})
	requireError(t, http.StatusBadRequest, "BadDigest", st, body)
	st, _, _ = raw(t, http.MethodHead, srv.URL+"/deldig/keep", "", nil)
	require.Equal(t, http.StatusOK, st)
}
