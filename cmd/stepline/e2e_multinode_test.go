package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cc "github.com/aws/aws-sdk-go-v2/service/codecommit"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	cptypes "github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/stretchr/testify/require"
	"stepline/store/postgres/pgtest"
)

// node is one in-process `stepline serve` of a cluster and its SDK clients.
type node struct {
	url string
	s3  *s3.Client
	cc  *cc.Client
	cp  *cp.Client
}

// cluster is two serve nodes over one PostgreSQL schema and one --blob-dir.
type cluster struct {
	a, b    node
	blobDir string
}

// mustPostgresSchema returns $STEPLINE_TEST_POSTGRES with a fresh schema on its
// search path, dropped at cleanup, or skips.
func mustPostgresSchema(t testing.TB) string {
	t.Helper()
	return pgtest.URL(t)
}

// setupCluster starts two nodes, each with its own data dir, sharing the database
// and the blob dir.
func setupCluster(t testing.TB) *cluster {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	db := mustPostgresSchema(t)
	c := &cluster{blobDir: t.TempDir()}
	start := func() node {
		cfg, err := ParseServeConfig([]string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(),
			"--database", db, "--blob-dir", c.blobDir}, func(string) string { return "" }, io.Discard)
		require.NoError(t, err)
		m := NewMain(cfg)
		t.Cleanup(func() { _ = m.Close() })
		require.NoError(t, m.Run(t.Context()))
		return newNode(m.URL)
	}
	c.a, c.b = start(), start()

	// A third node on the same database with a blob dir of its own warns.
	cfg, err := ParseServeConfig([]string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--database", db},
		func(string) string { return "" }, io.Discard)
	require.NoError(t, err)
	m := NewMain(cfg)
	var logs lockedWriter
	logs.w = &bytes.Buffer{}
	m.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	t.Cleanup(func() { _ = m.Close() })
	require.NoError(t, m.Run(t.Context()))
	logs.mu.Lock()
	require.Contains(t, logs.w.String(), "is not the blob directory of the other nodes")
	logs.mu.Unlock()
	require.NoError(t, m.Close())
	return c
}

func newNode(url string) node {
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	return node{
		url: url,
		s3:  s3.New(s3.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), UsePathStyle: true, Credentials: creds}),
		cc:  cc.New(cc.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: creds}),
		cp:  cp.New(cp.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: creds}),
	}
}

