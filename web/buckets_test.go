package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/objects"
	"stepline/repos"
	"stepline/sfn"
	"stepline/store/sqlite"
	"stepline/web"
)

// storageBundle is a console over a real object store and repository service on one
// SQLite store, with blobs and repositories under a temporary directory.
type storageBundle struct {
	*testBundle
	objs  *objects.Service
	repos *repos.Service
}

func setupStorage(t testing.TB) *storageBundle {
	t.Helper()
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "stepline.db"))
	require.NoError(t, err)
	svc := sfn.New(st, sfn.Config{NodeID: "test"})
	blobs, err := objects.OpenFSBlobs(filepath.Join(dir, "blobs"))
	require.NoError(t, err)
	b := &storageBundle{testBundle: &testBundle{svc: svc}, objs: objects.New(objects.Config{Store: st, Blobs: blobs, Region: "us-east-1"})}
	b.repos, err = repos.New(repos.Config{Store: st, Dir: filepath.Join(dir, "repos")})
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	c, err := web.NewConsole(web.Deps{SFN: svc, Objects: b.objs, Repos: b.repos})
	require.NoError(t, err)
	b.console = c
	return b
}

// MustPut stores an object with a body and metadata.
func (b *storageBundle) MustPut(tb testing.TB, bucket, key, body string, meta map[string]string) objects.Object {
	tb.Helper()
	o, err := b.objs.PutObject(tb.Context(), objects.PutParams{Bucket: bucket, Key: key, Body: strings.NewReader(body),
		Size: int64(len(body)), Metadata: meta, Headers: objects.Headers{ContentType: "text/plain"}})
	require.NoError(tb, err)
	return o
}

func TestBucketPages(t *testing.T) {
	t.Parallel()
	b := setupStorage(t)
	ctx := t.Context()
	_, err := b.objs.CreateBucket(ctx, "my-source-bucket", "", "000000000000")
	require.NoError(t, err)
	require.NoError(t, b.objs.SetVersioning(ctx, "my-source-bucket", objects.VersioningEnabled))
	v1 := b.MustPut(t, "my-source-bucket", "source.zip", "first", map[string]string{"team": "ops"})
	v2 := b.MustPut(t, "my-source-bucket", "source.zip", "second!", nil)
	b.MustPut(t, "my-source-bucket", "builds/2026/app.zip", "app", nil)

	code, body := b.get(t, "/_console/buckets")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<a href="/_console/buckets/my-source-bucket">my-source-bucket</a>`)
	require.Contains(t, body, `aria-current="page">Buckets</a>`)

	code, body = b.get(t, "/_console/buckets/my-source-bucket")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<a href="/_console/buckets/my-source-bucket?prefix=builds%2F">builds/</a>`)
	require.Contains(t, body, `<a href="/_console/buckets/my-source-bucket/object?key=source.zip">source.zip</a>`)
	require.NotContains(t, body, "app.zip", "keys in folders stay in their folder")

	code, body = b.get(t, "/_console/buckets/my-source-bucket?prefix=builds%2F2026%2F")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `key=builds%2F2026%2Fapp.zip">app.zip</a>`)
	require.Contains(t, body, `<a href="/_console/buckets/my-source-bucket?prefix=builds%2F">builds</a>`, "breadcrumbs up the folders")

	code, body = b.get(t, "/_console/buckets/my-source-bucket?versions=1")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, v1.VersionID)
	require.Contains(t, body, v2.VersionID)

	code, body = b.get(t, "/_console/buckets/my-source-bucket/object?key=source.zip")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, v2.ETag)
	require.Contains(t, body, v2.VersionID+` <span class="muted">(current version)</span>`)
	require.Contains(t, body, "7 B")
	require.Contains(t, body, `<h2 class="pad" id="versions-title">Versions</h2>`)
	require.Contains(t, body, `versionId=`+url.QueryEscape(v1.VersionID))

	code, body = b.get(t, "/_console/buckets/my-source-bucket/object?key=source.zip&versionId="+url.QueryEscape(v1.VersionID))
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "x-amz-meta-team")

	req, w := httpGet("/_console/buckets/my-source-bucket/download?key=source.zip&versionId=" + url.QueryEscape(v1.VersionID))
	b.console.ServeHTTP(w, req)
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, "first", w.Body.String())
	require.Equal(t, `attachment; filename=source.zip`, w.Header().Get("Content-Disposition"))
	require.Equal(t, "application/octet-stream", w.Header().Get("Content-Type"))

	for path, want := range map[string]int{
		"/_console/buckets/nope":                                          http.StatusNotFound,
		"/_console/buckets/my-source-bucket/object?key=missing":           http.StatusNotFound,
		"/_console/buckets/my-source-bucket/object":                       http.StatusNotFound,
		"/_console/buckets/my-source-bucket/object?key=a&versionId=%00x":  http.StatusBadRequest,
		"/_console/buckets/my-source-bucket/download?key=missing":         http.StatusNotFound,
		"/_console/buckets/Bad_Name":                                      http.StatusNotFound,
		"/_console/buckets/my-source-bucket?after=%FF&afterVersion=zzzzz": http.StatusOK,
	} {
		code, _ := b.get(t, path)
		require.Equal(t, want, code, path)
	}
}

func httpGet(path string) (*http.Request, *httptest.ResponseRecorder) {
	return httptest.NewRequest(http.MethodGet, path, nil), httptest.NewRecorder()
}

