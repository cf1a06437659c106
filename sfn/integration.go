package sfn

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"stepline/asl"
	"stepline/jsonvalue"
	"stepline/store"
)

// IntegrationUnavailableError is the error a Task state fails with when it calls a
// service stepline has no backend for (Lambda, SQS, DynamoDB, ...) and no mock
// answers it. It is a task failure like any other, so States.TaskFailed and
// States.ALL catch it. docs/integrations.md explains the choice.
const IntegrationUnavailableError = "Stepline.IntegrationUnavailable"

// failure is an ASL error name and cause.
type failure struct {
	Error string
	Cause string
}

// unsupportedIntegration is the failure of a task whose service has no backend.
func unsupportedIntegration(env taskEnvelope) failure {
	return failure{
		Error: IntegrationUnavailableError,
		Cause: fmt.Sprintf("The resource '%s' of state '%s' has no backend in stepline. "+
			"Answer it with a mock config (stepline run --mock), or use an activity or a .waitForTaskToken callback.",
			env.Resource, env.StateName),
	}
}

// isStartExecution reports whether a task starts a nested execution
// (arn:aws:states:::states:startExecution[.sync[:2]]).
func isStartExecution(env taskEnvelope) bool {
	if env.Kind != asl.TaskService {
		return false
	}
	if env.Service == "states" && env.Action == "startExecution" {
		return true
	}
	// Accept the resource as written if the interpreter did not split it.
	r := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(env.Resource, ".sync:2"), ".sync"), ".waitForTaskToken")
	return strings.HasSuffix(r, ":states:startExecution") && strings.HasPrefix(r, "arn:")
}

// childParams are the parameters of states:startExecution
// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html).
type childParams struct {
	StateMachineARN string
	Name            string
	Input           *string
}

func parseChildParams(input any) (childParams, error) {
	o, ok := input.(*jsonvalue.Object)
	if !ok {
		return childParams{}, errors.New("the parameters must be an object")
	}
	var p childParams
	if v, ok := o.Get("StateMachineArn"); ok {
		p.StateMachineARN, _ = v.(string)
	}
	if p.StateMachineARN == "" {
		return p, errors.New("StateMachineArn is required")
	}
	if v, ok := o.Get("Name"); ok {
		p.Name, _ = v.(string)
	}
	if v, ok := o.Get("Input"); ok {
		// Input may be JSON text or any JSON value, which is then serialized.
		s, isString := v.(string)
		if !isString {
			s = jsonvalue.MarshalString(v)
		}
		p.Input = &s
	}
	return p, nil
}

// childName is the name of a nested execution started without one: derived from the
// parent and task, so that dispatching the task again finds the same child.
func childName(parentARN, taskID string) string {
	sum := sha256.Sum256([]byte(parentARN + "\x00" + taskID))
	u, _ := uuid.FromBytes(sum[:16]) // 16 bytes: cannot fail
	u[6] = (u[6] & 0x0f) | 0x40      // make it look like the v4 UUIDs AWS uses
	u[8] = (u[8] & 0x3f) | 0x80
	return u.String()
}

// startChildTask runs arn:aws:states:::states:startExecution[.sync[:2]]: it starts
// the nested execution and, for .sync, waits for its end (the child's close writes a
// child timer onto this execution).
func (e *engine) startChildTask(ctx context.Context, tk store.Task, env taskEnvelope, input any) (taskOutcome, error) {
	started := asl.TaskStarted{TaskID: tk.ID}
	p, err := parseChildParams(input)
	if err != nil {
		return taskOutcome{inputs: []asl.Input{started, asl.TaskFailed{TaskID: tk.ID, Error: "States.Runtime", Cause: err.Error()}}}, nil
	}
	name := p.Name
	if name == "" {
		name = childName(tk.ExecutionARN, tk.ID)
	}
	if arn, err := executionARN(p.StateMachineARN, name); err == nil && arn == tk.ExecutionARN {
		// An execution starting itself by name: it exists, and its lock is held here.
		return taskOutcome{inputs: []asl.Input{started, asl.TaskFailed{TaskID: tk.ID,
			Error: "StepFunctions.ExecutionAlreadyExistsException", Cause: executionAlreadyExists(arn).Error()}}}, nil
	}
	var parent *parentRef
	sync := strings.HasPrefix(env.Pattern, "sync")
	if sync {
		if typ, _, err := e.s.stateMachineType(ctx, p.StateMachineARN); err == nil && typ == TypeExpress {
			return e.runExpressChild(ctx, tk, env, p, name), nil
		}
		parent = &parentRef{ExecutionARN: tk.ExecutionARN, TaskID: tk.ID, Pattern: env.Pattern}
	}
	res, err := e.s.StartExecution(ctx, StartExecutionParams{StateMachineARN: p.StateMachineARN, Name: name, Input: p.Input, parent: parent})
	if code := errorCode(err); code == "ExecutionAlreadyExists" && p.Name == "" {
		// Dispatched before by a node that died: the child exists already.
		arn, _ := executionARN(p.StateMachineARN, name)
		ex, gerr := e.s.store.ExecutionGet(ctx, arn)
		if gerr != nil {
			return taskOutcome{}, fmt.Errorf("load nested execution: %w", gerr)
		}
		res, err = StartExecutionResult{ExecutionARN: ex.ARN, StartDate: ex.StartTime}, nil
	}
	if err != nil {
		if code := errorCode(err); code != "" {
			// AWS reports a failed StartExecution call as the task's failure, named
			// after the service's exception (StepFunctions.<Code>).
			return taskOutcome{inputs: []asl.Input{started, asl.TaskFailed{
				TaskID: tk.ID, Error: "StepFunctions." + code + "Exception", Cause: err.Error(),
			}}}, nil
		}
		return taskOutcome{}, err
	}
	resp := jsonvalue.ObjectOf("ExecutionArn", res.ExecutionARN, "StartDate", epochMillis(res.StartDate))
	if !sync {
		return taskOutcome{inputs: []asl.Input{started, asl.TaskSucceeded{TaskID: tk.ID, Output: resp}}, child: res.ExecutionARN}, nil
	}
	return taskOutcome{
		inputs: []asl.Input{started, asl.TaskSubmitted{TaskID: tk.ID, Output: resp}},
		wait:   true,
		child:  res.ExecutionARN,
	}, nil
}

