package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// awsS3CLI runs `aws s3api` against a server.
func awsS3CLI(t *testing.T, url string, args ...string) {
	t.Helper()
	cmd := exec.Command("aws", append(append([]string{"s3api"}, args...), "--endpoint-url", url, "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "aws s3api %v: %s", args, out)
}

// TestAWSCLIDistributedMap runs a Distributed Map over a CSV object uploaded with the
// aws CLI, and inspects its map run with list-map-runs, describe-map-run,
// update-map-run and list-executions --map-run-arn, as a user would.
func TestAWSCLIDistributedMap(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	bin := mustBuildBinary(t)
	srv := startServe(t, bin, freePort(t), t.TempDir())
	dir := t.TempDir()
	csvFile := filepath.Join(dir, "rows.csv")
	require.NoError(t, os.WriteFile(csvFile, []byte("id,city\n1,Lisbon\n2,Porto\n3,Faro\n"), 0o600))
	awsS3CLI(t, srv.url, "create-bucket", "--bucket", "map-input")
	awsS3CLI(t, srv.url, "put-object", "--bucket", "map-input", "--key", "rows.csv", "--body", csvFile)

	defFile := filepath.Join(dir, "def.json")
	require.NoError(t, os.WriteFile(defFile, []byte(`{"StartAt":"Cities","States":{"Cities":{"Type":"Map","Label":"cities",
		"MaxConcurrency":2,"ToleratedFailurePercentage":10,
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
			"Parameters":{"Bucket":"map-input","Key":"rows.csv"}},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
			"StartAt":"Greet","States":{"Greet":{"Type":"Pass","Parameters":{"hello.$":"$.city"},"End":true}}},"End":true}}}`), 0o600))
	var created struct{ StateMachineArn string }
	awsCLI(t, srv.url, &created, "create-state-machine", "--name", "Cities", "--definition", "file://"+defFile,
		"--role-arn", "arn:aws:iam::000000000000:role/stepline")
	var started struct{ ExecutionArn string }
	awsCLI(t, srv.url, &started, "start-execution", "--state-machine-arn", created.StateMachineArn)
	var desc map[string]any
	require.Eventually(t, func() bool {
		awsCLI(t, srv.url, &desc, "describe-execution", "--execution-arn", started.ExecutionArn)
		return desc["status"] != "RUNNING"
	}, 30*time.Second, 100*time.Millisecond)
	require.Equal(t, "SUCCEEDED", desc["status"], "%v", desc)
	require.JSONEq(t, `[{"hello":"Lisbon"},{"hello":"Porto"},{"hello":"Faro"}]`, desc["output"].(string))

	var runs struct {
		MapRuns []struct{ MapRunArn, ExecutionArn, StateMachineArn string }
	}
	awsCLI(t, srv.url, &runs, "list-map-runs", "--execution-arn", started.ExecutionArn)
	require.Len(t, runs.MapRuns, 1)
	run := runs.MapRuns[0]
	require.True(t, strings.HasPrefix(run.MapRunArn, "arn:aws:states:us-east-1:000000000000:mapRun:Cities/cities:"), run.MapRunArn)
	require.Equal(t, started.ExecutionArn, run.ExecutionArn)

	var mr struct {
		Status                     string
		MaxConcurrency             int
		ToleratedFailurePercentage float64
		ItemCounts                 struct{ Total, Succeeded int }
		ExecutionCounts            struct{ Total, Succeeded, Pending int }
	}
	awsCLI(t, srv.url, &mr, "describe-map-run", "--map-run-arn", run.MapRunArn)
	require.Equal(t, "SUCCEEDED", mr.Status)
	require.Equal(t, 2, mr.MaxConcurrency)
	require.InDelta(t, 10.0, mr.ToleratedFailurePercentage, 0)
	require.Equal(t, 3, mr.ItemCounts.Total)
	require.Equal(t, 3, mr.ExecutionCounts.Succeeded)

	var kids struct {
		Executions []struct{ ExecutionArn, MapRunArn, Status string }
	}
	awsCLI(t, srv.url, &kids, "list-executions", "--map-run-arn", run.MapRunArn)
	require.Len(t, kids.Executions, 3)
	for _, k := range kids.Executions {
		require.Equal(t, run.MapRunArn, k.MapRunArn)
		require.Equal(t, "SUCCEEDED", k.Status)
		require.True(t, strings.HasPrefix(k.ExecutionArn, "arn:aws:states:us-east-1:000000000000:execution:Cities/cities:"), k.ExecutionArn)
	}

	// A finished run cannot be updated.
	cmd := exec.Command("aws", "stepfunctions", "update-map-run", "--map-run-arn", run.MapRunArn, "--max-concurrency", "5",
		"--endpoint-url", srv.url)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	require.Contains(t, string(out), "ValidationException")
	require.Contains(t, string(out), "Map Run is completed and cannot be updated")
}
