// Package stepfunctions is the AWS Step Functions invoke action
// (Invoke/AWS/StepFunctions/1), following
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-StepFunctions.html:
// it starts an execution named <ExecutionNamePrefix>-<actionExecutionId> with the
// Literal input or the contents of a file in the input artifact (FilePath). A Standard
// execution decides the action's outcome; an Express one succeeds the action on start.
package stepfunctions

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"stepline"
	"stepline/internal/clock"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
)

// Execution statuses and state machine types, as Step Functions reports them.
const (
	statusRunning  = "RUNNING"
	statusSucceded = "SUCCEEDED"
	typeExpress    = "EXPRESS"
)

// Execution is what the action needs from DescribeExecution.
type Execution struct {
	Status string
	Output *string
	Error  string
	Cause  string
}

// StateMachines is the part of the Step Functions service the action calls, in
// process (DESIGN.md §4).
type StateMachines interface {
	// StateMachineType returns STANDARD or EXPRESS.
	StateMachineType(ctx context.Context, arn string) (string, error)
	// StartExecution starts an execution and returns its ARN; starting again with the
	// same name and input returns the same execution.
	StartExecution(ctx context.Context, arn, name, input string) (string, error)
	// DescribeExecution describes a Standard execution.
	DescribeExecution(ctx context.Context, arn string) (Execution, error)
}

// PollMin and PollMax bound the wait between two looks at a running execution.
const (
	PollMin = 10 * time.Millisecond
	PollMax = time.Second
)

// OutputFile is the file that holds the execution output inside the output artifact.
const OutputFile = "output.json"

// Provider runs Step Functions invoke actions.
type Provider struct {
	Machines  StateMachines
	Artifacts action.Artifacts // for FilePath input and output artifacts; may be nil
	Clock     clock.Clock
	// ConsoleURL links an execution in a console; nil links it in stepline's own
	// console, served on the same host as the API.
	ConsoleURL func(region, executionARN string) string
}

var _ action.Provider = (*Provider)(nil)

// Run starts the execution, records its ARN as the external execution id, and for a
// Standard state machine waits for it to end.
func (p *Provider) Run(ctx context.Context, job action.Job, report func(plan.ActionResult)) (action.Outcome, error) {
	ctx = stepline.ContextWithIdentity(ctx, stepline.Identity{Account: job.Account, Region: job.Region, Partition: job.Partition})
	cfg := job.Configuration
	smARN := cfg["StateMachineArn"]
	input, out := p.input(ctx, job)
	if out != nil {
		return *out, nil
	}
	name := job.ActionExecutionID
	if prefix := cfg["ExecutionNamePrefix"]; prefix != "" {
		name = prefix + "-" + name
	}
	typ, err := p.Machines.StateMachineType(ctx, smARN)
	if err != nil {
		return failure(err), nil
	}
	execARN, err := p.Machines.StartExecution(ctx, smARN, name, input)
	if err != nil {
		return failure(err), nil
	}
	res := plan.ActionResult{
		ExternalExecutionID: execARN,
		ExternalURL:         p.consoleURL(job.Region, execARN),
		OutputVariables:     map[string]string{"StateMachineArn": smARN},
	}
	if typ == typeExpress {
		res.Summary = "Express execution started"
		return action.Outcome{Status: action.Succeeded, Result: res}, nil
	}
	res.OutputVariables["ExecutionArn"] = execARN
	report(plan.ActionResult{ExternalExecutionID: execARN, ExternalURL: res.ExternalURL})
	ex, err := p.wait(ctx, execARN)
	if err != nil {
		return action.Outcome{}, err
	}
	if ex.Status != statusSucceded {
		out := action.Fail(fmt.Sprintf("Execution %s %s: %s: %s", execARN, ex.Status, ex.Error, ex.Cause))
		out.Result.ExternalExecutionID, out.Result.ExternalURL = execARN, res.ExternalURL
		return out, nil
	}
	res.Summary = "Execution succeeded"
	if len(job.OutputArtifacts) > 0 && ex.Output != nil && p.Artifacts != nil {
		loc := job.OutputArtifacts[0]
		data, err := zipOne(OutputFile, []byte(*ex.Output))
		if err != nil {
			return action.Outcome{}, err
		}
		ver, err := p.Artifacts.PutObject(ctx, loc.Bucket, loc.Key, data)
		if err != nil {
			return action.Fail(fmt.Sprintf("Unable to upload the output artifact %s to bucket %s: %v", loc.Name, loc.Bucket, err)), nil
		}
		loc.ObjectVersion = ver
		res.OutputArtifacts = []plan.ArtifactLocation{loc}
	}
	return action.Outcome{Status: action.Succeeded, Result: res}, nil
}

