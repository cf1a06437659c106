package sfn

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"stepline"
	"stepline/store"
)

// versionsMax is AWS's quota of versions per state machine.
const versionsMax = 1000

// StateMachineVersion is an immutable snapshot of a state machine's revision. Its
// embedded StateMachine carries the version ARN, the snapshot's configuration and the
// version's description and creation date.
type StateMachineVersion struct {
	StateMachine
	StateMachineARN string // the unqualified ARN it was published from
	Number          int64
}

func versionSort(n int64) string { return fmt.Sprintf("%010d", n) }

// VersionPublish publishes the state machine's current revision as a new version, or
// returns the version that already holds it: AWS's idempotency key is the revision
// (API_PublishStateMachineVersion). With revisionID set it must name the current
// revision ("INITIAL" before the first update), else ConflictException.
func (s *Service) VersionPublish(ctx context.Context, arn, revisionID, description string) (StateMachineVersion, error) {
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return StateMachineVersion{}, err
	}
	if a.Qualifier != "" || a.Label != "" {
		return StateMachineVersion{}, invalidARN("Invalid ARN format: " + arn)
	}
	return s.publish(ctx, arn, revisionID, description)
}

func (s *Service) publish(ctx context.Context, arn, revisionID, description string) (StateMachineVersion, error) {
	defer s.resolveChanged()
	for attempt := 0; ; attempt++ {
		sm, rec, err := s.loadStateMachine(ctx, arn)
		if err != nil {
			return StateMachineVersion{}, err
		}
		if sm.Status == StatusDeleting {
			return StateMachineVersion{}, stateMachineDeleting(arn)
		}
		if revisionID != "" && revisionID != sm.revisionKey() {
			return StateMachineVersion{}, stepline.Errorf("ConflictException",
				"Failed to publish the State Machine version for revision %s. The current State Machine revision is %s.",
				revisionID, sm.revisionKey())
		}
		versions, err := s.versionsOf(ctx, arn)
		if err != nil {
			return StateMachineVersion{}, err
		}
		for _, v := range versions {
			if v.revisionKey() == sm.revisionKey() {
				return v, nil
			}
		}
		if len(versions) >= versionsMax {
			return StateMachineVersion{}, stepline.Errorf("ServiceQuotaExceededException",
				"Maximum number of versions (%d) reached for state machine '%s'", versionsMax, arn)
		}
		// Take the number first: the state machine's record version guards it, so two
		// publishers never get the same number, and a crash after this only skips one.
		n := sm.NextVersion
		if n < 1 {
			n = 1
		}
		sm.NextVersion = n + 1
		if _, err := putDoc(ctx, s.store, rec, sm); errors.Is(err, store.ErrConflict) && attempt < conflictRetries {
			continue
		} else if errors.Is(err, store.ErrNotFound) {
			return StateMachineVersion{}, stateMachineDoesNotExist(arn)
		} else if err != nil {
			return StateMachineVersion{}, fmt.Errorf("number version: %w", err)
		}
		v := StateMachineVersion{StateMachine: sm, StateMachineARN: arn, Number: n}
		v.ARN = arn + ":" + strconv.FormatInt(n, 10)
		v.Description = description
		v.CreationDate = s.now()
		v.Status = StatusActive
		v.Tags, v.CreatePublish, v.CreateVersionDescription, v.CreateVersionARN, v.NextVersion = nil, false, "", "", 0
		if _, err := putDoc(ctx, s.store, store.Record{Kind: kindVersion, Key: v.ARN, Parent: arn, Sort: versionSort(n)}, v); err != nil {
			return StateMachineVersion{}, fmt.Errorf("create version: %w", err)
		}
		return v, nil
	}
}

// versionsOf returns every version of a state machine, newest first.
func (s *Service) versionsOf(ctx context.Context, arn string) ([]StateMachineVersion, error) {
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindVersion, Parent: arn, Descending: true})
	if err != nil {
		return nil, fmt.Errorf("list versions: %w", err)
	}
	return decodeAll[StateMachineVersion](recs)
}

// VersionList lists a state machine's versions, newest first, as AWS orders them
// (API_ListStateMachineVersions).
func (s *Service) VersionList(ctx context.Context, arn string, pg Page) ([]StateMachineVersion, string, error) {
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return nil, "", err
	}
	if a.Qualifier != "" || a.Label != "" {
		return nil, "", invalidARN("Invalid ARN format: " + arn)
	}
	// AWS's ListStateMachineVersions has no StateMachineDoesNotExist error: a state
	// machine that does not exist simply has no versions.
	recs, next, err := s.listPage(ctx, store.RecordListParams{Kind: kindVersion, Parent: arn, Descending: true}, pg)
	if err != nil {
		return nil, "", err
	}
	vs, err := decodeAll[StateMachineVersion](recs)
	return vs, next, err
}

// VersionDelete deletes a version unless an alias routes to it. Executions started
// from it keep running. Deleting a version that does not exist succeeds, as on AWS.
func (s *Service) VersionDelete(ctx context.Context, arn string) error {
	defer s.resolveChanged()
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return err
	}
	if !a.IsVersion() || a.Label != "" {
		return invalidARN("Invalid ARN format: " + arn)
	}
	aliases, err := s.aliasesOf(ctx, a.Base())
	if err != nil {
		return err
	}
	var using []string
	for _, al := range aliases {
		for _, r := range al.Routing {
			if r.VersionARN == arn {
				using = append(using, al.Name)
				break
			}
		}
	}
	if len(using) > 0 {
		return stepline.Errorf("ConflictException",
			"Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [%s]",
			strings.Join(using, ", "))
	}
	err = s.store.RecordDelete(ctx, kindVersion, arn, 0)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete version: %w", err)
	}
	return nil
}
