package sfnapi

import (
	"context"
)

func (h *handlers) tagResource(ctx context.Context, in *TagResourceInput) (*TagResourceOutput, error) {
	if err := h.s.TagsAdd(ctx, in.ResourceArn, tagsIn(in.Tags)); err != nil {
		return nil, err
	}
	return &TagResourceOutput{}, nil
}

func (h *handlers) untagResource(ctx context.Context, in *UntagResourceInput) (*UntagResourceOutput, error) {
	if err := h.s.TagsRemove(ctx, in.ResourceArn, in.TagKeys); err != nil {
		return nil, err
	}
	return &UntagResourceOutput{}, nil
}

func (h *handlers) listTagsForResource(ctx context.Context, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	tags, err := h.s.TagsList(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	return &ListTagsForResourceOutput{Tags: tagsOut(tags)}, nil
}
