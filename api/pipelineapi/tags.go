package pipelineapi

import (
	"context"

	"stepline/pipeline"
)

func (h *handlers) tagResource(ctx context.Context, in *TagResourceInput) (*TagResourceOutput, error) {
	tags := make([]pipeline.Tag, 0, len(in.Tags))
	for _, t := range in.Tags {
		tags = append(tags, pipeline.Tag{Key: t.Key, Value: t.Value})
	}
	return &TagResourceOutput{}, h.s.TagResource(ctx, in.ResourceArn, tags)
}

func (h *handlers) untagResource(ctx context.Context, in *UntagResourceInput) (*UntagResourceOutput, error) {
	return &UntagResourceOutput{}, h.s.UntagResource(ctx, in.ResourceArn, in.TagKeys)
}

func (h *handlers) listTagsForResource(ctx context.Context, in *ListTagsForResourceInput) (*ListTagsForResourceOutput, error) {
	tags, err := h.s.Tags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	wire := make([]Tag, 0, len(tags))
	for _, t := range tags {
		wire = append(wire, Tag{Key: t.Key, Value: t.Value})
	}
	items, next, err := page(h.key, wire, in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	return &ListTagsForResourceOutput{Tags: items, NextToken: next}, nil
}