func TestMultiNode(t *testing.T) {
	t.Parallel()
	c := setupCluster(t)
	t.Run("ObjectPutOnOneNodeReadOnTheOther", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		_, err := c.a.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("shared")})
		require.NoError(t, err)
		for _, size := range []int{100, 64 << 10} { // inline in the record, and a blob file
			body := mustRandom(t, size)
			key := fmt.Sprintf("k%d", size)
			_, err = c.a.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("shared"), Key: aws.String(key), Body: bytes.NewReader(body)})
			require.NoError(t, err)
			require.Equal(t, body, mustGetObject(t, c.b, "shared", key))
		}
	})
	t.Run("MultipartSplitAcrossNodes", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		_, err := c.b.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("multi")})
		require.NoError(t, err)
		up, err := c.a.s3.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("big")})
		require.NoError(t, err)
		var whole []byte
		var parts []s3types.CompletedPart
		for i, n := range []node{c.a, c.b, c.a, c.b} { // 4 parts of 5 MiB: 20 MiB
			body := mustRandom(t, 5<<20)
			whole = append(whole, body...)
			out, err := n.s3.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("multi"), Key: aws.String("big"),
				UploadId: up.UploadId, PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(body)})
			require.NoError(t, err)
			parts = append(parts, s3types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
		}
		_, err = c.b.s3.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("multi"), Key: aws.String("big"),
			UploadId: up.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
		require.NoError(t, err)
		require.True(t, bytes.Equal(whole, mustGetObject(t, c.a, "multi", "big")))
	})
	t.Run("PushOnOneNodeCloneOnTheOther", func(t *testing.T) {
		t.Parallel()
		mustCreateRepo(t, c.a, "across")
		work := t.TempDir()
		a := mustClone(t, c.a, "across", work, "a")
		mustGit(t, a, "checkout", "-q", "-b", "main")
		c1 := mustCommitFile(t, a, "README.md", "hello\n")
		mustGit(t, a, "push", "-q", "origin", "main")
		b := mustClone(t, c.b, "across", work, "b")
		require.Equal(t, c1, strings.TrimSpace(mustGit(t, b, "rev-parse", "HEAD")))
		got, err := os.ReadFile(filepath.Join(b, "README.md"))
		require.NoError(t, err)
		require.Equal(t, "hello\n", string(got))
	})
	t.Run("ConcurrentPushesThroughBothNodesOneWins", func(t *testing.T) {
		t.Parallel()
		mustCreateRepo(t, c.a, "contended")
		work := t.TempDir()
		seed := mustClone(t, c.a, "contended", work, "seed")
		mustGit(t, seed, "checkout", "-q", "-b", "main")
		mustCommitFile(t, seed, "base", "0\n")
		mustGit(t, seed, "push", "-q", "origin", "main")
		for round := range 3 {
			dirs := []string{
				mustClone(t, c.a, "contended", work, fmt.Sprintf("a%d", round)),
				mustClone(t, c.b, "contended", work, fmt.Sprintf("b%d", round)),
			}
			for i, d := range dirs {
				mustCommitFile(t, d, fmt.Sprintf("r%d-%d", round, i), "x\n")
			}
			outs, errs := make([]string, 2), make([]error, 2)
			var wg sync.WaitGroup
			for i, d := range dirs {
				wg.Go(func() { outs[i], errs[i] = runGit(t, d, "push", "origin", "main") })
			}
			wg.Wait()
			wins := 0
			for i := range dirs {
				if errs[i] == nil {
					wins++
					continue
				}
				// Refused by the server's compare-and-swap ("[remote rejected] ...
				// (non-fast-forward)"), or by git itself when the winner's update was
				// already advertised to it ("[rejected] ... (fetch first)").
				require.True(t, strings.Contains(outs[i], "non-fast-forward") || strings.Contains(outs[i], "fetch first"), outs[i])
				// Nothing is lost: the loser rebases on the winner and pushes again.
				mustGit(t, dirs[i], "pull", "-q", "--rebase", "origin", "main")
				mustGit(t, dirs[i], "push", "-q", "origin", "main")
			}
			require.Equal(t, 1, wins, "exactly one of two pushes from the same base wins")
		}
		check := mustClone(t, c.b, "contended", work, "check")
		files, err := os.ReadDir(check)
		require.NoError(t, err)
		require.Len(t, files, 1+1+6) // .git, base, two files per round
	})
	t.Run("StaleOldValueRefusedAcrossNodes", func(t *testing.T) {
		t.Parallel()
		mustCreateRepo(t, c.a, "stale")
		work := t.TempDir()
		w := mustClone(t, c.a, "stale", work, "w")
		mustGit(t, w, "checkout", "-q", "-b", "main")
		base := mustCommitFile(t, w, "base", "0\n")
		mustGit(t, w, "push", "-q", "origin", "main")
		// Node A moves main; then a push to node B still names base as the old value,
		// as a client that read the references before A's push would.
		mine := mustCommitFile(t, w, "mine", "1\n")
		mustGit(t, w, "reset", "-q", "--hard", base)
		mustCommitFile(t, w, "theirs", "2\n")
		mustGit(t, w, "push", "-q", "--force", "origin", "main")
		mustGit(t, w, "reset", "-q", "--hard", mine)
		pack := mustGitBytes(t, w, base+"..HEAD")
		var body bytes.Buffer
		line := base + " " + mine + " refs/heads/main\x00report-status side-band-64k\n"
		fmt.Fprintf(&body, "%04x%s0000", len(line)+4, line)
		body.Write(pack)
		resp, err := http.Post(c.b.url+"/git/stale/git-receive-pack", "application/x-git-receive-pack-request", &body)
		require.NoError(t, err)
		defer resp.Body.Close()
		out, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		require.Contains(t, string(out), "ng refs/heads/main non-fast-forward")
		require.Contains(t, string(out), "refs/heads/main moved on the server")
		br, err := c.b.cc.GetBranch(t.Context(), &cc.GetBranchInput{RepositoryName: aws.String("stale"), BranchName: aws.String("main")})
		require.NoError(t, err)
		require.NotEqual(t, mine, aws.ToString(br.Branch.CommitId))
	})
	t.Run("PushOnOneNodeStartsPipeline", func(t *testing.T) {
		t.Parallel()
		ctx := t.Context()
		mustCreateRepo(t, c.a, "trigger")
		work := t.TempDir()
		w := mustClone(t, c.a, "trigger", work, "w")
		mustGit(t, w, "checkout", "-q", "-b", "main")
		mustCommitFile(t, w, "one", "1\n")
		mustGit(t, w, "push", "-q", "origin", "main")
		_, err := c.a.cp.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: codeCommitPipeline("Trigger", "trigger")})
		require.NoError(t, err)
		// Pushed through node B: the pipeline created through node A starts on it.
		c2 := mustCommitFile(t, w, "two", "2\n")
		mustGit(t, w, "remote", "set-url", "origin", c.b.url+"/git/trigger")
		mustGit(t, w, "push", "-q", "origin", "main")
		require.Eventually(t, func() bool {
			out, err := c.a.cp.ListPipelineExecutions(ctx, &cp.ListPipelineExecutionsInput{PipelineName: aws.String("Trigger")})
			require.NoError(t, err)
			for _, e := range out.PipelineExecutionSummaries {
				for _, r := range e.SourceRevisions {
					if aws.ToString(r.RevisionId) == c2 {
						return true
					}
				}
			}
			return false
		}, 30*time.Second, 20*time.Millisecond)
	})
}