// input builds the execution input: the Literal Input ({} when absent) or the
// FilePath file read from the single input artifact.
func (p *Provider) input(ctx context.Context, job action.Job) (string, *action.Outcome) {
	cfg := job.Configuration
	if cfg["InputType"] != "FilePath" {
		if in, ok := cfg["Input"]; ok {
			return in, nil
		}
		return "{}", nil
	}
	fail := func(msg string) (string, *action.Outcome) { o := action.Fail(msg); return "", &o }
	if len(job.InputArtifacts) != 1 || p.Artifacts == nil {
		return fail("An input artifact is required when InputType is FilePath")
	}
	loc := job.InputArtifacts[0]
	rc, _, err := p.Artifacts.GetObject(ctx, loc.Bucket, loc.Key, loc.ObjectVersion)
	if err != nil {
		return fail(fmt.Sprintf("Unable to read input artifact %s: %v", loc.Name, err))
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return fail(fmt.Sprintf("Unable to read input artifact %s: %v", loc.Name, err))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fail(fmt.Sprintf("Input artifact %s is not a zip file", loc.Name))
	}
	for _, f := range zr.File {
		if f.Name != cfg["Input"] {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return fail(fmt.Sprintf("Unable to read %s from input artifact %s: %v", f.Name, loc.Name, err))
		}
		b, err := io.ReadAll(io.LimitReader(r, 1<<20))
		_ = r.Close()
		if err != nil {
			return fail(fmt.Sprintf("Unable to read %s from input artifact %s: %v", f.Name, loc.Name, err))
		}
		return string(b), nil
	}
	return fail(fmt.Sprintf("File %s was not found in input artifact %s", cfg["Input"], loc.Name))
}

// wait polls the execution until it ends, backing off from PollMin to PollMax.
func (p *Provider) wait(ctx context.Context, arn string) (Execution, error) {
	c := p.Clock
	if c == nil {
		c = clock.Real{}
	}
	d := PollMin
	for {
		ex, err := p.Machines.DescribeExecution(ctx, arn)
		if err != nil {
			return ex, fmt.Errorf("describe execution %s: %w", arn, err)
		}
		// PENDING_REDRIVE is not final: a redrive may still finish the execution.
		if ex.Status != statusRunning && ex.Status != "PENDING_REDRIVE" {
			return ex, nil
		}
		select {
		case <-ctx.Done():
			return ex, ctx.Err()
		case <-c.After(d):
		}
		d = min(d*2, PollMax)
	}
}

func failure(err error) action.Outcome {
	var se *stepline.Error
	if errors.As(err, &se) {
		return action.Fail(se.Code + ": " + se.Message)
	}
	return action.Fail(err.Error())
}

// ConsolePrefix is where stepline's console shows an execution.
const ConsolePrefix = "/_console/executions/"

func (p *Provider) consoleURL(region, execARN string) string {
	if p.ConsoleURL != nil {
		return p.ConsoleURL(region, execARN)
	}
	return ConsolePrefix + url.PathEscape(execARN)
}

func zipOne(name string, data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		return nil, fmt.Errorf("zip output: %w", err)
	}
	if _, err := w.Write(data); err != nil {
		return nil, fmt.Errorf("zip output: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip output: %w", err)
	}
	return buf.Bytes(), nil
}
