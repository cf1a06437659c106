package codecommitapi

import (
	"context"

	"stepline/api/awsjson"
)

// Inputs without the generated Validate (see service.go).
type (
	tagResourceIn         TagResourceInput
	untagResourceIn       UntagResourceInput
	listTagsForResourceIn ListTagsForResourceInput
)

// registerTag serves repository tags, which infrastructure tools (Terraform's
// aws_codecommit_repository among them) read back after creating a repository.
func (a *api) registerTag(s *awsjson.Service) {
	awsjson.Handle(s, "TagResource", a.tagResource)
	awsjson.Handle(s, "UntagResource", a.untagResource)
	awsjson.Handle(s, "ListTagsForResource", a.listTagsForResource)
}

func (a *api) tagResource(ctx context.Context, in *tagResourceIn) (*struct{}, error) {
	return nil, a.svc.TagRepository(ctx, in.ResourceArn, in.Tags)
}

func (a *api) untagResource(ctx context.Context, in *untagResourceIn) (*struct{}, error) {
	return nil, a.svc.UntagRepository(ctx, in.ResourceArn, in.TagKeys)
}

func (a *api) listTagsForResource(ctx context.Context, in *listTagsForResourceIn) (*ListTagsForResourceOutput, error) {
	tags, err := a.svc.RepositoryTags(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	// At most 50 tags: one page always holds them all.
	return &ListTagsForResourceOutput{Tags: tags}, nil
}