func codeCommitPipeline(name, repo string) *cptypes.PipelineDeclaration {
	return &cptypes.PipelineDeclaration{
		Name:          aws.String(name),
		RoleArn:       aws.String("arn:aws:iam::000000000000:role/pipeline"),
		ArtifactStore: &cptypes.ArtifactStore{Type: cptypes.ArtifactStoreTypeS3, Location: aws.String("artifacts-" + strings.ToLower(name))},
		Stages: []cptypes.StageDeclaration{
			{Name: aws.String("Source"), Actions: []cptypes.ActionDeclaration{{
				Name: aws.String("Source"),
				ActionTypeId: &cptypes.ActionTypeId{Category: cptypes.ActionCategorySource, Owner: cptypes.ActionOwnerAws,
					Provider: aws.String("CodeCommit"), Version: aws.String("1")},
				Configuration:   map[string]string{"RepositoryName": repo, "BranchName": "main", "PollForSourceChanges": "false"},
				OutputArtifacts: []cptypes.OutputArtifact{{Name: aws.String("SourceArtifact")}},
			}}},
			{Name: aws.String("Approve"), Actions: []cptypes.ActionDeclaration{{
				Name: aws.String("Approve"),
				ActionTypeId: &cptypes.ActionTypeId{Category: cptypes.ActionCategoryApproval, Owner: cptypes.ActionOwnerAws,
					Provider: aws.String("Manual"), Version: aws.String("1")},
			}}},
		},
	}
}

func mustRandom(t testing.TB, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

func mustGetObject(t testing.TB, n node, bucket, key string) []byte {
	t.Helper()
	out, err := n.s3.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	require.NoError(t, err)
	defer out.Body.Close()
	body, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	return body
}

func mustCreateRepo(t testing.TB, n node, name string) {
	t.Helper()
	_, err := n.cc.CreateRepository(t.Context(), &cc.CreateRepositoryInput{RepositoryName: aws.String(name)})
	require.NoError(t, err)
}

// mustClone clones repository name through n into work/dir and returns its path.
func mustClone(t testing.TB, n node, name, work, dir string) string {
	t.Helper()
	mustGit(t, work, "clone", "-q", n.url+"/git/"+name, dir)
	return filepath.Join(work, dir)
}

func mustGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := runGit(t, dir, args...)
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
	return out
}

