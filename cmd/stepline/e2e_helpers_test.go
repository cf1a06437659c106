package main

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

// mustBuildBinary builds ./cmd/stepline into the test's temporary directory, so nothing
// outlives it; the build cache makes every build after the first a link.
func mustBuildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary; skipped with -short")
	}
	path := filepath.Join(t.TempDir(), "stepline")
	out, err := exec.Command("go", "build", "-o", path, ".").CombinedOutput()
	require.NoError(t, err, "go build:\n%s", out)
	return path
}

// freePort returns a loopback port nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	return port
}

// serverProc is a running `stepline serve`.
type serverProc struct {
	cmd    *exec.Cmd
	url    string
	output *bytes.Buffer
	done   chan struct{}
}

// startServe runs `stepline serve --listen 127.0.0.1:<port> --data-dir <dir>` and
// waits until /healthz answers.
func startServe(t *testing.T, bin string, port int, dataDir string) *serverProc {
	t.Helper()
	p := &serverProc{url: fmt.Sprintf("http://127.0.0.1:%d", port), output: &bytes.Buffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--listen", fmt.Sprintf("127.0.0.1:%d", port), "--data-dir", dataDir)
	p.cmd.Stdout, p.cmd.Stderr = &lockedWriter{w: p.output}, &lockedWriter{w: p.output}
	require.NoError(t, p.cmd.Start())
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(p.url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("stepline serve exited early:\n%s", p.output.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("stepline serve did not become healthy:\n%s", p.output.String())
		}
	}
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *serverProc) kill() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
	}
	<-p.done
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

// e2eClient returns an SDK client for a server.
func e2eClient(url string) *awssfn.Client {
	return awssfn.New(awssfn.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
}

// skipIfNoExecutions skips when the server does not serve the execution operations.
func skipIfNoExecutions(t *testing.T, err error) {
	t.Helper()
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() == "UnknownOperationException" {
		t.Skip("the server does not register the execution operations yet")
	}
}
