package stepfunctions

import (
	"context"

	"stepline/sfn"
)

// Local adapts the in-process Step Functions service to StateMachines.
type Local struct{ SFN *sfn.Service }

var _ StateMachines = Local{}

// StateMachineType describes the state machine.
func (l Local) StateMachineType(ctx context.Context, arn string) (string, error) {
	sm, err := l.SFN.StateMachineGet(ctx, arn)
	if err != nil {
		return "", err
	}
	return sm.Type, nil
}

// StartExecution starts an execution.
func (l Local) StartExecution(ctx context.Context, arn, name, input string) (string, error) {
	res, err := l.SFN.StartExecution(ctx, sfn.StartExecutionParams{StateMachineARN: arn, Name: name, Input: &input})
	if err != nil {
		return "", err
	}
	return res.ExecutionARN, nil
}

// DescribeExecution describes an execution.
func (l Local) DescribeExecution(ctx context.Context, arn string) (Execution, error) {
	ex, err := l.SFN.DescribeExecution(ctx, arn)
	if err != nil {
		return Execution{}, err
	}
	return Execution{Status: ex.Status, Output: ex.Output, Error: ex.Error, Cause: ex.Cause}, nil
}