// runGit runs git in dir with a clean configuration.
func runGit(t testing.TB, dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	home := filepath.Join(os.TempDir(), "stepline-git-home")
	cmd.Env = append(os.Environ(),
		"HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
	)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// mustGitBytes returns the pack of the objects in revs, as git pack-objects writes it.
func mustGitBytes(t testing.TB, dir, revs string) []byte {
	t.Helper()
	list := mustGit(t, dir, "rev-list", "--objects", revs)
	cmd := exec.Command("git", "pack-objects", "--stdout", "-q")
	cmd.Dir = dir
	var ids strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
		ids.WriteString(strings.Fields(l)[0] + "\n")
	}
	cmd.Stdin = strings.NewReader(ids.String())
	out, err := cmd.Output()
	require.NoError(t, err)
	return out
}

func mustCommitFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	mustGit(t, dir, "add", name)
	mustGit(t, dir, "commit", "-q", "-m", "add "+name)
	return strings.TrimSpace(mustGit(t, dir, "rev-parse", "HEAD"))
}

// TestParseServeConfigBlobDir checks --blob-dir and --orphan-grace with their
// environment variables.
func TestParseServeConfigBlobDir(t *testing.T) {
	t.Parallel()
	c, err := ParseServeConfig([]string{"--blob-dir", "/shared"}, env(EnvGrace, "2h"), io.Discard)
	require.NoError(t, err)
	require.Equal(t, "/shared", c.BlobDir)
	require.Equal(t, 2*time.Hour, c.OrphanGrace)
	c, err = ParseServeConfig(nil, env(EnvBlobDir, "/nfs/stepline"), io.Discard)
	require.NoError(t, err)
	require.Equal(t, "/nfs/stepline", c.blobRoot())
	c, err = ParseServeConfig([]string{"--data-dir", "/d"}, env(), io.Discard)
	require.NoError(t, err)
	require.Equal(t, "/d", c.blobRoot())
	_, err = ParseServeConfig([]string{"--orphan-grace", "5s"}, env(), io.Discard)
	require.Error(t, err)
	_, err = ParseServeConfig(nil, env(EnvGrace, "soon"), io.Discard)
	require.Error(t, err)
	c, err = ParseServeConfig(nil, env(EnvGitCreds, "/etc/stepline/git-credentials"), io.Discard)
	require.NoError(t, err)
	require.Equal(t, "/etc/stepline/git-credentials", c.GitCredentials)

	// A credentials file that cannot be read stops serve before it listens.
	c, err = ParseServeConfig([]string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(),
		"--git-credentials", filepath.Join(t.TempDir(), "missing")}, env(), io.Discard)
	require.NoError(t, err)
	m := NewMain(c)
	t.Cleanup(func() { _ = m.Close() })
	require.ErrorContains(t, m.Run(t.Context()), "git credentials")
}

