package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/sfn/samples"
)

// tutorialRegion is the region of AWS's Step Functions invoke action tutorial.
const tutorialRegion = "us-west-2"

// awsWest runs `aws <args>` in us-west-2 against a server and, when out is not nil,
// decodes its JSON answer.
func awsWest(t *testing.T, url string, out any, args ...string) {
	t.Helper()
	b, err := awsCommand(url, append(args, "--output", "json")...).Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "aws %v: %s", args, stderr)
	if out != nil {
		require.NoError(t, json.Unmarshal(b, out), string(b))
	}
}

// awsCommand is `aws <args> --endpoint-url url` in us-west-2 with test credentials and
// no user configuration, pager or shared credentials file.
func awsCommand(url string, args ...string) *exec.Cmd {
	cmd := exec.Command("aws", append(args, "--endpoint-url", url)...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION="+tutorialRegion,
		"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	return cmd
}

// writeJSON writes v to a new file in dir and returns a file:// reference to it.
func writeJSON(t *testing.T, dir, name string, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, b, 0o600))
	return "file://" + p
}

// sfnInvokeAction is a Step Functions invoke action declaration.
func sfnInvokeAction(name, smARN string, runOrder int, cfg map[string]any, in []string, out []string, namespace string) map[string]any {
	conf := map[string]any{"StateMachineArn": smARN, "ExecutionNamePrefix": "my-prefix"}
	for k, v := range cfg {
		conf[k] = v
	}
	a := map[string]any{
		"name":            name,
		"actionTypeId":    map[string]any{"category": "Invoke", "owner": "AWS", "provider": "StepFunctions", "version": "1"},
		"runOrder":        runOrder,
		"configuration":   conf,
		"inputArtifacts":  artifactNames(in),
		"outputArtifacts": artifactNames(out),
	}
	if namespace != "" {
		a["namespace"] = namespace
	}
	return a
}

func artifactNames(names []string) []map[string]any {
	out := []map[string]any{}
	for _, n := range names {
		out = append(out, map[string]any{"name": n})
	}
	return out
}

