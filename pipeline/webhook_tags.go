package pipeline

import (
	"context"
	"errors"
	"strings"

	"stepline"
	"stepline/store"
)

// isWebhookARN reports whether arn names a webhook
// (arn:aws:codepipeline:<region>:<account>:webhook:<name>), which TagResource,
// UntagResource and ListTagsForResource accept as well as pipelines.
func isWebhookARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "codepipeline" && strings.HasPrefix(parts[5], "webhook:")
}

// webhookTags returns a webhook's tags by ARN.
func (s *Service) webhookTags(ctx context.Context, arn string) ([]Tag, error) {
	w, err := s.loadWebhook(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil, resourceNotFound(arn)
	}
	return w.Tags, err
}

// updateWebhookTags changes a webhook's tags with change, as updateTags does a
// pipeline's.
func (s *Service) updateWebhookTags(ctx context.Context, arn string, change func([]Tag) ([]Tag, error)) error {
	var failed error
	_, err := s.updateWebhook(ctx, arn, func(w *Webhook) {
		tags, err := change(append([]Tag(nil), w.Tags...))
		if err != nil {
			failed = err
			return
		}
		w.Tags = tags
	})
	if errors.Is(err, store.ErrNotFound) {
		return resourceNotFound(arn)
	}
	if err != nil {
		return err
	}
	return failed
}

func resourceNotFound(arn string) *stepline.Error {
	return stepline.Errorf("ResourceNotFoundException", "The resource with the ARN %s was not found", arn)
}
