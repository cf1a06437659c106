package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"stepline"
	"stepline/store"
)

// MaxTags is CodePipeline's limit of tags per resource.
const MaxTags = 50

// Tags returns a pipeline's or a webhook's tags by ARN.
func (s *Service) Tags(ctx context.Context, arn string) ([]Tag, error) {
	if isWebhookARN(arn) {
		return s.webhookTags(ctx, arn)
	}
	doc, _, err := s.taggable(ctx, arn)
	return doc.Tags, err
}

// TagResource adds or replaces tags on a pipeline or a webhook.
func (s *Service) TagResource(ctx context.Context, arn string, tags []Tag) error {
	for _, t := range tags {
		if strings.HasPrefix(t.Key, "aws:") {
			return stepline.Errorf("InvalidTagsException", "Not allowed to modify system tags. System tags start with 'aws:'. msg=[Caller is an end user and not allowed to mutate system tags]")
		}
	}
	return s.updateTags(ctx, arn, func(cur []Tag) ([]Tag, error) {
		for _, t := range tags {
			replaced := false
			for i := range cur {
				if cur[i].Key == t.Key {
					cur[i].Value, replaced = t.Value, true
				}
			}
			if !replaced {
				cur = append(cur, t)
			}
		}
		if len(cur) > MaxTags {
			return nil, stepline.Errorf("TooManyTagsException", "Tag limit exceeded")
		}
		return cur, nil
	})
}

// UntagResource removes tags from a pipeline or a webhook by key.
func (s *Service) UntagResource(ctx context.Context, arn string, keys []string) error {
	for _, k := range keys {
		if strings.HasPrefix(k, "aws:") {
			return stepline.Errorf("InvalidTagsException", "Not allowed to modify system tags. System tags start with 'aws:'. msg=[Caller is an end user and not allowed to mutate system tags]")
		}
	}
	return s.updateTags(ctx, arn, func(cur []Tag) ([]Tag, error) {
		kept := cur[:0]
		for _, t := range cur {
			drop := false
			for _, k := range keys {
				drop = drop || t.Key == k
			}
			if !drop {
				kept = append(kept, t)
			}
		}
		return kept, nil
	})
}

func (s *Service) updateTags(ctx context.Context, arn string, change func([]Tag) ([]Tag, error)) error {
	if isWebhookARN(arn) {
		return s.updateWebhookTags(ctx, arn, change)
	}
	for {
		doc, rec, err := s.taggable(ctx, arn)
		if err != nil {
			return err
		}
		if doc.Tags, err = change(doc.Tags); err != nil {
			return err
		}
		rec.Data, _ = json.Marshal(doc)
		_, err = s.store.RecordPut(ctx, rec)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("update tags: %w", err)
		}
		return nil
	}
}

// taggable loads the pipeline an ARN names; other ARNs are InvalidArnException, and a
// well-formed ARN naming no pipeline ResourceNotFoundException.
func (s *Service) taggable(ctx context.Context, arn string) (pipelineDoc, store.Record, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "codepipeline" || parts[5] == "" {
		return pipelineDoc{}, store.Record{}, stepline.Errorf("InvalidArnException", "The ARN was not in a valid format: %s", arn)
	}
	doc, rec, err := s.loadDoc(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return doc, rec, stepline.Errorf("ResourceNotFoundException", "The resource with the ARN %s was not found", arn)
	}
	return doc, rec, err
}
