package sfn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"stepline"
	"stepline/store"
)

// Activity is a task that remote workers perform: they poll it with GetActivityTask
// and answer with the task token.
type Activity struct {
	ARN          string
	Name         string
	CreationDate time.Time
	Encryption   *EncryptionConfiguration
	Tags         []Tag
}

func activityDoesNotExist(arn string) *stepline.Error {
	return stepline.Errorf("ActivityDoesNotExist", "Activity Does Not Exist: '%s'", arn)
}

// ActivityCreate creates an activity, or returns the existing one of that name: AWS's
// CreateActivity is idempotent on the name and ignores different tags. A different
// encryption configuration is ActivityAlreadyExists.
func (s *Service) ActivityCreate(ctx context.Context, name string, tags []Tag, enc *EncryptionConfiguration) (Activity, error) {
	if err := checkName(name); err != nil {
		return Activity{}, err
	}
	if err := checkEncryption(enc); err != nil {
		return Activity{}, err
	}
	id := s.identity(ctx)
	arn := activityARN(id, name)
	if err := checkTags(tags, arn); err != nil {
		return Activity{}, err
	}
	for attempt := 0; ; attempt++ {
		old, _, err := getDoc[Activity](ctx, s.store, kindActivity, arn)
		if err == nil {
			if !encryptionEqual(old.Encryption, enc) {
				return Activity{}, stepline.Errorf("ActivityAlreadyExists", "Activity Already Exists: '%s'", arn)
			}
			return old, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return Activity{}, fmt.Errorf("load activity: %w", err)
		}
		act := Activity{ARN: arn, Name: name, CreationDate: s.now(), Encryption: enc, Tags: dedupeTags(tags)}
		_, err = putDoc(ctx, s.store, store.Record{Kind: kindActivity, Key: arn, Parent: scope(id), Sort: name}, act)
		if errors.Is(err, store.ErrExists) && attempt < conflictRetries {
			continue
		}
		if err != nil {
			return Activity{}, fmt.Errorf("create activity: %w", err)
		}
		return act, nil
	}
}

// ActivityGet describes an activity.
func (s *Service) ActivityGet(ctx context.Context, arn string) (Activity, error) {
	if _, err := parseARNOf(arn, arnTypeActivity); err != nil {
		return Activity{}, err
	}
	act, _, err := getDoc[Activity](ctx, s.store, kindActivity, arn)
	if errors.Is(err, store.ErrNotFound) {
		return Activity{}, activityDoesNotExist(arn)
	}
	if err != nil {
		return Activity{}, fmt.Errorf("load activity: %w", err)
	}
	return act, nil
}

// ActivityDelete deletes an activity. Tasks already scheduled for it stay until they
// time out, as on AWS. Deleting an activity that does not exist succeeds.
func (s *Service) ActivityDelete(ctx context.Context, arn string) error {
	if _, err := parseARNOf(arn, arnTypeActivity); err != nil {
		return err
	}
	err := s.store.RecordDelete(ctx, kindActivity, arn, 0)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete activity: %w", err)
	}
	return nil
}

// ActivityList lists the caller's activities by name.
func (s *Service) ActivityList(ctx context.Context, pg Page) ([]Activity, string, error) {
	recs, next, err := s.listPage(ctx, store.RecordListParams{Kind: kindActivity, Parent: scope(s.identity(ctx))}, pg)
	if err != nil {
		return nil, "", err
	}
	acts, err := decodeAll[Activity](recs)
	return acts, next, err
}
