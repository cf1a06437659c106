package githttp_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/api/githttp"
	"stepline/repos"
	"stepline/store/sqlite"
)

// FuzzRequests sends hostile bodies to both POST endpoints of a repository with
// history: the handler must answer, never panic, and never move a reference
// without a well-formed push.
func FuzzRequests(f *testing.F) {
	st, err := sqlite.Open(":memory:")
	require.NoError(f, err)
	f.Cleanup(func() { _ = st.Close() })
	svc, err := repos.New(repos.Config{Store: st, Dir: f.TempDir()})
	require.NoError(f, err)
	_, err = svc.CreateRepository(f.Context(), repos.CreateRepositoryParams{Name: "fz"})
	require.NoError(f, err)
	head, _, _, err := svc.PutFile(f.Context(), repos.PutFileParams{Repository: "fz", Branch: "main", Path: "a", Content: []byte("a")})
	require.NoError(f, err)
	h := githttp.New(svc)

	f.Add(true, false, []byte(pkt("want "+head+" ofs-delta\n")+"0000"+pkt("done\n")))
	f.Add(true, false, []byte(pkt("want "+head+"\n")+"0000"+pkt("have "+head+"\n")+"0000"))
	f.Add(true, true, []byte(pkt("command=ls-refs\n")+"0001"+pkt("peel\n")+pkt("symrefs\n")+pkt("unborn\n")+"0000"))
	f.Add(true, true, []byte(pkt("command=fetch\n")+"0001"+pkt("want "+head+"\n")+pkt("have "+head+"\n")+pkt("done\n")+"0000"))
	f.Add(false, false, []byte(pkt(head+" "+head+" refs/heads/main\x00report-status atomic\n")+"0000PACK"))
	f.Add(false, false, []byte(pkt("0000000000000000000000000000000000000000 "+head+" refs/heads/x\x00report-status\n")+"0000"))
	f.Add(false, false, []byte("0004000000"))
	f.Add(true, false, []byte(pkt("want "+head+" deepen-relative\n")+pkt("shallow "+head+"\n")+pkt("deepen 1\n")+"0000"+pkt("done\n")))
	f.Add(true, false, []byte(pkt("want "+head+"\n")+pkt("deepen-since 0\n")+pkt("deepen-not main\n")+"0000"))
	f.Add(true, true, []byte(pkt("command=fetch\n")+"0001"+pkt("want "+head+"\n")+pkt("deepen 2147483647\n")+pkt("deepen-relative\n")+pkt("done\n")+"0000"))
	f.Add(true, true, []byte(pkt("command=fetch\n")+"0001"+pkt("want "+head+"\n")+pkt("deepen-since 4000000000\n")+pkt("done\n")+"0000"))
	f.Fuzz(func(t *testing.T, upload, v2 bool, body []byte) {
		path := "/git/fz/git-receive-pack"
		if upload {
			path = "/git/fz/git-upload-pack"
		}
		req := httptest.NewRequestWithContext(t.Context(), http.MethodPost, path, bytes.NewReader(body))
		if v2 {
			req.Header.Set("Git-Protocol", "version=2")
		}
		rec := httptest.NewRecorder()
		done := make(chan struct{})
		go func() {
			defer close(done)
			h.ServeHTTP(rec, req)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("no answer within 10s to %q", body)
		}
		require.NotZero(t, rec.Code)
		br, err := svc.GetBranch(t.Context(), "fz", "main")
		require.NoError(t, err)
		require.Equal(t, head, br.CommitID, "main moved without a valid pack")
	})
}
