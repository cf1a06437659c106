package main

import (
	"archive/zip"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline"
	cptypes "github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

// execSummary is the part of list-pipeline-executions the tests read.
type execSummary struct {
	PipelineExecutionID string `json:"pipelineExecutionId"`
	Status              string `json:"status"`
	ExecutionType       string `json:"executionType"`
	Trigger             struct {
		TriggerType   string `json:"triggerType"`
		TriggerDetail string `json:"triggerDetail"`
	} `json:"trigger"`
	RollbackMetadata struct {
		RollbackTargetPipelineExecutionID string `json:"rollbackTargetPipelineExecutionId"`
	} `json:"rollbackMetadata"`
}

// zipOf returns a zip archive holding files (path → content).
func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		require.NoError(t, err)
		_, err = w.Write([]byte(body))
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// awsJSON is awsWest, except that an empty answer decodes as {}: the CLI prints nothing
// for an operation whose answer has no members (delete-webhook, for one).
func awsJSON(t *testing.T, url string, out any, args ...string) {
	t.Helper()
	b, err := awsCommand(url, append(args, "--output", "json")...).Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "aws %v: %s", args, stderr)
	if out == nil {
		return
	}
	if len(bytes.TrimSpace(b)) == 0 {
		b = []byte("{}")
	}
	require.NoError(t, json.Unmarshal(b, out), string(b))
}

// awsText runs `aws <args>` and returns its standard output as text.
func awsText(t *testing.T, url string, args ...string) string {
	t.Helper()
	out, err := awsCommand(url, args...).CombinedOutput()
	require.NoError(t, err, "aws %v: %s", args, out)
	return string(out)
}

// awsFails runs `aws <args>`, requires it to fail and returns its standard error.
func awsFails(t *testing.T, url string, args ...string) string {
	t.Helper()
	out, err := awsCommand(url, append(args, "--output", "json")...).CombinedOutput()
	require.Error(t, err, "aws %v succeeded: %s", args, out)
	return string(out)
}

// s3DeployStage is a stage with one S3 deploy action reading SourceArtifact.
func s3DeployStage(bucket, objectKey string) map[string]any {
	return map[string]any{"name": "Deploy", "actions": []any{map[string]any{
		"name":           "Deploy",
		"actionTypeId":   map[string]any{"category": "Deploy", "owner": "AWS", "provider": "S3", "version": "1"},
		"runOrder":       1,
		"configuration":  map[string]any{"BucketName": bucket, "Extract": "true", "ObjectKey": objectKey},
		"inputArtifacts": artifactNames([]string{"SourceArtifact"}),
	}}}
}

// v2 marks a pipeline declaration V2.
func v2(p map[string]any) map[string]any {
	p["pipelineType"] = "V2"
	return p
}

