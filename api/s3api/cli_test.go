package s3api_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// awsCLI runs the aws CLI against a server; tests skip when it is not installed.
type awsCLI struct {
	t        *testing.T
	endpoint string
	dir      string
}

func mustCLI(t *testing.T) *awsCLI {
	t.Helper()
	if testing.Short() {
		t.Skip("the aws CLI takes seconds per command")
	}
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("aws CLI not on PATH")
	}
	return &awsCLI{t: t, endpoint: MustStart(t).URL, dir: t.TempDir()}
}

// run runs one aws command and returns its stdout; failure fails the test.
func (c *awsCLI) run(args ...string) string {
	c.t.Helper()
	out, err := c.try(args...)
	require.NoError(c.t, err, "aws %s: %s", strings.Join(args, " "), out)
	return out
}

func (c *awsCLI) try(args ...string) (string, error) {
	cmd := exec.CommandContext(c.t.Context(), "aws", append([]string{"--endpoint-url", c.endpoint}, args...)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

func (c *awsCLI) json(v any, args ...string) {
	c.t.Helper()
	require.NoError(c.t, json.Unmarshal([]byte(c.run(append(args, "--output", "json")...)), v))
}

func (c *awsCLI) file(name string, data []byte) string {
	p := filepath.Join(c.dir, name)
	require.NoError(c.t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(c.t, os.WriteFile(p, data, 0o644))
	return p
}

func TestCLITransfer(t *testing.T) {
	t.Parallel()
	c := mustCLI(t)
	c.run("s3", "mb", "s3://cli-bucket")
	require.Contains(t, c.run("s3", "ls"), "cli-bucket")

	// 50 MiB: the CLI uploads it in 8 MiB parts with CRC32 checksums.
	big := make([]byte, 50<<20)
	_, _ = rand.Read(big)
	src := c.file("big.bin", big)
	c.run("s3", "cp", "--no-progress", src, "s3://cli-bucket/data/big.bin")
	var head struct {
		ContentLength int64
		ETag          string
	}
	c.json(&head, "s3api", "head-object", "--bucket", "cli-bucket", "--key", "data/big.bin")
	require.Equal(t, int64(50<<20), head.ContentLength)
	require.True(t, strings.HasSuffix(head.ETag, `-7"`), head.ETag)
	back := filepath.Join(c.dir, "back.bin")
	c.run("s3", "cp", "--no-progress", "s3://cli-bucket/data/big.bin", back)
	got, err := os.ReadFile(back)
	require.NoError(t, err)
	require.True(t, bytes.Equal(big, got))

	// sync uploads only what changed.
	c.file("tree/a.txt", []byte("a"))
	c.file("tree/sub/b.txt", []byte("b"))
	out := c.run("s3", "sync", "--no-progress", filepath.Join(c.dir, "tree"), "s3://cli-bucket/tree")
	require.Equal(t, 2, strings.Count(out, "upload:"))
	c.file("tree/sub/b.txt", []byte("b2"))
	out = c.run("s3", "sync", "--no-progress", filepath.Join(c.dir, "tree"), "s3://cli-bucket/tree")
	require.Equal(t, 1, strings.Count(out, "upload:"), out)
	ls := c.run("s3", "ls", "--recursive", "s3://cli-bucket/tree/")
	require.Contains(t, ls, "tree/a.txt")
	require.Contains(t, ls, "tree/sub/b.txt")
	require.Contains(t, c.run("s3", "ls", "s3://cli-bucket/tree/"), "PRE sub/")

	// Range GET and copy.
	rangeOut := filepath.Join(c.dir, "range.bin")
	c.run("s3api", "get-object", "--bucket", "cli-bucket", "--key", "data/big.bin", "--range", "bytes=100-199", rangeOut)
	got, err = os.ReadFile(rangeOut)
	require.NoError(t, err)
	require.Equal(t, big[100:200], got)
	c.run("s3", "cp", "--no-progress", "s3://cli-bucket/tree/a.txt", "s3://cli-bucket/copied.txt")
	require.Equal(t, "a", c.run("s3", "cp", "--no-progress", "s3://cli-bucket/copied.txt", "-"))

	// Presign, then a plain HTTP GET.
	url := strings.TrimSpace(c.run("s3", "presign", "s3://cli-bucket/tree/a.txt", "--expires-in", "300"))
	resp, err := http.Get(url)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "a", string(body))

	// The CLI lists with encoding-type=url and decodes with unquote_plus.
	c.run("s3", "cp", "--no-progress", filepath.Join(c.dir, "tree", "a.txt"), "s3://cli-bucket/odd key+plus%.txt")
	require.Contains(t, c.run("s3", "ls", "s3://cli-bucket/"), "odd key+plus%.txt")

	c.run("s3", "rm", "--recursive", "s3://cli-bucket/")
	c.run("s3", "rb", "s3://cli-bucket")
}

func TestCLIVersioning(t *testing.T) {
	t.Parallel()
	c := mustCLI(t)
	c.run("s3api", "create-bucket", "--bucket", "cli-vers")
	c.run("s3api", "put-bucket-versioning", "--bucket", "cli-vers", "--versioning-configuration", "Status=Enabled")
	var ver struct{ Status string }
	c.json(&ver, "s3api", "get-bucket-versioning", "--bucket", "cli-vers")
	require.Equal(t, "Enabled", ver.Status)

	var put1, put2 struct{ VersionId string }
	c.json(&put1, "s3api", "put-object", "--bucket", "cli-vers", "--key", "k", "--body", c.file("one", []byte("one")))
	c.json(&put2, "s3api", "put-object", "--bucket", "cli-vers", "--key", "k", "--body", c.file("two", []byte("two")))
	require.NotEqual(t, put1.VersionId, put2.VersionId)

	out := filepath.Join(c.dir, "out")
	c.run("s3api", "get-object", "--bucket", "cli-vers", "--key", "k", "--version-id", put1.VersionId, out)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, "one", string(got))

	var del struct {
		DeleteMarker bool
		VersionId    string
	}
	c.json(&del, "s3api", "delete-object", "--bucket", "cli-vers", "--key", "k")
	require.True(t, del.DeleteMarker)
	msg, err := c.try("s3api", "get-object", "--bucket", "cli-vers", "--key", "k", out)
	require.Error(t, err)
	require.Contains(t, msg, "NoSuchKey")

	var versions struct {
		Versions      []struct{ VersionId string }
		DeleteMarkers []struct {
			VersionId string
			IsLatest  bool
		}
	}
	c.json(&versions, "s3api", "list-object-versions", "--bucket", "cli-vers")
	require.Len(t, versions.Versions, 2)
	require.Len(t, versions.DeleteMarkers, 1)
	require.True(t, versions.DeleteMarkers[0].IsLatest)

	// A wrong Content-MD5 stores nothing: the current version stays the delete marker.
	msg, err = c.try("s3api", "put-object", "--bucket", "cli-vers", "--key", "k", "--body", c.file("three", []byte("three")),
		"--content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==")
	require.Error(t, err)
	require.Contains(t, msg, "BadDigest")
	msg, err = c.try("s3api", "create-bucket", "--bucket", "bad_name")
	require.Error(t, err)
	require.Contains(t, msg, "InvalidBucketName")

	c.run("s3api", "delete-object", "--bucket", "cli-vers", "--key", "k", "--version-id", del.VersionId)
	c.run("s3api", "get-object", "--bucket", "cli-vers", "--key", "k", out)
	got, err = os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, "two", string(got))
}