// tutorialPipeline is a pipeline with the tutorial's S3 Source stage followed by stages.
func tutorialPipeline(name, sourceBucket, artifactBucket string, stages ...map[string]any) map[string]any {
	source := map[string]any{
		"name": "Source",
		"actions": []any{map[string]any{
			"name":            "Source",
			"actionTypeId":    map[string]any{"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
			"runOrder":        1,
			"configuration":   map[string]any{"S3Bucket": sourceBucket, "S3ObjectKey": "source.zip", "PollForSourceChanges": "false"},
			"outputArtifacts": artifactNames([]string{"SourceArtifact"}),
		}},
	}
	all := []any{source}
	for _, s := range stages {
		all = append(all, s)
	}
	return map[string]any{
		"name":          name,
		"roleArn":       "arn:aws:iam::000000000000:role/service-role/AWSCodePipelineServiceRole",
		"artifactStore": map[string]any{"type": "S3", "location": artifactBucket},
		"stages":        all,
	}
}

// actionExecution is the part of list-action-executions the test reads.
type actionExecution struct {
	PipelineExecutionID string `json:"pipelineExecutionId"`
	ActionExecutionID   string `json:"actionExecutionId"`
	StageName           string `json:"stageName"`
	ActionName          string `json:"actionName"`
	Status              string `json:"status"`
	Input               struct {
		Configuration         map[string]string `json:"configuration"`
		ResolvedConfiguration map[string]string `json:"resolvedConfiguration"`
		Namespace             string            `json:"namespace"`
	} `json:"input"`
	Output struct {
		OutputArtifacts []struct {
			Name       string `json:"name"`
			S3Location struct {
				Bucket string `json:"bucket"`
				Key    string `json:"key"`
			} `json:"s3location"`
		} `json:"outputArtifacts"`
		ExecutionResult struct {
			ExternalExecutionID      string `json:"externalExecutionId"`
			ExternalExecutionSummary string `json:"externalExecutionSummary"`
		} `json:"executionResult"`
		OutputVariables map[string]string `json:"outputVariables"`
	} `json:"output"`
}

// TestAWSCLIPipelineStepFunctionsInvoke follows AWS's tutorial "Use an AWS Step
// Functions invoke action in a pipeline" with the real AWS CLI against `stepline serve`.
func TestAWSCLIPipelineStepFunctionsInvoke(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	bin := mustBuildBinary(t)
	srv := startServe(t, bin, freePort(t), t.TempDir())
	dir := t.TempDir()
	cli := func(out any, args ...string) { t.Helper(); awsWest(t, srv.url, out, args...) }

	// The HelloWorld state machine, waiting 1 s instead of 3 to keep the test quick.
	hw, ok, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	require.True(t, ok)
	def := strings.Replace(hw.Definition, `"Seconds": 3`, `"Seconds": 1`, 1)
	require.NotEqual(t, hw.Definition, def)
	defFile := filepath.Join(dir, "hello.json")
	require.NoError(t, os.WriteFile(defFile, []byte(def), 0o600))
	var sm struct{ StateMachineArn string }
	cli(&sm, "stepfunctions", "create-state-machine", "--name", "HelloWorld", "--definition", "file://"+defFile,
		"--role-arn", "arn:aws:iam::000000000000:role/stepline")
	smARN := sm.StateMachineArn
	require.Equal(t, "arn:aws:states:us-west-2:000000000000:stateMachine:HelloWorld", smARN)

	// The source bucket, versioned, with source.zip holding input.json; and the artifact store.
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, err := zw.Create("input.json")
	require.NoError(t, err)
	_, err = w.Write([]byte(`{"IsHelloWorldExample": true, "From": "input.json"}`))
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	zipFile := filepath.Join(dir, "source.zip")
	require.NoError(t, os.WriteFile(zipFile, zbuf.Bytes(), 0o600))
	const sourceBucket, artifactBucket = "my-source-bucket", "codepipeline-us-west-2-artifacts"
	cli(nil, "s3", "mb", "s3://"+sourceBucket)
	cli(nil, "s3", "mb", "s3://"+artifactBucket)
	cli(nil, "s3api", "put-bucket-versioning", "--bucket", sourceBucket, "--versioning-configuration", "Status=Enabled")
	cli(nil, "s3", "cp", zipFile, "s3://"+sourceBucket+"/source.zip")

	// waitExecution polls get-pipeline-execution until the execution ends.
	waitExecution := func(t *testing.T, pipeline, id string) string {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			var got struct {
				PipelineExecution struct{ Status string } `json:"pipelineExecution"`
			}
			awsWest(t, srv.url, &got, "codepipeline", "get-pipeline-execution", "--pipeline-name", pipeline, "--pipeline-execution-id", id)
			switch s := got.PipelineExecution.Status; s {
			case "InProgress", "Stopping":
				require.True(t, time.Now().Before(deadline), "pipeline execution %s still %s", id, s)
			default:
				return s
			}
		}
	}
	// actionExecutions lists a pipeline execution's action executions by action name.
	actionExecutions := func(t *testing.T, pipeline, id string) map[string]actionExecution {
		t.Helper()
		var got struct {
			ActionExecutionDetails []actionExecution `json:"actionExecutionDetails"`
		}
		awsWest(t, srv.url, &got, "codepipeline", "list-action-executions", "--pipeline-name", pipeline,
			"--filter", "pipelineExecutionId="+id)
		out := map[string]actionExecution{}
		for _, a := range got.ActionExecutionDetails {
			out[a.ActionName] = a
		}
		return out
	}
	// createAndRun creates a pipeline and returns the execution its creation started.
	createAndRun := func(t *testing.T, name string, stages ...map[string]any) string {
		t.Helper()
		awsWest(t, srv.url, nil, "codepipeline", "create-pipeline", "--pipeline",
			writeJSON(t, dir, name+".json", tutorialPipeline(name, sourceBucket, artifactBucket, stages...)))
		var list struct {
			PipelineExecutionSummaries []struct {
				PipelineExecutionID string `json:"pipelineExecutionId"`
			} `json:"pipelineExecutionSummaries"`
		}
		awsWest(t, srv.url, &list, "codepipeline", "list-pipeline-executions", "--pipeline-name", name)
		require.Len(t, list.PipelineExecutionSummaries, 1)
		return list.PipelineExecutionSummaries[0].PipelineExecutionID
	}
	execARNPrefix := "arn:aws:states:us-west-2:000000000000:execution:HelloWorld:my-prefix-"

	t.Run("Tutorial", func(t *testing.T) {
		// The pipeline as first created: Source, then a second stage the tutorial replaces.
		first := map[string]any{"name": "Deploy", "actions": []any{
			sfnInvokeAction("Deploy", smARN, 1, map[string]any{"Input": `{"IsHelloWorldExample": true}`}, nil, nil, ""),
		}}
		awsWest(t, srv.url, nil, "codepipeline", "create-pipeline", "--pipeline",
			writeJSON(t, dir, "MyPipeline.json", tutorialPipeline("MyPipeline", sourceBucket, artifactBucket, first)))

		// get-pipeline, delete the second stage, add the Invoke stage, update-pipeline.
		var got struct {
			Pipeline map[string]any `json:"pipeline"`
		}
		awsWest(t, srv.url, &got, "codepipeline", "get-pipeline", "--name", "MyPipeline")
		p := got.Pipeline
		require.EqualValues(t, 1, p["version"])
		stages := p["stages"].([]any)
		require.Len(t, stages, 2)
		p["stages"] = []any{stages[0], map[string]any{"name": "Invoke", "actions": []any{
			sfnInvokeAction("Invoke", smARN, 1, map[string]any{"InputType": "Literal", "Input": `{"IsHelloWorldExample": true}`},
				[]string{"SourceArtifact"}, []string{"InvokeOutput"}, "StepFunctionsVariables"),
		}}}
		var updated struct {
			Pipeline struct{ Version int } `json:"pipeline"`
		}
		awsWest(t, srv.url, &updated, "codepipeline", "update-pipeline", "--pipeline", writeJSON(t, dir, "MyPipeline-2.json", p))
		require.Equal(t, 2, updated.Pipeline.Version)

		var started struct {
			PipelineExecutionID string `json:"pipelineExecutionId"`
		}
		awsWest(t, srv.url, &started, "codepipeline", "start-pipeline-execution", "--name", "MyPipeline")
		require.NotEmpty(t, started.PipelineExecutionID)
		require.Equal(t, "Succeeded", waitExecution(t, "MyPipeline", started.PipelineExecutionID))

		var state struct {
			PipelineVersion int `json:"pipelineVersion"`
			StageStates     []struct {
				StageName    string `json:"stageName"`
				ActionStates []struct {
					ActionName      string `json:"actionName"`
					LatestExecution struct {
						ActionExecutionID   string `json:"actionExecutionId"`
						Status              string `json:"status"`
						ExternalExecutionID string `json:"externalExecutionId"`
					} `json:"latestExecution"`
				} `json:"actionStates"`
			} `json:"stageStates"`
		}
		awsWest(t, srv.url, &state, "codepipeline", "get-pipeline-state", "--name", "MyPipeline")
		require.Equal(t, 2, state.PipelineVersion)
		require.Len(t, state.StageStates, 2)
		require.Equal(t, "Invoke", state.StageStates[1].StageName)
		inv := state.StageStates[1].ActionStates[0]
		require.Equal(t, "Invoke", inv.ActionName)
		require.Equal(t, "Succeeded", inv.LatestExecution.Status)

		acts := actionExecutions(t, "MyPipeline", started.PipelineExecutionID)
		a, ok := acts["Invoke"]
		require.True(t, ok, "%v", acts)
		require.Equal(t, "Succeeded", a.Status)
		execARN := execARNPrefix + a.ActionExecutionID
		require.Equal(t, execARN, inv.LatestExecution.ExternalExecutionID)
		require.Equal(t, a.ActionExecutionID, inv.LatestExecution.ActionExecutionID)
		require.Equal(t, execARN, a.Output.ExecutionResult.ExternalExecutionID)
		require.Equal(t, map[string]string{"StateMachineArn": smARN, "ExecutionArn": execARN}, a.Output.OutputVariables)

		var desc struct {
			Status string `json:"status"`
			Input  string `json:"input"`
			Output string `json:"output"`
		}
		awsWest(t, srv.url, &desc, "stepfunctions", "describe-execution", "--execution-arn", execARN)
		require.Equal(t, "SUCCEEDED", desc.Status)
		require.JSONEq(t, `{"IsHelloWorldExample": true}`, desc.Input)
		require.JSONEq(t, `[{"IsHelloWorldExample":true},{"IsHelloWorldExample":true}]`, desc.Output)

		require.Len(t, a.Output.OutputArtifacts, 1)
		loc := a.Output.OutputArtifacts[0]
		require.Equal(t, "InvokeOutput", loc.Name)
		require.Equal(t, artifactBucket, loc.S3Location.Bucket)
		cmd := exec.Command("aws", "s3", "ls", "s3://"+loc.S3Location.Bucket+"/"+loc.S3Location.Key, "--endpoint-url", srv.url)
		cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION="+tutorialRegion,
			"AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
		ls, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", ls)
		require.Contains(t, string(ls), filepath.Base(loc.S3Location.Key))
	})

	t.Run("FilePath", func(t *testing.T) {
		id := createAndRun(t, "FilePathPipeline", map[string]any{"name": "Invoke", "actions": []any{
			sfnInvokeAction("Invoke", smARN, 1, map[string]any{"InputType": "FilePath", "Input": "input.json"},
				[]string{"SourceArtifact"}, nil, ""),
		}})
		require.Equal(t, "Succeeded", waitExecution(t, "FilePathPipeline", id))
		a := actionExecutions(t, "FilePathPipeline", id)["Invoke"]
		require.Equal(t, "Succeeded", a.Status)
		execARN := execARNPrefix + a.ActionExecutionID
		require.Equal(t, execARN, a.Output.ExecutionResult.ExternalExecutionID)
		var desc struct {
			Status string `json:"status"`
			Input  string `json:"input"`
		}
		awsWest(t, srv.url, &desc, "stepfunctions", "describe-execution", "--execution-arn", execARN)
		require.Equal(t, "SUCCEEDED", desc.Status)
		require.JSONEq(t, `{"IsHelloWorldExample": true, "From": "input.json"}`, desc.Input)
	})

	t.Run("Failing", func(t *testing.T) {
		id := createAndRun(t, "FailingPipeline", map[string]any{"name": "Invoke", "actions": []any{
			sfnInvokeAction("Invoke", smARN, 1, map[string]any{"InputType": "Literal", "Input": `{"IsHelloWorldExample": false}`},
				[]string{"SourceArtifact"}, nil, ""),
		}})
		require.Equal(t, "Failed", waitExecution(t, "FailingPipeline", id))
		var state struct {
			StageStates []struct {
				ActionStates []struct {
					LatestExecution struct {
						Status              string `json:"status"`
						Summary             string `json:"summary"`
						ExternalExecutionID string `json:"externalExecutionId"`
						ErrorDetails        struct {
							Code    string `json:"code"`
							Message string `json:"message"`
						} `json:"errorDetails"`
					} `json:"latestExecution"`
				} `json:"actionStates"`
			} `json:"stageStates"`
		}
		awsWest(t, srv.url, &state, "codepipeline", "get-pipeline-state", "--name", "FailingPipeline")
		require.Len(t, state.StageStates, 2)
		le := state.StageStates[1].ActionStates[0].LatestExecution
		require.Equal(t, "Failed", le.Status)
		require.Contains(t, le.ErrorDetails.Message+" "+le.Summary, "Not Hello World")
		require.True(t, strings.HasPrefix(le.ExternalExecutionID, execARNPrefix), le.ExternalExecutionID)
		var desc struct {
			Status string `json:"status"`
			Cause  string `json:"cause"`
		}
		awsWest(t, srv.url, &desc, "stepfunctions", "describe-execution", "--execution-arn", le.ExternalExecutionID)
		require.Equal(t, "FAILED", desc.Status)
		require.Equal(t, "Not Hello World", desc.Cause)
	})

	t.Run("OutputVariables", func(t *testing.T) {
		id := createAndRun(t, "VariablesPipeline",
			map[string]any{"name": "Invoke", "actions": []any{
				sfnInvokeAction("Invoke", smARN, 1, map[string]any{"Input": `{"IsHelloWorldExample": true}`}, nil, nil, "SFN"),
			}},
			map[string]any{"name": "Follow", "actions": []any{
				sfnInvokeAction("Follow", smARN, 1, map[string]any{
					"ExecutionNamePrefix": "follow",
					"Input":               `{"IsHelloWorldExample": true, "Previous": "#{SFN.ExecutionArn}", "Machine": "#{SFN.StateMachineArn}"}`,
				}, nil, nil, ""),
			}},
		)
		require.Equal(t, "Succeeded", waitExecution(t, "VariablesPipeline", id))
		acts := actionExecutions(t, "VariablesPipeline", id)
		first, second := acts["Invoke"], acts["Follow"]
		require.Equal(t, "Succeeded", first.Status)
		require.Equal(t, "Succeeded", second.Status)
		prev := first.Output.OutputVariables["ExecutionArn"]
		require.Equal(t, execARNPrefix+first.ActionExecutionID, prev)
		require.Contains(t, second.Input.Configuration["Input"], "#{SFN.ExecutionArn}")
		require.JSONEq(t, `{"IsHelloWorldExample": true, "Previous": "`+prev+`", "Machine": "`+smARN+`"}`,
			second.Input.ResolvedConfiguration["Input"])
		followARN := "arn:aws:states:us-west-2:000000000000:execution:HelloWorld:follow-" + second.ActionExecutionID
		require.Equal(t, followARN, second.Output.ExecutionResult.ExternalExecutionID)
		var desc struct {
			Status string `json:"status"`
			Input  string `json:"input"`
		}
		awsWest(t, srv.url, &desc, "stepfunctions", "describe-execution", "--execution-arn", followARN)
		require.Equal(t, "SUCCEEDED", desc.Status)
		require.Contains(t, desc.Input, prev)
	})
}
