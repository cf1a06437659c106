package sfnapi

import (
	"context"

	"stepline/api/awsjson"
)

func (h *handlers) publishStateMachineVersion(ctx context.Context, in *PublishStateMachineVersionInput) (*PublishStateMachineVersionOutput, error) {
	v, err := h.s.VersionPublish(ctx, in.StateMachineArn, deref(in.RevisionId), deref(in.Description))
	if err != nil {
		return nil, err
	}
	return &PublishStateMachineVersionOutput{CreationDate: awsjson.NewTime(v.CreationDate), StateMachineVersionArn: v.ARN}, nil
}

func (h *handlers) listStateMachineVersions(ctx context.Context, in *ListStateMachineVersionsInput) (*ListStateMachineVersionsOutput, error) {
	vs, next, err := h.s.VersionList(ctx, in.StateMachineArn, page(in.MaxResults, in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &ListStateMachineVersionsOutput{StateMachineVersions: make([]StateMachineVersionListItem, 0, len(vs)),
		NextToken: optString(next)}
	for _, v := range vs {
		out.StateMachineVersions = append(out.StateMachineVersions,
			StateMachineVersionListItem{StateMachineVersionArn: v.ARN, CreationDate: awsjson.NewTime(v.CreationDate)})
	}
	return out, nil
}

func (h *handlers) deleteStateMachineVersion(ctx context.Context, in *DeleteStateMachineVersionInput) (*DeleteStateMachineVersionOutput, error) {
	if err := h.s.VersionDelete(ctx, in.StateMachineVersionArn); err != nil {
		return nil, err
	}
	return &DeleteStateMachineVersionOutput{}, nil
}