func TestObjectPageListsZipFiles(t *testing.T) {
	t.Parallel()
	b := setupStorage(t)
	_, err := b.objs.CreateBucket(t.Context(), "artifacts", "", "000000000000")
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"buildspec.yml", "src/main.go"} {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte("content of " + name))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	b.MustPut(t, "artifacts", "ops/SourceArti/Xa1b2c3", buf.String(), nil)
	b.MustPut(t, "artifacts", "notes.txt", "PK but not a zip", nil)

	_, body := b.get(t, "/_console/buckets/artifacts/object?key=ops%2FSourceArti%2FXa1b2c3")
	require.Contains(t, body, "Files in this zip")
	require.Contains(t, body, `<td class="mono small">src/main.go</td>`)
	require.Contains(t, body, `<td class="mono small">buildspec.yml</td>`)
	code, body := b.get(t, "/_console/buckets/artifacts/object?key=notes.txt")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, body, "Files in this zip")
}

func TestBucketPaging(t *testing.T) {
	t.Parallel()
	b := setupStorage(t)
	_, err := b.objs.CreateBucket(t.Context(), "many", "", "000000000000")
	require.NoError(t, err)
	for i := range 130 {
		b.MustPut(t, "many", fmt.Sprintf("k%04d", i), "x", nil)
	}
	_, body := b.get(t, "/_console/buckets/many")
	require.Equal(t, 100, strings.Count(body, `/_console/buckets/many/object?key=`))
	require.Contains(t, body, `after=k0099">Next page →</a>`)
	_, body = b.get(t, "/_console/buckets/many?after=k0099")
	require.Equal(t, 30, strings.Count(body, `/_console/buckets/many/object?key=`))
	require.Contains(t, body, "First page")
}

func TestStoragePagesWithoutServices(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, body := b.get(t, "/_console/buckets")
	require.Contains(t, body, "does not run the object store")
	_, body = b.get(t, "/_console/repositories")
	require.Contains(t, body, "does not run the repository service")
	code, _ := b.get(t, "/_console/buckets/x-bucket")
	require.Equal(t, http.StatusNotFound, code)
	code, _ = b.get(t, "/_console/repositories/r")
	require.Equal(t, http.StatusNotFound, code)
}

func TestRepositoryPages(t *testing.T) {
	t.Parallel()
	b := setupStorage(t)
	ctx := t.Context()
	_, err := b.repos.CreateRepository(ctx, repos.CreateRepositoryParams{Name: "app", Description: "The app"})
	require.NoError(t, err)
	code, body := b.get(t, "/_console/repositories/app")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "No commits yet")

	first, _, _, err := b.repos.PutFile(ctx, repos.PutFileParams{Repository: "app", Branch: "main", Path: "README.md",
		Content: []byte("# app\n<b>hi</b>\n"), Message: "Add the readme", Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	second, _, _, err := b.repos.PutFile(ctx, repos.PutFileParams{Repository: "app", Branch: "main", Path: "src/main.go",
		Content: []byte("package main\n"), ParentCommitID: first, Message: "Add main\n\nwith a body", Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	require.NoError(t, b.repos.CreateBranch(ctx, "app", "feature", first))
	require.NoError(t, b.repos.CreateBranch(ctx, "app", "bin", second))
	_, _, _, err = b.repos.PutFile(ctx, repos.PutFileParams{Repository: "app", Branch: "bin", Path: "logo.png", ParentCommitID: second,
		Content: []byte{0x89, 'P', 'N', 'G', 0, 1, 2}, Message: "logo", Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)

	code, body = b.get(t, "/_console/repositories")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<a href="/_console/repositories/app">app</a>`)
	require.Contains(t, body, "The app")

	code, body = b.get(t, "/_console/repositories/app")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<a href="/_console/repositories/app?ref=feature">feature</a>`)
	require.Contains(t, body, `path=src&amp;ref=main">src/</a>`)
	require.Contains(t, body, `path=README.md&amp;ref=main">README.md</a>`)
	require.Contains(t, body, "Add main")
	require.NotContains(t, body, "with a body", "only the subject line")
	require.Contains(t, body, second[:7])
	require.Contains(t, body, first[:7])

	code, body = b.get(t, "/_console/repositories/app/tree?ref=main&path=src")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `path=src%2Fmain.go&amp;ref=main">main.go</a>`)

	code, body = b.get(t, "/_console/repositories/app/file?ref=main&path=README.md")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "# app\n&lt;b&gt;hi&lt;/b&gt;")

	code, body = b.get(t, "/_console/repositories/app?ref=feature")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, body, "src/", "the feature branch is at the first commit")

	code, body = b.get(t, "/_console/repositories/app/file?ref=bin&path=logo.png")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, "This file is not text")

	for path, want := range map[string]int{
		"/_console/repositories/nope":                             http.StatusNotFound,
		"/_console/repositories/app?ref=no-such-branch":           http.StatusNotFound,
		"/_console/repositories/app/file?ref=main&path=missing":   http.StatusNotFound,
		"/_console/repositories/app/file?ref=main&path=../etc":    http.StatusBadRequest,
		"/_console/repositories/app/tree?ref=main&path=README.md": http.StatusNotFound,
		"/_console/repositories/app/file?ref=main":                http.StatusBadRequest,
	} {
		code, _ := b.get(t, path)
		require.Equal(t, want, code, path)
	}
}
