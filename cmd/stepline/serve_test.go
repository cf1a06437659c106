package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/stretchr/testify/require"
)

// MustRunMain starts a whole server on a free loopback port over dataDir and closes it
// at cleanup.
func MustRunMain(tb testing.TB, dataDir string) *Main {
	tb.Helper()
	m := NewMain(Config{Listen: "127.0.0.1:0", DataDir: dataDir, Account: AccountDefault, Region: RegionDefault})
	var banner bytes.Buffer
	m.Stdout = &banner
	if err := m.Run(tb.Context()); err != nil {
		_ = m.Close()
		tb.Fatalf("run: %v", err)
	}
	tb.Cleanup(func() { _ = m.Close() })
	if !strings.Contains(banner.String(), "API endpoint: "+m.URL) {
		tb.Fatalf("banner does not name the endpoint: %q", banner.String())
	}
	return m
}

func sfnClient(url string) *awssfn.Client {
	return awssfn.New(awssfn.Options{Region: RegionDefault, BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

func TestMain_ServeAndRestart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	m := MustRunMain(t, dir)

	resp, err := http.Get(m.URL + "/healthz")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "ok\n", string(body))

	ctx := t.Context()
	out, err := sfnClient(m.URL).CreateStateMachine(ctx, &awssfn.CreateStateMachineInput{
		Name:       aws.String("HelloWorld"),
		Definition: aws.String(`{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::000000000000:role/stepline"),
	})
	require.NoError(t, err)
	require.Equal(t, "arn:aws:states:us-east-1:000000000000:stateMachine:HelloWorld", aws.ToString(out.StateMachineArn))
	// The other services share the port.
	for target, body := range map[string]string{
		"CodeCommit_20150413.ListRepositories": `{}`,
		"CodePipeline_20150709.ListPipelines":  `{}`,
	} {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL+"/", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("X-Amz-Target", target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", target, b)
	}
	require.NoError(t, m.Close())

	// What the first server accepted is there after a restart on the same data dir.
	m2 := MustRunMain(t, dir)
	list, err := sfnClient(m2.URL).ListStateMachines(ctx, &awssfn.ListStateMachinesInput{})
	require.NoError(t, err)
	require.Len(t, list.StateMachines, 1)
	require.Equal(t, "HelloWorld", aws.ToString(list.StateMachines[0].Name))
}

func TestDispatch(t *testing.T) {
	t.Parallel()
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := dispatch(t.Context(), args, &out, &errb, func(string) string { return "" })
		return code, out.String(), errb.String()
	}
	t.Run("Version", func(t *testing.T) {
		t.Parallel()
		code, out, _ := run("version")
		require.Equal(t, 0, code)
		require.True(t, strings.HasPrefix(out, "stepline "), out)
		require.Contains(t, out, "commit ")
	})
	t.Run("Help", func(t *testing.T) {
		t.Parallel()
		code, out, _ := run("--help")
		require.Equal(t, 0, code)
		for _, cmd := range []string{"serve", "run", "validate", "version", "--listen", "--data-dir", "--database", "STEPLINE_LISTEN"} {
			require.Contains(t, out, cmd)
		}
	})
	t.Run("ServeHelp", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := run("serve", "--help")
		require.Equal(t, 0, code)
		require.Contains(t, errOut, "--listen value")
	})
	t.Run("Unknown", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := run("nope")
		require.Equal(t, 2, code)
		require.Contains(t, errOut, `unknown command "nope"`)
	})
	t.Run("NoCommand", func(t *testing.T) {
		t.Parallel()
		code, _, _ := run()
		require.Equal(t, 2, code)
	})
	t.Run("BadServeFlag", func(t *testing.T) {
		t.Parallel()
		code, _, errOut := run("serve", "--account", "x")
		require.Equal(t, 2, code)
		require.Contains(t, errOut, "--account")
	})
}

// TestMain_Postgres runs the server on PostgreSQL when STEPLINE_TEST_POSTGRES names one
// (scripts/postgres-start prints such a URL); the database is shared, so names are unique.
func TestMain_Postgres(t *testing.T) {
	t.Parallel()
	url := os.Getenv("STEPLINE_TEST_POSTGRES")
	if url == "" {
		t.Skip("STEPLINE_TEST_POSTGRES is not set")
	}
	m := NewMain(Config{Listen: "127.0.0.1:0", Database: url, DataDir: t.TempDir(), Account: AccountDefault, Region: RegionDefault})
	require.NoError(t, m.Run(t.Context()))
	t.Cleanup(func() { _ = m.Close() })
	name := fmt.Sprintf("pg-%d", time.Now().UnixNano())
	out, err := sfnClient(m.URL).CreateStateMachine(t.Context(), &awssfn.CreateStateMachineInput{
		Name:       aws.String(name),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`),
		RoleArn:    aws.String("arn:aws:iam::000000000000:role/stepline"),
	})
	require.NoError(t, err)
	d, err := sfnClient(m.URL).DescribeStateMachine(t.Context(), &awssfn.DescribeStateMachineInput{StateMachineArn: out.StateMachineArn})
	require.NoError(t, err)
	require.Equal(t, name, aws.ToString(d.Name))
	_, err = sfnClient(m.URL).DeleteStateMachine(t.Context(), &awssfn.DeleteStateMachineInput{StateMachineArn: out.StateMachineArn})
	require.NoError(t, err)
}
