package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"stepline/sfn/samples"
)

// awsCLI runs the real `aws` CLI against a server and decodes its JSON answer.
func awsCLI(t *testing.T, url string, out any, args ...string) {
	t.Helper()
	cmd := exec.Command("aws", append(append([]string{"stepfunctions"}, args...), "--endpoint-url", url, "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	b, err := cmd.Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "aws %v: %s", args, stderr)
	if out != nil {
		require.NoError(t, json.Unmarshal(b, out), string(b))
	}
}

// TestAWSCLIHelloWorld walks the getting-started flow with the real AWS CLI.
func TestAWSCLIHelloWorld(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	bin := mustBuildBinary(t)
	srv := startServe(t, bin, freePort(t), t.TempDir())
	hw, ok, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	require.True(t, ok)
	defFile := filepath.Join(t.TempDir(), "hello.json")
	require.NoError(t, os.WriteFile(defFile, []byte(hw.Definition), 0o600))

	var created struct{ StateMachineArn string }
	awsCLI(t, srv.url, &created, "create-state-machine", "--name", "HelloWorld", "--definition", "file://"+defFile,
		"--role-arn", "arn:aws:iam::000000000000:role/stepline")
	require.Equal(t, "arn:aws:states:us-east-1:000000000000:stateMachine:HelloWorld", created.StateMachineArn)

	run := func(input string) map[string]any {
		var started struct{ ExecutionArn string }
		name := "my-prefix-" + uuid.NewString()
		awsCLI(t, srv.url, &started, "start-execution", "--state-machine-arn", created.StateMachineArn, "--name", name, "--input", input)
		require.Equal(t, "arn:aws:states:us-east-1:000000000000:execution:HelloWorld:"+name, started.ExecutionArn)
		var desc map[string]any
		require.Eventually(t, func() bool {
			awsCLI(t, srv.url, &desc, "describe-execution", "--execution-arn", started.ExecutionArn)
			return desc["status"] != "RUNNING"
		}, 30*time.Second, 200*time.Millisecond)
		return desc
	}
	desc := run(`{"IsHelloWorldExample": true}`)
	require.Equal(t, "SUCCEEDED", desc["status"])
	require.Equal(t, `[{"IsHelloWorldExample":true},{"IsHelloWorldExample":true}]`, desc["output"])

	var hist struct {
		Events []struct {
			ID   int64  `json:"id"`
			Type string `json:"type"`
		} `json:"events"`
	}
	awsCLI(t, srv.url, &hist, "get-execution-history", "--execution-arn", desc["executionArn"].(string))
	require.Len(t, hist.Events, 20)
	require.Equal(t, "ExecutionSucceeded", hist.Events[19].Type)

	desc = run(`{"IsHelloWorldExample": false}`)
	require.Equal(t, "FAILED", desc["status"])
	require.Equal(t, "Not Hello World", desc["cause"])
}