// TestAWSCLIPipelineNewerFeatures drives the newer CodePipeline features with the real
// AWS CLI against one `stepline serve`: the S3 deploy action, webhooks, rollback,
// stage conditions, rule types and action type declarations.
func TestAWSCLIPipelineNewerFeatures(t *testing.T) {
	if _, err := exec.LookPath("aws"); err != nil {
		t.Skip("the aws CLI is not installed")
	}
	bin := mustBuildBinary(t)
	srv := startServe(t, bin, freePort(t), t.TempDir())
	dir := t.TempDir()
	cli := func(t *testing.T, out any, args ...string) { t.Helper(); awsJSON(t, srv.url, out, args...) }

	const sourceBucket, artifactBucket, siteBucket = "more-source", "codepipeline-us-west-2-more", "my-site"
	zipFile := filepath.Join(dir, "source.zip")
	require.NoError(t, os.WriteFile(zipFile, zipOf(t, map[string]string{
		"index.html":   "<h1>hello</h1>",
		"css/site.css": "h1 { color: red }",
	}), 0o600))
	cli(t, nil, "s3", "mb", "s3://"+sourceBucket)
	cli(t, nil, "s3", "mb", "s3://"+artifactBucket)
	cli(t, nil, "s3", "mb", "s3://"+siteBucket)
	cli(t, nil, "s3api", "put-bucket-versioning", "--bucket", sourceBucket, "--versioning-configuration", "Status=Enabled")
	cli(t, nil, "s3", "cp", zipFile, "s3://"+sourceBucket+"/source.zip")

	// getExecution is get-pipeline-execution's pipelineExecution.
	getExecution := func(t *testing.T, pipeline, id string) execSummary {
		t.Helper()
		var got struct {
			PipelineExecution execSummary `json:"pipelineExecution"`
		}
		cli(t, &got, "codepipeline", "get-pipeline-execution", "--pipeline-name", pipeline, "--pipeline-execution-id", id)
		return got.PipelineExecution
	}
	// waitExecution waits for the execution to end and returns its status. It polls with
	// the SDK, since each CLI call costs most of a second of CPU; what the CLI shows of
	// an execution is checked where it matters.
	sdk := codepipeline.New(codepipeline.Options{
		Region: tutorialRegion, BaseEndpoint: aws.String(srv.url),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	waitExecution := func(t *testing.T, pipeline, id string) string {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for {
			out, err := sdk.GetPipelineExecution(t.Context(), &codepipeline.GetPipelineExecutionInput{
				PipelineName: aws.String(pipeline), PipelineExecutionId: aws.String(id)})
			require.NoError(t, err)
			switch s := out.PipelineExecution.Status; s {
			case cptypes.PipelineExecutionStatusInProgress, cptypes.PipelineExecutionStatusStopping:
				require.True(t, time.Now().Before(deadline), "pipeline execution %s still %s", id, s)
				time.Sleep(10 * time.Millisecond)
			default:
				return string(s)
			}
		}
	}
	listExecutions := func(t *testing.T, pipeline string) []execSummary {
		t.Helper()
		var list struct {
			PipelineExecutionSummaries []execSummary `json:"pipelineExecutionSummaries"`
		}
		cli(t, &list, "codepipeline", "list-pipeline-executions", "--pipeline-name", pipeline)
		return list.PipelineExecutionSummaries
	}
	// create creates a pipeline and returns the execution its creation started, ended.
	create := func(t *testing.T, p map[string]any) execSummary {
		t.Helper()
		name := p["name"].(string)
		cli(t, nil, "codepipeline", "create-pipeline", "--pipeline", writeJSON(t, dir, name+".json", p))
		list := listExecutions(t, name)
		require.Len(t, list, 1)
		require.Equal(t, "CreatePipeline", list[0].Trigger.TriggerType)
		list[0].Status = waitExecution(t, name, list[0].PipelineExecutionID)
		return list[0]
	}

	t.Run("S3Deploy", func(t *testing.T) {
		t.Parallel()
		e := create(t, v2(tutorialPipeline("DeployPipeline", sourceBucket, artifactBucket, s3DeployStage(siteBucket, "web"))))
		require.Equal(t, "Succeeded", e.Status)

		ls := awsText(t, srv.url, "s3", "ls", "--recursive", "s3://"+siteBucket+"/web/")
		require.Contains(t, ls, "web/index.html")
		require.Contains(t, ls, "web/css/site.css")
		var head struct {
			ContentType   string `json:"ContentType"`
			ContentLength int    `json:"ContentLength"`
		}
		cli(t, &head, "s3api", "head-object", "--bucket", siteBucket, "--key", "web/index.html")
		require.Equal(t, len("<h1>hello</h1>"), head.ContentLength)
		require.True(t, strings.HasPrefix(head.ContentType, "text/html"), head.ContentType)

		var acts struct {
			ActionExecutionDetails []struct {
				ActionExecutionID string `json:"actionExecutionId"`
				ActionName        string `json:"actionName"`
				Status            string `json:"status"`
				Output            struct {
					ExecutionResult struct {
						ExternalExecutionSummary string `json:"externalExecutionSummary"`
					} `json:"executionResult"`
				} `json:"output"`
			} `json:"actionExecutionDetails"`
		}
		cli(t, &acts, "codepipeline", "list-action-executions", "--pipeline-name", "DeployPipeline",
			"--filter", "pipelineExecutionId="+e.PipelineExecutionID)
		require.Len(t, acts.ActionExecutionDetails, 2)
		deploy := acts.ActionExecutionDetails[0]
		if deploy.ActionName != "Deploy" {
			deploy = acts.ActionExecutionDetails[1]
		}
		require.Equal(t, "Deploy", deploy.ActionName)
		require.Equal(t, "Succeeded", deploy.Status)
		require.Contains(t, deploy.Output.ExecutionResult.ExternalExecutionSummary, siteBucket)

		// The S3 deploy action has no deployment targets to list.
		var targets struct {
			Targets []any `json:"targets"`
		}
		cli(t, &targets, "codepipeline", "list-deploy-action-execution-targets", "--pipeline-name", "DeployPipeline",
			"--action-execution-id", deploy.ActionExecutionID)
		require.Empty(t, targets.Targets)
	})

	t.Run("Webhook", func(t *testing.T) {
		t.Parallel()
		e := create(t, v2(tutorialPipeline("HookPipeline", sourceBucket, artifactBucket, s3DeployStage(siteBucket, "hook"))))
		require.Equal(t, "Succeeded", e.Status)

		const secret = "s3cret"
		var put struct {
			Webhook struct {
				URL        string `json:"url"`
				Arn        string `json:"arn"`
				Definition struct {
					Name                        string            `json:"name"`
					AuthenticationConfiguration map[string]string `json:"authenticationConfiguration"`
				} `json:"definition"`
			} `json:"webhook"`
		}
		cli(t, &put, "codepipeline", "put-webhook", "--webhook", writeJSON(t, dir, "webhook.json", map[string]any{
			"name": "my-webhook", "targetPipeline": "HookPipeline", "targetAction": "Source",
			"filters":        []any{map[string]any{"jsonPath": "$.ref", "matchEquals": "refs/heads/main"}},
			"authentication": "GITHUB_HMAC", "authenticationConfiguration": map[string]any{"SecretToken": secret},
		}))
		require.Equal(t, "arn:aws:codepipeline:us-west-2:000000000000:webhook:my-webhook", put.Webhook.Arn)
		require.NotContains(t, put.Webhook.Definition.AuthenticationConfiguration, "SecretToken")

		var hooks struct {
			Webhooks []struct {
				URL        string `json:"url"`
				Definition struct {
					Name                        string            `json:"name"`
					AuthenticationConfiguration map[string]string `json:"authenticationConfiguration"`
				} `json:"definition"`
			} `json:"webhooks"`
		}
		cli(t, &hooks, "codepipeline", "list-webhooks")
		require.Len(t, hooks.Webhooks, 1)
		require.Equal(t, "my-webhook", hooks.Webhooks[0].Definition.Name)
		require.Equal(t, put.Webhook.URL, hooks.Webhooks[0].URL)
		require.NotContains(t, hooks.Webhooks[0].Definition.AuthenticationConfiguration, "SecretToken")
		hookURL := hooks.Webhooks[0].URL
		require.True(t, strings.HasPrefix(hookURL, srv.url+"/"), hookURL)

		deliver := func(t *testing.T, body, signature string) (int, string) {
			t.Helper()
			req, err := http.NewRequest(http.MethodPost, hookURL, strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "push")
			req.Header.Set("X-Hub-Signature-256", signature)
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			return resp.StatusCode, string(b)
		}
		sign := func(body string) string {
			m := hmac.New(sha256.New, []byte(secret))
			m.Write([]byte(body))
			return "sha256=" + hex.EncodeToString(m.Sum(nil))
		}

		// A wrong signature, and a push to another branch, start nothing.
		push := `{"ref": "refs/heads/main", "after": "0123456789abcdef"}`
		code, _ := deliver(t, push, "sha256="+strings.Repeat("0", 64))
		require.Equal(t, http.StatusForbidden, code)
		other := `{"ref": "refs/heads/feature"}`
		code, _ = deliver(t, other, sign(other))
		require.Equal(t, http.StatusOK, code)
		require.Len(t, listExecutions(t, "HookPipeline"), 1)

		code, body := deliver(t, push, sign(push))
		require.Equal(t, http.StatusOK, code, body)
		var started struct {
			PipelineExecutionID string `json:"pipelineExecutionId"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &started), body)
		require.NotEmpty(t, started.PipelineExecutionID)

		list := listExecutions(t, "HookPipeline")
		require.Len(t, list, 2)
		require.Equal(t, started.PipelineExecutionID, list[0].PipelineExecutionID)
		require.Equal(t, "Webhook", list[0].Trigger.TriggerType)
		require.Equal(t, put.Webhook.Arn, list[0].Trigger.TriggerDetail)
		require.Equal(t, "Succeeded", waitExecution(t, "HookPipeline", started.PipelineExecutionID))

		cli(t, nil, "codepipeline", "delete-webhook", "--name", "my-webhook")
		hooks.Webhooks = nil
		cli(t, &hooks, "codepipeline", "list-webhooks")
		require.Empty(t, hooks.Webhooks)
	})

	t.Run("Rollback", func(t *testing.T) {
		t.Parallel()
		first := create(t, v2(tutorialPipeline("RollbackPipeline", sourceBucket, artifactBucket, s3DeployStage(siteBucket, "rb"))))
		require.Equal(t, "Succeeded", first.Status)
		var started struct {
			PipelineExecutionID string `json:"pipelineExecutionId"`
		}
		cli(t, &started, "codepipeline", "start-pipeline-execution", "--name", "RollbackPipeline")
		require.Equal(t, "Succeeded", waitExecution(t, "RollbackPipeline", started.PipelineExecutionID))

		// The source stage cannot be rolled back.
		require.Contains(t, awsFails(t, srv.url, "codepipeline", "rollback-stage", "--pipeline-name", "RollbackPipeline",
			"--stage-name", "Source", "--target-pipeline-execution-id", first.PipelineExecutionID), "UnableToRollbackStageException")

		var rb struct {
			PipelineExecutionID string `json:"pipelineExecutionId"`
		}
		cli(t, &rb, "codepipeline", "rollback-stage", "--pipeline-name", "RollbackPipeline", "--stage-name", "Deploy",
			"--target-pipeline-execution-id", first.PipelineExecutionID)
		require.NotEmpty(t, rb.PipelineExecutionID)
		require.Equal(t, "Succeeded", waitExecution(t, "RollbackPipeline", rb.PipelineExecutionID))
		e := getExecution(t, "RollbackPipeline", rb.PipelineExecutionID)
		require.Equal(t, "Succeeded", e.Status)
		require.Equal(t, "ROLLBACK", e.ExecutionType)
		require.Equal(t, "ManualRollback", e.Trigger.TriggerType)
		require.Equal(t, first.PipelineExecutionID, e.RollbackMetadata.RollbackTargetPipelineExecutionID)

		list := listExecutions(t, "RollbackPipeline")
		require.Len(t, list, 3)
		require.Equal(t, rb.PipelineExecutionID, list[0].PipelineExecutionID)
		require.Equal(t, "ROLLBACK", list[0].ExecutionType)
		require.Equal(t, first.PipelineExecutionID, list[0].RollbackMetadata.RollbackTargetPipelineExecutionID)
		require.Equal(t, "STANDARD", list[1].ExecutionType)

		// The CLI pages through the executions one at a time and gets the same list.
		var paged struct {
			PipelineExecutionSummaries []execSummary `json:"pipelineExecutionSummaries"`
		}
		cli(t, &paged, "codepipeline", "list-pipeline-executions", "--pipeline-name", "RollbackPipeline", "--page-size", "1")
		require.Equal(t, list, paged.PipelineExecutionSummaries)
		var firstPage struct {
			PipelineExecutionSummaries []execSummary `json:"pipelineExecutionSummaries"`
			NextToken                  string        `json:"NextToken"`
		}
		cli(t, &firstPage, "codepipeline", "list-pipeline-executions", "--pipeline-name", "RollbackPipeline", "--max-items", "2")
		require.Equal(t, list[:2], firstPage.PipelineExecutionSummaries)
		require.NotEmpty(t, firstPage.NextToken)
	})

	t.Run("AutomaticRollback", func(t *testing.T) {
		t.Parallel()
		// The deploy bucket is a pipeline variable; a stage failure rolls the stage back.
		deploy := s3DeployStage("#{variables.Bucket}", "auto")
		deploy["onFailure"] = map[string]any{"result": "ROLLBACK"}
		p := v2(tutorialPipeline("AutoRollbackPipeline", sourceBucket, artifactBucket, deploy))
		p["variables"] = []any{map[string]any{"name": "Bucket", "defaultValue": siteBucket}}
		good := create(t, p)
		require.Equal(t, "Succeeded", good.Status)

		var started struct {
			PipelineExecutionID string `json:"pipelineExecutionId"`
		}
		cli(t, &started, "codepipeline", "start-pipeline-execution", "--name", "AutoRollbackPipeline",
			"--variables", "name=Bucket,value=no-such-bucket")
		require.Equal(t, "Failed", waitExecution(t, "AutoRollbackPipeline", started.PipelineExecutionID))

		// The rollback execution is the newest; wait for it to end, then look with the CLI.
		deadline := time.Now().Add(60 * time.Second)
		var rollbackID string
		for rollbackID == "" {
			out, err := sdk.ListPipelineExecutions(t.Context(), &codepipeline.ListPipelineExecutionsInput{
				PipelineName: aws.String("AutoRollbackPipeline")})
			require.NoError(t, err)
			if len(out.PipelineExecutionSummaries) == 3 {
				rollbackID = aws.ToString(out.PipelineExecutionSummaries[0].PipelineExecutionId)
				break
			}
			require.True(t, time.Now().Before(deadline), "no rollback execution started")
			time.Sleep(10 * time.Millisecond)
		}
		require.Equal(t, "Succeeded", waitExecution(t, "AutoRollbackPipeline", rollbackID))
		list := listExecutions(t, "AutoRollbackPipeline")
		require.Len(t, list, 3)
		rb := list[0]
		require.Equal(t, rollbackID, rb.PipelineExecutionID)
		require.Equal(t, "Succeeded", rb.Status)
		require.Equal(t, "ROLLBACK", rb.ExecutionType)
		require.Equal(t, "AutomatedRollback", rb.Trigger.TriggerType)
		require.Equal(t, started.PipelineExecutionID, rb.Trigger.TriggerDetail)
		require.Equal(t, good.PipelineExecutionID, rb.RollbackMetadata.RollbackTargetPipelineExecutionID)
		require.Equal(t, "Failed", list[1].Status)

		// The rollback ran only the Deploy action, with the good execution's variables.
		var acts struct {
			ActionExecutionDetails []actionExecution `json:"actionExecutionDetails"`
		}
		cli(t, &acts, "codepipeline", "list-action-executions", "--pipeline-name", "AutoRollbackPipeline",
			"--filter", "pipelineExecutionId="+rollbackID)
		require.Len(t, acts.ActionExecutionDetails, 1)
		a := acts.ActionExecutionDetails[0]
		require.Equal(t, "Deploy", a.ActionName)
		require.Equal(t, "Succeeded", a.Status)
		require.Equal(t, "#{variables.Bucket}", a.Input.Configuration["BucketName"])
		require.Equal(t, siteBucket, a.Input.ResolvedConfiguration["BucketName"])
	})

	t.Run("BeforeEntryCondition", func(t *testing.T) {
		t.Parallel()
		deploy := s3DeployStage(siteBucket, "cond")
		deploy["beforeEntry"] = map[string]any{"conditions": []any{map[string]any{
			"result": "FAIL",
			"rules": []any{map[string]any{
				"name":       "MustBeRelease",
				"ruleTypeId": map[string]any{"category": "Rule", "owner": "AWS", "provider": "VariableCheck", "version": "1"},
				"configuration": map[string]any{
					"Variable": "#{variables.Env}", "Operator": "EQ", "Value": "release",
				},
			}},
		}}}
		p := v2(tutorialPipeline("ConditionPipeline", sourceBucket, artifactBucket, deploy))
		p["variables"] = []any{map[string]any{"name": "Env", "defaultValue": "test"}}
		e := create(t, p)
		require.Equal(t, "Failed", e.Status)

		var rules struct {
			RuleExecutionDetails []struct {
				PipelineExecutionID string `json:"pipelineExecutionId"`
				StageName           string `json:"stageName"`
				RuleName            string `json:"ruleName"`
				Status              string `json:"status"`
				Input               struct {
					RuleTypeID struct {
						Provider string `json:"provider"`
					} `json:"ruleTypeId"`
					ResolvedConfiguration map[string]string `json:"resolvedConfiguration"`
				} `json:"input"`
			} `json:"ruleExecutionDetails"`
		}
		cli(t, &rules, "codepipeline", "list-rule-executions", "--pipeline-name", "ConditionPipeline",
			"--filter", "pipelineExecutionId="+e.PipelineExecutionID)
		require.Len(t, rules.RuleExecutionDetails, 1)
		r := rules.RuleExecutionDetails[0]
		require.Equal(t, e.PipelineExecutionID, r.PipelineExecutionID)
		require.Equal(t, "Deploy", r.StageName)
		require.Equal(t, "MustBeRelease", r.RuleName)
		require.Equal(t, "Failed", r.Status)
		require.Equal(t, "VariableCheck", r.Input.RuleTypeID.Provider)
		require.Equal(t, "test", r.Input.ResolvedConfiguration["Variable"])

		var state struct {
			StageStates []struct {
				StageName                 string `json:"stageName"`
				BeforeEntryConditionState struct {
					LatestExecution struct {
						Status string `json:"status"`
					} `json:"latestExecution"`
				} `json:"beforeEntryConditionState"`
			} `json:"stageStates"`
		}
		cli(t, &state, "codepipeline", "get-pipeline-state", "--name", "ConditionPipeline")
		require.Len(t, state.StageStates, 2)
		require.Equal(t, "Failed", state.StageStates[1].BeforeEntryConditionState.LatestExecution.Status)

		// With the variable set to what the rule wants, the stage is entered.
		var started struct {
			PipelineExecutionID string `json:"pipelineExecutionId"`
		}
		cli(t, &started, "codepipeline", "start-pipeline-execution", "--name", "ConditionPipeline",
			"--variables", "name=Env,value=release")
		require.Equal(t, "Succeeded", waitExecution(t, "ConditionPipeline", started.PipelineExecutionID))
		cli(t, &rules, "codepipeline", "list-rule-executions", "--pipeline-name", "ConditionPipeline")
		require.Len(t, rules.RuleExecutionDetails, 2)
		require.Equal(t, started.PipelineExecutionID, rules.RuleExecutionDetails[0].PipelineExecutionID)
		require.Equal(t, "Succeeded", rules.RuleExecutionDetails[0].Status)
	})

	t.Run("OverrideWindow", func(t *testing.T) {
		t.Parallel()
		// A DeploymentWindow entry rule whose window opens only next New Year's Day.
		deploy := s3DeployStage(siteBucket, "window")
		deploy["beforeEntry"] = map[string]any{"conditions": []any{map[string]any{
			"rules": []any{map[string]any{
				"name":          "NewYear",
				"ruleTypeId":    map[string]any{"category": "Rule", "owner": "AWS", "provider": "DeploymentWindow", "version": "1"},
				"configuration": map[string]any{"Cron": fmt.Sprintf("* 0 0 1 1 ? %d", time.Now().Year()+1)},
			}},
		}}}
		cli(t, nil, "codepipeline", "create-pipeline", "--pipeline",
			writeJSON(t, dir, "WindowPipeline.json", v2(tutorialPipeline("WindowPipeline", sourceBucket, artifactBucket, deploy))))
		list := listExecutions(t, "WindowPipeline")
		require.Len(t, list, 1)
		id := list[0].PipelineExecutionID

		type ruleState struct {
			RuleName        string `json:"ruleName"`
			LatestExecution struct {
				Status  string `json:"status"`
				Summary string `json:"summary"`
			} `json:"latestExecution"`
		}
		type stageState struct {
			StageName                 string `json:"stageName"`
			BeforeEntryConditionState struct {
				LatestExecution struct {
					Status string `json:"status"`
				} `json:"latestExecution"`
				ConditionStates []struct {
					RuleStates []ruleState `json:"ruleStates"`
				} `json:"conditionStates"`
			} `json:"beforeEntryConditionState"`
		}
		deployState := func(t *testing.T) stageState {
			t.Helper()
			var state struct {
				StageStates []stageState `json:"stageStates"`
			}
			cli(t, &state, "codepipeline", "get-pipeline-state", "--name", "WindowPipeline")
			require.Len(t, state.StageStates, 2)
			return state.StageStates[1]
		}
		// Wait (with the SDK) until the rule reports why it waits, then look with the CLI.
		deadline := time.Now().Add(60 * time.Second)
		for {
			st, err := sdk.GetPipelineState(t.Context(), &codepipeline.GetPipelineStateInput{Name: aws.String("WindowPipeline")})
			require.NoError(t, err)
			if cs := st.StageStates[1].BeforeEntryConditionState; cs != nil && len(cs.ConditionStates) == 1 &&
				len(cs.ConditionStates[0].RuleStates) == 1 && cs.ConditionStates[0].RuleStates[0].LatestExecution != nil &&
				cs.ConditionStates[0].RuleStates[0].LatestExecution.Summary != nil {
				break
			}
			require.True(t, time.Now().Before(deadline), "the window rule never reported waiting")
			time.Sleep(10 * time.Millisecond)
		}
		cs := deployState(t).BeforeEntryConditionState
		require.Len(t, cs.ConditionStates, 1)
		require.Len(t, cs.ConditionStates[0].RuleStates, 1)
		r := cs.ConditionStates[0].RuleStates[0]
		require.Equal(t, "NewYear", r.RuleName)
		require.Equal(t, "InProgress", r.LatestExecution.Status)
		require.Contains(t, r.LatestExecution.Summary, "Waiting for the deployment window")
		require.Equal(t, "InProgress", cs.LatestExecution.Status)
		require.Equal(t, "InProgress", getExecution(t, "WindowPipeline", id).Status)

		// Only the condition being evaluated can be overridden.
		require.Contains(t, awsFails(t, srv.url, "codepipeline", "override-stage-condition", "--pipeline-name", "WindowPipeline",
			"--stage-name", "Deploy", "--pipeline-execution-id", id, "--condition-type", "ON_SUCCESS"),
			"ConditionNotOverridableException")
		cli(t, nil, "codepipeline", "override-stage-condition", "--pipeline-name", "WindowPipeline",
			"--stage-name", "Deploy", "--pipeline-execution-id", id, "--condition-type", "BEFORE_ENTRY")
		require.Equal(t, "Succeeded", waitExecution(t, "WindowPipeline", id))

		st := deployState(t).BeforeEntryConditionState
		require.Equal(t, "Overridden", st.LatestExecution.Status)
		require.Equal(t, "Abandoned", st.ConditionStates[0].RuleStates[0].LatestExecution.Status)
		var rules struct {
			RuleExecutionDetails []struct {
				RuleName string `json:"ruleName"`
				Status   string `json:"status"`
			} `json:"ruleExecutionDetails"`
		}
		cli(t, &rules, "codepipeline", "list-rule-executions", "--pipeline-name", "WindowPipeline")
		require.Len(t, rules.RuleExecutionDetails, 1)
		require.Equal(t, "NewYear", rules.RuleExecutionDetails[0].RuleName)
		require.Equal(t, "Abandoned", rules.RuleExecutionDetails[0].Status)
	})

	t.Run("ThirdPartyJob", func(t *testing.T) {
		t.Parallel()
		// A GitHub (version 1) source, whose job a worker does with the CLI.
		p := tutorialPipeline("GitHubPipeline", sourceBucket, artifactBucket, s3DeployStage(siteBucket, "github"))
		stages := p["stages"].([]any)
		stages[0] = map[string]any{"name": "Source", "actions": []any{map[string]any{
			"name":         "Source",
			"actionTypeId": map[string]any{"category": "Source", "owner": "ThirdParty", "provider": "GitHub", "version": "1"},
			"runOrder":     1,
			"configuration": map[string]any{"Owner": "octo", "Repo": "site", "Branch": "main",
				"OAuthToken": "ghp_secret", "PollForSourceChanges": "false"},
			"outputArtifacts": artifactNames([]string{"SourceArtifact"}),
		}}}
		cli(t, nil, "codepipeline", "create-pipeline", "--pipeline", writeJSON(t, dir, "GitHubPipeline.json", p))
		list := listExecutions(t, "GitHubPipeline")
		require.Len(t, list, 1)
		id := list[0].PipelineExecutionID

		type polled struct {
			Jobs []struct {
				JobID    string `json:"jobId"`
				ClientID string `json:"clientId"`
			} `json:"jobs"`
		}
		var jobs polled
		deadline := time.Now().Add(60 * time.Second)
		for len(jobs.Jobs) == 0 {
			require.True(t, time.Now().Before(deadline), "no third-party job was handed out")
			cli(t, &jobs, "codepipeline", "poll-for-third-party-jobs",
				"--action-type-id", "category=Source,owner=ThirdParty,provider=GitHub,version=1", "--max-batch-size", "5")
		}
		require.Len(t, jobs.Jobs, 1)
		job := jobs.Jobs[0]

		var details struct {
			JobDetails struct {
				ID    string `json:"id"`
				Nonce string `json:"nonce"`
				Data  struct {
					ActionConfiguration struct {
						Configuration map[string]string `json:"configuration"`
					} `json:"actionConfiguration"`
					PipelineContext struct {
						PipelineName string `json:"pipelineName"`
						Stage        struct {
							Name string `json:"name"`
						} `json:"stage"`
					} `json:"pipelineContext"`
					OutputArtifacts []struct {
						Name     string `json:"name"`
						Location struct {
							S3Location struct {
								BucketName string `json:"bucketName"`
								ObjectKey  string `json:"objectKey"`
							} `json:"s3Location"`
						} `json:"location"`
					} `json:"outputArtifacts"`
				} `json:"data"`
			} `json:"jobDetails"`
		}
		require.Contains(t, awsFails(t, srv.url, "codepipeline", "get-third-party-job-details", "--job-id", job.JobID,
			"--client-token", "not-the-token"), "InvalidClientTokenException")
		cli(t, &details, "codepipeline", "get-third-party-job-details", "--job-id", job.JobID, "--client-token", job.ClientID)
		d := details.JobDetails
		require.Equal(t, job.JobID, d.ID)
		require.NotEmpty(t, d.Nonce)
		require.Equal(t, "GitHubPipeline", d.Data.PipelineContext.PipelineName)
		require.Equal(t, "Source", d.Data.PipelineContext.Stage.Name)
		require.Equal(t, "ghp_secret", d.Data.ActionConfiguration.Configuration["OAuthToken"])
		require.Len(t, d.Data.OutputArtifacts, 1)
		out := d.Data.OutputArtifacts[0].Location.S3Location
		require.Equal(t, artifactBucket, out.BucketName)

		var ack struct {
			Status string `json:"status"`
		}
		cli(t, &ack, "codepipeline", "acknowledge-third-party-job", "--job-id", job.JobID, "--nonce", d.Nonce,
			"--client-token", job.ClientID)
		require.Equal(t, "InProgress", ack.Status)

		// The worker uploads the source as the output artifact and reports success.
		srcZip := filepath.Join(dir, "github.zip")
		require.NoError(t, os.WriteFile(srcZip, zipOf(t, map[string]string{"from-github.txt": "octo/site@main"}), 0o600))
		cli(t, nil, "s3", "cp", srcZip, "s3://"+out.BucketName+"/"+out.ObjectKey)
		cli(t, nil, "codepipeline", "put-third-party-job-success-result", "--job-id", job.JobID, "--client-token", job.ClientID,
			"--current-revision", "revision=0123abc,changeIdentifier=0123abc",
			"--execution-details", "summary=fetched octo/site,externalExecutionId=0123abc")
		require.Equal(t, "Succeeded", waitExecution(t, "GitHubPipeline", id))
		require.Contains(t, awsText(t, srv.url, "s3", "ls", "--recursive", "s3://"+siteBucket+"/github/"), "github/from-github.txt")

		var state struct {
			StageStates []struct {
				ActionStates []struct {
					LatestExecution struct {
						Status              string `json:"status"`
						Summary             string `json:"summary"`
						ExternalExecutionID string `json:"externalExecutionId"`
					} `json:"latestExecution"`
					CurrentRevision struct {
						RevisionID string `json:"revisionId"`
					} `json:"currentRevision"`
				} `json:"actionStates"`
			} `json:"stageStates"`
		}
		cli(t, &state, "codepipeline", "get-pipeline-state", "--name", "GitHubPipeline")
		src := state.StageStates[0].ActionStates[0]
		require.Equal(t, "Succeeded", src.LatestExecution.Status)
		require.Equal(t, "fetched octo/site", src.LatestExecution.Summary)
		require.Equal(t, "0123abc", src.LatestExecution.ExternalExecutionID)

		// The job is done: its client token no longer works.
		require.Contains(t, awsFails(t, srv.url, "codepipeline", "get-third-party-job-details", "--job-id", job.JobID,
			"--client-token", job.ClientID), "JobNotFoundException")
	})

	t.Run("Types", func(t *testing.T) {
		t.Parallel()
		var rt struct {
			RuleTypes []struct {
				ID struct {
					Category string `json:"category"`
					Owner    string `json:"owner"`
					Provider string `json:"provider"`
					Version  string `json:"version"`
				} `json:"id"`
				RuleConfigurationProperties []struct {
					Name     string `json:"name"`
					Required bool   `json:"required"`
				} `json:"ruleConfigurationProperties"`
			} `json:"ruleTypes"`
		}
		cli(t, &rt, "codepipeline", "list-rule-types")
		props := map[string][]string{}
		for _, r := range rt.RuleTypes {
			require.Equal(t, "Rule", r.ID.Category)
			require.Equal(t, "AWS", r.ID.Owner)
			require.Equal(t, "1", r.ID.Version)
			props[r.ID.Provider] = nil
			for _, p := range r.RuleConfigurationProperties {
				props[r.ID.Provider] = append(props[r.ID.Provider], p.Name)
			}
		}
		require.Len(t, props, 5)
		require.Subset(t, props["VariableCheck"], []string{"Variable", "Value", "Operator"})
		require.Contains(t, props["DeploymentWindow"], "Cron")

		var at struct {
			ActionType struct {
				ID struct {
					Category string `json:"category"`
					Owner    string `json:"owner"`
					Provider string `json:"provider"`
					Version  string `json:"version"`
				} `json:"id"`
				Executor struct {
					Type string `json:"type"`
				} `json:"executor"`
				InputArtifactDetails struct {
					MinimumCount int `json:"minimumCount"`
					MaximumCount int `json:"maximumCount"`
				} `json:"inputArtifactDetails"`
				Properties []struct {
					Name     string `json:"name"`
					Optional bool   `json:"optional"`
				} `json:"properties"`
			} `json:"actionType"`
		}
		var raw struct {
			ActionType map[string]any `json:"actionType"`
		}
		cli(t, &raw, "codepipeline", "get-action-type", "--category", "Invoke", "--owner", "AWS",
			"--provider", "StepFunctions", "--action-version", "1")
		b, err := json.Marshal(raw)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &at))
		require.Equal(t, "Invoke", at.ActionType.ID.Category)
		require.Equal(t, "StepFunctions", at.ActionType.ID.Provider)
		require.Equal(t, "JobWorker", at.ActionType.Executor.Type)
		optional := map[string]bool{}
		for _, p := range at.ActionType.Properties {
			optional[p.Name] = p.Optional
		}
		require.Contains(t, optional, "StateMachineArn")
		require.False(t, optional["StateMachineArn"])

		// An AWS-owned type cannot be updated, even with its own declaration sent back.
		require.Contains(t, awsFails(t, srv.url, "codepipeline", "update-action-type", "--action-type",
			writeJSON(t, dir, "sfn-action-type.json", raw.ActionType)), "RequestFailedException")

		// An unknown type is not found.
		require.Contains(t, awsFails(t, srv.url, "codepipeline", "get-action-type", "--category", "Invoke", "--owner", "AWS",
			"--provider", "NoSuchProvider", "--action-version", "1"), "ActionTypeNotFoundException")
	})
}
