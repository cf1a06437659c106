package sfnapi

import (
	"context"

	"stepline/api/awsjson"
	"stepline/sfn"
)

func (h *handlers) createStateMachineAlias(ctx context.Context, in *CreateStateMachineAliasInput) (*CreateStateMachineAliasOutput, error) {
	al, err := h.s.AliasCreate(ctx, sfn.AliasCreateParams{Name: in.Name, Description: deref(in.Description),
		Routing: routingIn(in.RoutingConfiguration)})
	if err != nil {
		return nil, err
	}
	return &CreateStateMachineAliasOutput{StateMachineAliasArn: al.ARN, CreationDate: awsjson.NewTime(al.CreationDate)}, nil
}

func (h *handlers) describeStateMachineAlias(ctx context.Context, in *DescribeStateMachineAliasInput) (*DescribeStateMachineAliasOutput, error) {
	al, err := h.s.AliasGet(ctx, in.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	return &DescribeStateMachineAliasOutput{StateMachineAliasArn: ptr(al.ARN), Name: ptr(al.Name),
		Description: optString(al.Description), RoutingConfiguration: routingOut(al.Routing),
		CreationDate: awsjson.TimePtr(al.CreationDate), UpdateDate: awsjson.TimePtr(al.UpdateDate)}, nil
}

func (h *handlers) updateStateMachineAlias(ctx context.Context, in *UpdateStateMachineAliasInput) (*UpdateStateMachineAliasOutput, error) {
	at, err := h.s.AliasUpdate(ctx, in.StateMachineAliasArn, in.Description, routingIn(in.RoutingConfiguration))
	if err != nil {
		return nil, err
	}
	return &UpdateStateMachineAliasOutput{UpdateDate: awsjson.NewTime(at)}, nil
}

func (h *handlers) deleteStateMachineAlias(ctx context.Context, in *DeleteStateMachineAliasInput) (*DeleteStateMachineAliasOutput, error) {
	if err := h.s.AliasDelete(ctx, in.StateMachineAliasArn); err != nil {
		return nil, err
	}
	return &DeleteStateMachineAliasOutput{}, nil
}

func (h *handlers) listStateMachineAliases(ctx context.Context, in *ListStateMachineAliasesInput) (*ListStateMachineAliasesOutput, error) {
	als, next, err := h.s.AliasList(ctx, in.StateMachineArn, page(in.MaxResults, in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &ListStateMachineAliasesOutput{StateMachineAliases: make([]StateMachineAliasListItem, 0, len(als)),
		NextToken: optString(next)}
	for _, al := range als {
		out.StateMachineAliases = append(out.StateMachineAliases,
			StateMachineAliasListItem{StateMachineAliasArn: al.ARN, CreationDate: awsjson.NewTime(al.CreationDate)})
	}
	return out, nil
}
