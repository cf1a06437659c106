package sfn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"stepline"
	"stepline/store"
)

// StateMachineGet describes an unqualified or version state machine ARN, or a
// Distributed Map ARN with a label (described as its parent, with Label set).
func (s *Service) StateMachineGet(ctx context.Context, arn string) (StateMachine, error) {
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return StateMachine{}, err
	}
	switch {
	case a.IsAlias():
		return StateMachine{}, invalidARN("Invalid ARN format: " + arn)
	case a.IsVersion():
		v, _, err := getDoc[StateMachineVersion](ctx, s.store, kindVersion, arn)
		if errors.Is(err, store.ErrNotFound) {
			return StateMachine{}, stateMachineDoesNotExist(arn)
		}
		if err != nil {
			return StateMachine{}, fmt.Errorf("load version: %w", err)
		}
		return v.StateMachine, nil
	}
	sm, _, err := s.loadStateMachine(ctx, a.Base())
	if err != nil {
		if isNotExist(err) {
			return StateMachine{}, stateMachineDoesNotExist(arn)
		}
		return StateMachine{}, err
	}
	if a.Label != "" {
		sm.ARN, sm.Label = arn, a.Label
	}
	return sm, nil
}

// StateMachineUpdateParams is what UpdateStateMachine accepts; nil fields are left as
// they are.
type StateMachineUpdateParams struct {
	ARN                string
	Definition         *string
	RoleARN            *string
	Logging            *LoggingConfiguration
	Tracing            *TracingConfiguration
	Encryption         *EncryptionConfiguration
	Publish            bool
	VersionDescription string
}

// StateMachineUpdateResult is UpdateStateMachine's answer.
type StateMachineUpdateResult struct {
	UpdateDate time.Time
	RevisionID string
	VersionARN string // set when Publish was true
}

// StateMachineUpdate changes a state machine. A change that alters anything makes a
// new revision; running executions keep the definition they started with.
func (s *Service) StateMachineUpdate(ctx context.Context, p StateMachineUpdateParams) (StateMachineUpdateResult, error) {
	a, err := parseStateMachineARN(p.ARN)
	if err != nil {
		return StateMachineUpdateResult{}, err
	}
	if a.Qualifier != "" || a.Label != "" {
		return StateMachineUpdateResult{}, invalidARN("Invalid ARN format: " + p.ARN)
	}
	if p.Definition == nil && p.RoleARN == nil && p.Logging == nil && p.Tracing == nil && p.Encryption == nil {
		return StateMachineUpdateResult{}, stepline.Errorf("MissingRequiredParameter",
			"Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified")
	}
	if !p.Publish && p.VersionDescription != "" {
		return StateMachineUpdateResult{}, validationf("Version description can only be set when publish is true")
	}
	if p.RoleARN != nil {
		if err := checkRoleARN(*p.RoleARN); err != nil {
			return StateMachineUpdateResult{}, err
		}
	}
	var logging LoggingConfiguration
	if p.Logging != nil {
		if logging, err = normalizeLogging(p.Logging); err != nil {
			return StateMachineUpdateResult{}, err
		}
	}
	if err := checkEncryption(p.Encryption); err != nil {
		return StateMachineUpdateResult{}, err
	}
	now := s.now()
	sm, err := s.updateStateMachine(ctx, p.ARN, func(sm *StateMachine) error {
		if sm.Status == StatusDeleting {
			return stateMachineDeleting(p.ARN)
		}
		changed := false
		if p.Definition != nil && *p.Definition != sm.Definition {
			m, err := s.checkDefinition(*p.Definition, sm.Type)
			if err != nil {
				return err
			}
			s.machines.add(sm.ARN, *p.Definition, m)
			sm.Definition, changed = *p.Definition, true
		}
		if p.RoleARN != nil && *p.RoleARN != sm.RoleARN {
			sm.RoleARN, changed = *p.RoleARN, true
		}
		if p.Logging != nil && !loggingEqual(logging, sm.Logging) {
			sm.Logging, changed = logging, true
		}
		if p.Tracing != nil && *p.Tracing != sm.Tracing {
			sm.Tracing, changed = *p.Tracing, true
		}
		if p.Encryption != nil && !encryptionEqual(p.Encryption, sm.Encryption) {
			e := *p.Encryption
			sm.Encryption, changed = &e, true
		}
		if changed {
			sm.RevisionID = uuid.NewString()
			sm.UpdateDate = now
		}
		return nil
	})
	if err != nil {
		return StateMachineUpdateResult{}, err
	}
	res := StateMachineUpdateResult{UpdateDate: now, RevisionID: sm.RevisionID}
	if p.Publish {
		v, err := s.publish(ctx, p.ARN, "", p.VersionDescription)
		if err != nil {
			return res, err
		}
		res.VersionARN = v.ARN
	}
	return res, nil
}

// StateMachineDelete starts deleting a state machine: it is marked DELETING at once,
// its versions and aliases are deleted, and the record itself goes when no execution
// of it is open. Running executions stop at their next transition (the executor
// checks the status). Deleting what does not exist succeeds, as on AWS.
func (s *Service) StateMachineDelete(ctx context.Context, arn string) error {
	defer s.resolveChanged()
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return err
	}
	if a.Label != "" {
		return validationf("Invalid Arn: '%s'", arn)
	}
	if a.Qualifier != "" {
		return invalidARN("Invalid ARN format: " + arn)
	}
	_, err = s.updateStateMachine(ctx, arn, func(sm *StateMachine) error {
		sm.Status = StatusDeleting
		return nil
	})
	if isNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, kind := range []string{kindAlias, kindVersion} {
		recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kind, Parent: arn})
		if err != nil {
			return fmt.Errorf("list %s: %w", kind, err)
		}
		for _, r := range recs {
			if err := s.store.RecordDelete(ctx, kind, r.Key, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("delete %s: %w", kind, err)
			}
		}
	}
	return s.finishStateMachineDeletion(ctx, arn)
}

// finishStateMachineDeletion removes a DELETING state machine's record once no
// execution of it is open. The executor calls it after closing an execution whose
// state machine is DELETING; it does nothing while executions remain.
func (s *Service) finishStateMachineDeletion(ctx context.Context, arn string) error {
	defer s.resolveChanged()
	open, err := s.store.ExecutionList(ctx, store.ExecutionListParams{StateMachineARN: arn, Open: true, Limit: 1})
	if err != nil {
		return fmt.Errorf("list open executions: %w", err)
	}
	if len(open) > 0 {
		return nil
	}
	_, rec, err := getDoc[StateMachine](ctx, s.store, kindStateMachine, arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load state machine: %w", err)
	}
	err = s.store.RecordDelete(ctx, kindStateMachine, arn, rec.Version)
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("delete state machine: %w", err)
	}
	return nil
}

// StateMachineList lists the caller's state machines by name.
func (s *Service) StateMachineList(ctx context.Context, pg Page) ([]StateMachine, string, error) {
	recs, next, err := s.listPage(ctx, store.RecordListParams{Kind: kindStateMachine, Parent: scope(s.identity(ctx))}, pg)
	if err != nil {
		return nil, "", err
	}
	sms, err := decodeAll[StateMachine](recs)
	return sms, next, err
}