// BenchmarkBlobDir measures S3 PUT and GET through one node (SQLite) with blobs
// under the data dir (the default) and under --blob-dir: another directory of the
// same disk, and a tmpfs, which shows what the directory's fsyncs cost.
//
//	go test ./cmd/stepline -run XXX -bench BlobDir -benchtime 20x
func BenchmarkBlobDir(b *testing.B) {
	dirs := map[string]string{"Default": "", "BlobDirSameDisk": "disk"}
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		dirs["BlobDirTmpfs"] = "/dev/shm"
	}
	for _, name := range []string{"Default", "BlobDirSameDisk", "BlobDirTmpfs"} {
		where, ok := dirs[name]
		if !ok {
			continue
		}
		b.Run(name, func(b *testing.B) {
			args := []string{"--listen", "127.0.0.1:0", "--data-dir", b.TempDir()}
			switch where {
			case "":
			case "disk":
				args = append(args, "--blob-dir", b.TempDir())
			default:
				dir, err := os.MkdirTemp(where, "stepline-bench-")
				require.NoError(b, err)
				b.Cleanup(func() { _ = os.RemoveAll(dir) })
				args = append(args, "--blob-dir", dir)
			}
			cfg, err := ParseServeConfig(args, func(string) string { return "" }, io.Discard)
			require.NoError(b, err)
			m := NewMain(cfg)
			b.Cleanup(func() { _ = m.Close() })
			require.NoError(b, m.Run(b.Context()))
			n := newNode(m.URL)
			_, err = n.s3.CreateBucket(b.Context(), &s3.CreateBucketInput{Bucket: aws.String("bench")})
			require.NoError(b, err)
			for _, size := range []int{4 << 10, 8 << 10, 64 << 20} {
				body := mustRandom(b, size)
				key := fmt.Sprintf("k%d", size)
				b.Run(fmt.Sprintf("Put%dKiB", size>>10), func(b *testing.B) {
					b.SetBytes(int64(size))
					for b.Loop() {
						_, err := n.s3.PutObject(b.Context(), &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String(key), Body: bytes.NewReader(body)})
						require.NoError(b, err)
					}
				})
				b.Run(fmt.Sprintf("Get%dKiB", size>>10), func(b *testing.B) {
					b.SetBytes(int64(size))
					for b.Loop() {
						out, err := n.s3.GetObject(b.Context(), &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String(key)})
						require.NoError(b, err)
						_, err = io.Copy(io.Discard, out.Body)
						require.NoError(b, err)
						out.Body.Close()
					}
				})
			}
		})
	}
}

// BenchmarkMultiNodePush measures git pushes through two nodes on PostgreSQL
// sharing a --blob-dir, by four pushers (two per node) at once: each to its own
// branch of one repository (every push is a compare-and-swap of the same
// references record), the same through one node for comparison, and all to main
// (losers pull --rebase and push again).
// It reports pushes/s and, for main, the rejected pushes per accepted one.
//
//	go test ./cmd/stepline -run XXX -bench MultiNodePush -benchtime 40x
func BenchmarkMultiNodePush(b *testing.B) {
	for _, mode := range []struct {
		name        string
		shared, one bool
	}{{"OwnBranches", false, false}, {"OwnBranchesOneNode", false, true}, {"SameBranch", true, false}} {
		shared := mode.shared
		b.Run(mode.name, func(b *testing.B) {
			c := setupCluster(b)
			mustCreateRepo(b, c.a, "bench")
			work := b.TempDir()
			seed := mustClone(b, c.a, "bench", work, "seed")
			mustGit(b, seed, "checkout", "-q", "-b", "main")
			mustCommitFile(b, seed, "base", "0\n")
			mustGit(b, seed, "push", "-q", "origin", "main")
			const pushers = 4
			dirs := make([]string, pushers)
			for i := range dirs {
				n := []node{c.a, c.b}[i%2]
				if mode.one {
					n = c.a
				}
				dirs[i] = mustClone(b, n, "bench", work, fmt.Sprintf("p%d", i))
			}
			var next, rejected atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for i, d := range dirs {
				branch := "main"
				if !shared {
					branch = fmt.Sprintf("b%d", i)
				}
				wg.Go(func() {
					for k := next.Add(1); k <= int64(b.N); k = next.Add(1) {
						mustCommitFile(b, d, fmt.Sprintf("f%d", k), "x\n")
						for {
							if _, err := runGit(b, d, "push", "-q", "origin", "HEAD:refs/heads/"+branch); err == nil {
								break
							}
							rejected.Add(1)
							mustGit(b, d, "pull", "-q", "--rebase", "origin", branch)
						}
					}
				})
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pushes/s")
			b.ReportMetric(float64(rejected.Load())/float64(b.N), "rejected/push")
		})
	}
}
