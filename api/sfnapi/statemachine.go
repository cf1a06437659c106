package sfnapi

import (
	"context"

	"stepline/api/awsjson"
	"stepline/sfn"
)

// handlers holds the Step Functions operations; each method is one operation.
type handlers struct {
	s *sfn.Service // immutable
}

func (h *handlers) createStateMachine(ctx context.Context, in *CreateStateMachineInput) (*CreateStateMachineOutput, error) {
	res, err := h.s.StateMachineCreate(ctx, sfn.StateMachineCreateParams{
		Name: in.Name, Definition: in.Definition, RoleARN: in.RoleArn, Type: deref(in.Type),
		Logging: loggingIn(in.LoggingConfiguration), Tracing: tracingIn(in.TracingConfiguration),
		Encryption: encryptionIn(in.EncryptionConfiguration), Tags: tagsIn(in.Tags),
		Publish: deref(in.Publish), VersionDescription: deref(in.VersionDescription),
	})
	if err != nil {
		return nil, err
	}
	return &CreateStateMachineOutput{StateMachineArn: res.ARN, CreationDate: awsjson.NewTime(res.CreationDate),
		StateMachineVersionArn: optString(res.VersionARN)}, nil
}

func (h *handlers) describeStateMachine(ctx context.Context, in *DescribeStateMachineInput) (*DescribeStateMachineOutput, error) {
	sm, err := h.s.StateMachineGet(ctx, in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	out := &DescribeStateMachineOutput{
		StateMachineArn: sm.ARN, Name: sm.Name, Status: ptr(sm.Status), Definition: sm.Definition,
		RoleArn: sm.RoleARN, Type: sm.Type, CreationDate: awsjson.NewTime(sm.CreationDate),
		LoggingConfiguration: loggingOut(sm.Logging), TracingConfiguration: tracingOut(sm.Tracing),
		Label: optString(sm.Label), RevisionId: optString(sm.RevisionID), Description: optString(sm.Description),
		EncryptionConfiguration: encryptionOut(sm.Encryption),
	}
	// METADATA_ONLY leaves the definition out (API_DescribeStateMachine, includedData);
	// the wire shape always has the member, so it goes out empty.
	if deref(in.IncludedData) == "METADATA_ONLY" {
		out.Definition = ""
	}
	return out, nil
}

func (h *handlers) updateStateMachine(ctx context.Context, in *UpdateStateMachineInput) (*UpdateStateMachineOutput, error) {
	res, err := h.s.StateMachineUpdate(ctx, sfn.StateMachineUpdateParams{
		ARN: in.StateMachineArn, Definition: in.Definition, RoleARN: in.RoleArn,
		Logging: loggingIn(in.LoggingConfiguration), Tracing: tracingIn(in.TracingConfiguration),
		Encryption: encryptionIn(in.EncryptionConfiguration),
		Publish:    deref(in.Publish), VersionDescription: deref(in.VersionDescription),
	})
	if err != nil {
		return nil, err
	}
	return &UpdateStateMachineOutput{UpdateDate: awsjson.NewTime(res.UpdateDate),
		RevisionId: optString(res.RevisionID), StateMachineVersionArn: optString(res.VersionARN)}, nil
}

func (h *handlers) deleteStateMachine(ctx context.Context, in *DeleteStateMachineInput) (*DeleteStateMachineOutput, error) {
	if err := h.s.StateMachineDelete(ctx, in.StateMachineArn); err != nil {
		return nil, err
	}
	return &DeleteStateMachineOutput{}, nil
}

func (h *handlers) listStateMachines(ctx context.Context, in *ListStateMachinesInput) (*ListStateMachinesOutput, error) {
	sms, next, err := h.s.StateMachineList(ctx, page(in.MaxResults, in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &ListStateMachinesOutput{StateMachines: make([]StateMachineListItem, 0, len(sms)), NextToken: optString(next)}
	for _, sm := range sms {
		out.StateMachines = append(out.StateMachines, StateMachineListItem{StateMachineArn: sm.ARN, Name: sm.Name,
			Type: sm.Type, CreationDate: awsjson.NewTime(sm.CreationDate)})
	}
	return out, nil
}
