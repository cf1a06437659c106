package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"stepline"
	"stepline/store"
)

// Tag limits from AWS's model and tagging guide
// (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#concepts-tagging).
const (
	tagsMax        = 50
	tagKeyMaxLen   = 128
	tagValueMaxLen = 256
)

// checkTags applies AWS's limits to each tag given, and to how many a new resource
// would carry (a key given twice counts once).
func checkTags(tags []Tag, resourceARN string) error {
	for i, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > tagKeyMaxLen {
			return validationf("1 validation error detected: Value '%s' at 'tags.%d.member.key' failed to satisfy "+
				"constraint: Member must have length between 1 and 128", t.Key, i+1)
		}
		if utf8.RuneCountInString(t.Value) > tagValueMaxLen {
			return validationf("1 validation error detected: Value '%s' at 'tags.%d.member.value' failed to satisfy "+
				"constraint: Member must have length less than or equal to 256", t.Value, i+1)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return validationf("Tag keys prefixed with 'aws:' are reserved for AWS use: '%s'", t.Key)
		}
	}
	if len(tags) > tagsMax && len(dedupeTags(tags)) > tagsMax {
		return tooManyTags(resourceARN)
	}
	return nil
}

// tooManyTags is AWS's TooManyTags, which names the resource.
func tooManyTags(resourceARN string) *stepline.Error {
	return &stepline.Error{Code: "TooManyTags",
		Message: fmt.Sprintf("Too many tags: a resource can have at most %d tags", tagsMax),
		Fields:  map[string]any{"resourceName": resourceARN}}
}

// dedupeTags keeps one tag per key: the last value given, at the key's first position.
func dedupeTags(tags []Tag) []Tag {
	var out []Tag
	for _, t := range tags {
		out = mergeTag(out, t)
	}
	return out
}

func mergeTag(tags []Tag, t Tag) []Tag {
	for i := range tags {
		if tags[i].Key == t.Key {
			tags[i].Value = t.Value
			return tags
		}
	}
	return append(tags, t)
}

// taggable resolves a resource ARN to its record kind: unqualified state machines and
// activities carry tags.
func taggable(arn string) (string, error) {
	a, err := ParseARN(arn)
	if err != nil {
		return "", err
	}
	switch {
	case a.Type == arnTypeStateMachine && a.Qualifier == "" && a.Label == "":
		return kindStateMachine, nil
	case a.Type == arnTypeActivity && a.Qualifier == "":
		return kindActivity, nil
	case a.Type == arnTypeStateMachine:
		return "", invalidARN("Invalid ARN format: " + arn)
	}
	return "", invalidARN("Resource type not valid in this context: " + strings.ToLower(a.Type))
}

func tagResourceNotFound(arn string) *stepline.Error {
	return &stepline.Error{Code: "ResourceNotFound", Message: fmt.Sprintf("Resource not found: '%s'", arn),
		Fields: map[string]any{"resourceName": arn}}
}

// taggedDoc is the part of a state machine or activity document that holds tags; the
// rest of the document is carried through untouched.
type taggedDoc struct {
	Tags []Tag
}

// editTags applies fn to a resource's tags and writes them back.
func (s *Service) editTags(ctx context.Context, arn string, fn func([]Tag) ([]Tag, error)) ([]Tag, error) {
	kind, err := taggable(arn)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		rec, err := s.store.RecordGet(ctx, kind, arn)
		if errors.Is(err, store.ErrNotFound) {
			return nil, tagResourceNotFound(arn)
		}
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", kind, err)
		}
		// The rest of the document is carried through untouched: only Tags is replaced.
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(rec.Data, &doc); err != nil {
			return nil, fmt.Errorf("decode %s: %w", kind, err)
		}
		var cur []Tag
		if raw, ok := doc["Tags"]; ok {
			if err := json.Unmarshal(raw, &cur); err != nil {
				return nil, fmt.Errorf("decode %s tags: %w", kind, err)
			}
		}
		tags, err := fn(cur)
		if err != nil {
			return nil, err
		}
		b, err := json.Marshal(tags)
		if err != nil {
			return nil, fmt.Errorf("encode tags: %w", err)
		}
		doc["Tags"] = b
		_, err = putDoc(ctx, s.store, rec, doc)
		if errors.Is(err, store.ErrConflict) && attempt < conflictRetries {
			continue
		}
		if errors.Is(err, store.ErrNotFound) {
			return nil, tagResourceNotFound(arn)
		}
		if err != nil {
			return nil, fmt.Errorf("tag %s: %w", kind, err)
		}
		return tags, nil
	}
}

// TagsAdd adds or overwrites tags on a state machine or activity.
func (s *Service) TagsAdd(ctx context.Context, arn string, tags []Tag) error {
	_, err := s.editTags(ctx, arn, func(cur []Tag) ([]Tag, error) {
		merged := append([]Tag(nil), cur...)
		for _, t := range tags {
			merged = mergeTag(merged, t)
		}
		if err := checkTags(tags, arn); err != nil {
			return nil, err
		}
		if len(merged) > tagsMax {
			return nil, tooManyTags(arn)
		}
		return merged, nil
	})
	return err
}

// TagsRemove removes tags by key; keys that are not set are ignored.
func (s *Service) TagsRemove(ctx context.Context, arn string, keys []string) error {
	_, err := s.editTags(ctx, arn, func(cur []Tag) ([]Tag, error) {
		out := []Tag{}
		for _, t := range cur {
			drop := false
			for _, k := range keys {
				if t.Key == k {
					drop = true
					break
				}
			}
			if !drop {
				out = append(out, t)
			}
		}
		return out, nil
	})
	return err
}

// TagsList returns a resource's tags in the order they were first set.
func (s *Service) TagsList(ctx context.Context, arn string) ([]Tag, error) {
	kind, err := taggable(arn)
	if err != nil {
		return nil, err
	}
	td, _, err := getDoc[taggedDoc](ctx, s.store, kind, arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil, tagResourceNotFound(arn)
	}
	if err != nil {
		return nil, err
	}
	if td.Tags == nil {
		td.Tags = []Tag{}
	}
	return td.Tags, nil
}
