package pipelineapi

import (
	"context"

	"stepline/pipeline"
)

func (h *handlers) createPipeline(ctx context.Context, in *CreatePipelineInput) (*CreatePipelineOutput, error) {
	p, err := toPlan(&in.Pipeline)
	if err != nil {
		return nil, err
	}
	tags := make([]pipeline.Tag, 0, len(in.Tags))
	for _, t := range in.Tags {
		tags = append(tags, pipeline.Tag{Key: t.Key, Value: t.Value})
	}
	out, err := h.s.CreatePipeline(ctx, p, tags)
	if err != nil {
		return nil, err
	}
	d, err := toWire(out)
	if err != nil {
		return nil, err
	}
	return &CreatePipelineOutput{Pipeline: d, Tags: in.Tags}, nil
}

func (h *handlers) getPipeline(ctx context.Context, in *GetPipelineInput) (*GetPipelineOutput, error) {
	v := 0
	if in.Version != nil {
		v = int(*in.Version)
	}
	p, meta, err := h.s.GetPipeline(ctx, in.Name, v)
	if err != nil {
		return nil, err
	}
	d, err := toWire(p)
	if err != nil {
		return nil, err
	}
	return &GetPipelineOutput{Pipeline: d, Metadata: &PipelineMetadata{
		PipelineArn: str(meta.PipelineARN), Created: tm(meta.Created), Updated: tm(meta.Updated),
	}}, nil
}

func (h *handlers) updatePipeline(ctx context.Context, in *UpdatePipelineInput) (*UpdatePipelineOutput, error) {
	p, err := toPlan(&in.Pipeline)
	if err != nil {
		return nil, err
	}
	out, err := h.s.UpdatePipeline(ctx, p)
	if err != nil {
		return nil, err
	}
	d, err := toWire(out)
	if err != nil {
		return nil, err
	}
	return &UpdatePipelineOutput{Pipeline: d}, nil
}

func (h *handlers) deletePipeline(ctx context.Context, in *DeletePipelineInput) (*empty, error) {
	return nil, h.s.DeletePipeline(ctx, in.Name)
}

func (h *handlers) listPipelines(ctx context.Context, in *ListPipelinesInput) (*ListPipelinesOutput, error) {
	all, _, err := h.s.ListPipelines(ctx, "", 0)
	if err != nil {
		return nil, err
	}
	items, next, err := page(h.key, all, in.NextToken, in.MaxResults, 1000)
	if err != nil {
		return nil, err
	}
	out := &ListPipelinesOutput{NextToken: next, Pipelines: []PipelineSummary{}}
	for _, s := range items {
		out.Pipelines = append(out.Pipelines, PipelineSummary{
			Name: str(s.Name), Version: i32(s.Version), PipelineType: str(s.PipelineType),
			ExecutionMode: str(s.ExecutionMode), Created: tm(s.Created), Updated: tm(s.Updated),
		})
	}
	return out, nil
}