// epochMillis is how service integrations write dates: epoch milliseconds.
func epochMillis(t time.Time) json.Number {
	return json.Number(fmt.Sprint(t.UnixMilli()))
}

// childTaskInput turns a nested execution's end into its parent task's outcome,
// shaped as AWS's .sync integration reports it: the DescribeExecution response, with
// Input and Output as JSON text (.sync) or as JSON values (.sync:2). A child that did
// not succeed fails the task with States.TaskFailed and that response as the cause.
func childTaskInput(taskID string, out childOutcome) asl.Input {
	asJSON := out.Pattern == "sync:2"
	data := func(text string) any {
		if !asJSON {
			return text
		}
		v, err := jsonvalue.ParseString(text)
		if err != nil {
			return text
		}
		return v
	}
	o := jsonvalue.NewObject(12)
	if out.Status != ExecSucceeded {
		if out.Error != "" {
			o.Set("Error", out.Error)
		}
		if out.Cause != "" {
			o.Set("Cause", out.Cause)
		}
	}
	o.Set("ExecutionArn", out.ExecutionARN)
	o.Set("Input", data(out.Input))
	o.Set("InputDetails", jsonvalue.ObjectOf("Included", true))
	o.Set("Name", out.Name)
	if out.Status == ExecSucceeded {
		o.Set("Output", data(out.Output))
		o.Set("OutputDetails", jsonvalue.ObjectOf("Included", true))
	}
	o.Set("RedriveCount", json.Number("0"))
	if out.Status == ExecSucceeded {
		o.Set("RedriveStatus", RedriveNotRedrivable)
		o.Set("RedriveStatusReason", "Execution is SUCCEEDED and cannot be redriven")
	} else {
		o.Set("RedriveStatus", RedriveRedrivable)
	}
	o.Set("StartDate", epochMillis(out.StartDate))
	o.Set("StateMachineArn", out.StateMachineARN)
	o.Set("Status", out.Status)
	o.Set("StopDate", epochMillis(out.StopDate))
	if out.Status == ExecSucceeded {
		return asl.TaskSucceeded{TaskID: taskID, Output: o}
	}
	return asl.TaskFailed{TaskID: taskID, Error: "States.TaskFailed", Cause: jsonvalue.MarshalString(o)}
}

// runExpressChild runs a .sync nested execution of an EXPRESS state machine: it lives
// in memory only, so it runs here, to its end (at most five minutes), and its outcome
// is the task's.
func (e *engine) runExpressChild(ctx context.Context, tk store.Task, env taskEnvelope, p childParams, name string) taskOutcome {
	started := asl.TaskStarted{TaskID: tk.ID}
	res, err := e.s.StartSyncExecution(ctx, StartExecutionParams{StateMachineARN: p.StateMachineARN, Name: name, Input: p.Input})
	if err != nil {
		return taskOutcome{inputs: []asl.Input{started, asl.TaskFailed{
			TaskID: tk.ID, Error: "StepFunctions." + errorCode(err) + "Exception", Cause: err.Error(),
		}}}
	}
	out := childOutcome{
		ExecutionARN: res.ExecutionARN, StateMachineARN: res.StateMachineARN, Name: res.Name, Pattern: env.Pattern,
		Status: res.Status, Input: res.Input, Error: res.Error, Cause: res.Cause, StartDate: res.StartDate, StopDate: res.StopDate,
	}
	if res.Output != nil {
		out.Output = *res.Output
	}
	submitted := asl.TaskSubmitted{TaskID: tk.ID, Output: jsonvalue.ObjectOf("ExecutionArn", res.ExecutionARN, "StartDate", epochMillis(res.StartDate))}
	return taskOutcome{inputs: []asl.Input{started, submitted, childTaskInput(tk.ID, out)}}
}
