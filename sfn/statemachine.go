package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"stepline"
	"stepline/store"
)

// Record kinds this package keeps in the store. Data is the JSON encoding of the
// matching domain struct.
const (
	kindStateMachine = "statemachine" // Key: unqualified ARN; Parent: scope; Sort: name
	kindVersion      = "smversion"    // Key: version ARN; Parent: state machine ARN; Sort: zero-padded number
	kindAlias        = "smalias"      // Key: alias ARN; Parent: state machine ARN; Sort: name
	kindActivity     = "activity"     // Key: activity ARN; Parent: scope; Sort: name
)

// State machine types and statuses, as AWS spells them.
const (
	TypeStandard   = "STANDARD"
	TypeExpress    = "EXPRESS"
	StatusActive   = "ACTIVE"
	StatusDeleting = "DELETING"
)

// LogLevelOff is the logging level AWS reports when none was configured.
const LogLevelOff = "OFF"

// LoggingConfiguration is where a state machine's execution logs would go. stepline
// stores and echoes it; it sends no logs to CloudWatch.
type LoggingConfiguration struct {
	Level                string   // ALL, ERROR, FATAL or OFF
	IncludeExecutionData bool     //
	Destinations         []string // CloudWatch Logs log group ARNs (at most one)
}

// TracingConfiguration is the X-Ray setting, stored and echoed.
type TracingConfiguration struct {
	Enabled bool
}

// EncryptionConfiguration is the KMS setting, stored and echoed; data is not encrypted
// with it.
type EncryptionConfiguration struct {
	Type                         string // AWS_OWNED_KEY or CUSTOMER_MANAGED_KMS_KEY
	KMSKeyID                     string
	KMSDataKeyReusePeriodSeconds int64 // 0: not set
}

// Tag is one resource tag.
type Tag struct {
	Key   string
	Value string
}

// StateMachine is a state machine as stored, and as described: for a version, ARN is
// the version ARN and Description its description.
type StateMachine struct {
	ARN          string
	Name         string
	Status       string // ACTIVE or DELETING
	Type         string // STANDARD or EXPRESS; immutable
	Definition   string // verbatim as given: AWS compares and returns it byte for byte
	RoleARN      string
	Logging      LoggingConfiguration
	Tracing      TracingConfiguration
	Encryption   *EncryptionConfiguration // nil: not configured
	RevisionID   string                   // empty until the first update (AWS's INITIAL revision)
	Description  string                   // versions only
	Label        string                   // set when described through a Distributed Map ARN
	CreationDate time.Time
	UpdateDate   time.Time // last UpdateStateMachine; zero before
	Tags         []Tag

	// NextVersion is the number the next published version gets; numbers are never
	// reused, even after a version is deleted.
	NextVersion int64
	// CreatePublish and CreateVersionDescription are what CreateStateMachine was called
	// with, part of its idempotency key.
	CreatePublish            bool
	CreateVersionDescription string
	CreateVersionARN         string
}

// revisionKey is the revision as PublishStateMachineVersion's revisionId guard names it.
func (sm *StateMachine) revisionKey() string {
	if sm.RevisionID == "" {
		return revisionInitial
	}
	return sm.RevisionID
}

// revisionInitial is the revisionId of a state machine never updated.
const revisionInitial = "INITIAL"

func stateMachineDoesNotExist(arn string) *stepline.Error {
	return stepline.Errorf("StateMachineDoesNotExist", "State Machine Does Not Exist: '%s'", arn)
}

func stateMachineDeleting(arn string) *stepline.Error {
	return stepline.Errorf("StateMachineDeleting", "State Machine is being deleted: '%s'", arn)
}

// getDoc loads a record and decodes its Data into T.
func getDoc[T any](ctx context.Context, st store.Store, kind, key string) (T, store.Record, error) {
	var doc T
	rec, err := st.RecordGet(ctx, kind, key)
	if err != nil {
		return doc, rec, err
	}
	if err := json.Unmarshal(rec.Data, &doc); err != nil {
		return doc, rec, fmt.Errorf("decode %s %s: %w", kind, key, err)
	}
	return doc, rec, nil
}

// putDoc writes doc as rec's Data (rec.Version 0 creates; n replaces version n).
func putDoc(ctx context.Context, st store.Store, rec store.Record, doc any) (store.Record, error) {
	b, err := json.Marshal(doc)
	if err != nil {
		return rec, fmt.Errorf("encode %s %s: %w", rec.Kind, rec.Key, err)
	}
	rec.Data = b
	return st.RecordPut(ctx, rec)
}

// loadStateMachine loads an unqualified state machine, mapping not found to AWS's error.
func (s *Service) loadStateMachine(ctx context.Context, arn string) (StateMachine, store.Record, error) {
	sm, rec, err := getDoc[StateMachine](ctx, s.store, kindStateMachine, arn)
	if errors.Is(err, store.ErrNotFound) {
		return sm, rec, stateMachineDoesNotExist(arn)
	}
	if err != nil {
		return sm, rec, fmt.Errorf("load state machine: %w", err)
	}
	return sm, rec, nil
}

// updateStateMachine applies fn to the stored state machine and writes it back,
// retrying when a concurrent writer got there first.
func (s *Service) updateStateMachine(ctx context.Context, arn string, fn func(sm *StateMachine) error) (StateMachine, error) {
	defer s.resolveChanged()
	for attempt := 0; ; attempt++ {
		sm, rec, err := s.loadStateMachine(ctx, arn)
		if err != nil {
			return sm, err
		}
		if err := fn(&sm); err != nil {
			return sm, err
		}
		_, err = putDoc(ctx, s.store, rec, sm)
		if errors.Is(err, store.ErrConflict) && attempt < conflictRetries {
			continue
		}
		if errors.Is(err, store.ErrNotFound) {
			return sm, stateMachineDoesNotExist(arn)
		}
		if err != nil {
			return sm, fmt.Errorf("update state machine: %w", err)
		}
		return sm, nil
	}
}

// conflictRetries bounds read-modify-write retries under contention; each retry means
// another writer succeeded, so the loop always makes progress overall.
const conflictRetries = 20
