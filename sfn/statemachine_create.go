package sfn

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"stepline"
	"stepline/store"
)

// StateMachineCreateParams is what CreateStateMachine accepts. Nil configurations take
// AWS's defaults.
type StateMachineCreateParams struct {
	Name               string
	Definition         string
	RoleARN            string
	Type               string // "" means STANDARD
	Logging            *LoggingConfiguration
	Tracing            *TracingConfiguration
	Encryption         *EncryptionConfiguration
	Tags               []Tag
	Publish            bool
	VersionDescription string
}

// StateMachineCreateResult is CreateStateMachine's answer.
type StateMachineCreateResult struct {
	ARN          string
	CreationDate time.Time
	VersionARN   string // set when Publish was true
}

// StateMachineCreate creates a state machine, or returns the existing one when the
// call repeats an earlier one. AWS's idempotency rule (API_CreateStateMachine): the
// name, definition (byte for byte), type, logging, tracing and encryption
// configurations, publish and versionDescription must all match; roleArn and tags are
// ignored. Any other difference is StateMachineAlreadyExists.
func (s *Service) StateMachineCreate(ctx context.Context, p StateMachineCreateParams) (StateMachineCreateResult, error) {
	defer s.resolveChanged()
	if !p.Publish && p.VersionDescription != "" {
		return StateMachineCreateResult{}, validationf("Version description can only be set when publish is true")
	}
	if err := checkName(p.Name); err != nil {
		return StateMachineCreateResult{}, err
	}
	if p.Type == "" {
		p.Type = TypeStandard
	}
	if p.Type != TypeStandard && p.Type != TypeExpress {
		return StateMachineCreateResult{}, validationf("1 validation error detected: Value '%s' at 'type' failed to "+
			"satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", p.Type)
	}
	if err := checkRoleARN(p.RoleARN); err != nil {
		return StateMachineCreateResult{}, err
	}
	logging, err := normalizeLogging(p.Logging)
	if err != nil {
		return StateMachineCreateResult{}, err
	}
	if err := checkEncryption(p.Encryption); err != nil {
		return StateMachineCreateResult{}, err
	}
	id := s.identity(ctx)
	arn := stateMachineARN(id, p.Name)
	if err := checkTags(p.Tags, arn); err != nil {
		return StateMachineCreateResult{}, err
	}
	if res, done, err := s.createIdempotent(ctx, arn, p, logging); done || err != nil {
		return res, err
	}
	m, err := s.checkDefinition(p.Definition, p.Type)
	if err != nil {
		return StateMachineCreateResult{}, err
	}
	now := s.now()
	sm := StateMachine{
		ARN: arn, Name: p.Name, Status: StatusActive, Type: p.Type, Definition: p.Definition,
		RoleARN: p.RoleARN, Logging: logging, Tracing: derefTracing(p.Tracing), Encryption: p.Encryption,
		CreationDate: now, Tags: dedupeTags(p.Tags), NextVersion: 1,
		CreatePublish: p.Publish, CreateVersionDescription: p.VersionDescription,
	}
	_, err = putDoc(ctx, s.store, store.Record{Kind: kindStateMachine, Key: arn, Parent: scope(id), Sort: p.Name}, sm)
	if errors.Is(err, store.ErrExists) {
		// A concurrent create won the name: answer as if this call came second.
		if res, done, err := s.createIdempotent(ctx, arn, p, logging); done || err != nil {
			return res, err
		}
		return StateMachineCreateResult{}, stateMachineAlreadyExists(arn)
	}
	if err != nil {
		return StateMachineCreateResult{}, fmt.Errorf("create state machine: %w", err)
	}
	s.machines.add(arn, p.Definition, m)
	res := StateMachineCreateResult{ARN: arn, CreationDate: now}
	if p.Publish {
		v, err := s.publish(ctx, arn, "", p.VersionDescription)
		if err != nil {
			return res, err
		}
		res.VersionARN = v.ARN
		if _, err := s.updateStateMachine(ctx, arn, func(sm *StateMachine) error {
			sm.CreateVersionARN = v.ARN
			return nil
		}); err != nil {
			return res, err
		}
	}
	return res, nil
}

// createIdempotent answers a create whose name is taken: done with the original result
// when the call repeats the original, or StateMachineAlreadyExists.
func (s *Service) createIdempotent(ctx context.Context, arn string, p StateMachineCreateParams, logging LoggingConfiguration) (StateMachineCreateResult, bool, error) {
	sm, _, err := getDoc[StateMachine](ctx, s.store, kindStateMachine, arn)
	if errors.Is(err, store.ErrNotFound) {
		return StateMachineCreateResult{}, false, nil
	}
	if err != nil {
		return StateMachineCreateResult{}, false, fmt.Errorf("load state machine: %w", err)
	}
	if sm.Status == StatusDeleting {
		return StateMachineCreateResult{}, false, stateMachineDeleting(arn)
	}
	same := sm.Definition == p.Definition && sm.Type == p.Type &&
		loggingEqual(sm.Logging, logging) && sm.Tracing == derefTracing(p.Tracing) &&
		encryptionEqual(sm.Encryption, p.Encryption) &&
		sm.CreatePublish == p.Publish && sm.CreateVersionDescription == p.VersionDescription
	if !same {
		return StateMachineCreateResult{}, false, stateMachineAlreadyExists(arn)
	}
	return StateMachineCreateResult{ARN: sm.ARN, CreationDate: sm.CreationDate, VersionARN: sm.CreateVersionARN}, true, nil
}

func stateMachineAlreadyExists(arn string) *stepline.Error {
	return stepline.Errorf("StateMachineAlreadyExists", "State Machine Already Exists: '%s'", arn)
}

// now is the service's clock at the millisecond precision AWS reports.
func (s *Service) now() time.Time { return s.cfg.Clock.Now().UTC().Truncate(time.Millisecond) }

// checkRoleARN accepts any ARN-shaped role: stepline assumes no roles, but AWS rejects
// a roleArn that is not an ARN, and clients rely on that check.
func checkRoleARN(role string) error {
	if !strings.HasPrefix(role, "arn:") || strings.Count(role, ":") < 5 {
		return invalidARN("Invalid ARN prefix: " + role)
	}
	return nil
}

// normalizeLogging fills AWS's defaults (level OFF, includeExecutionData false) and
// applies its rule that a level other than OFF needs exactly one destination.
func normalizeLogging(l *LoggingConfiguration) (LoggingConfiguration, error) {
	if l == nil {
		return LoggingConfiguration{Level: LogLevelOff}, nil
	}
	out := *l
	out.Destinations = slices.Clone(l.Destinations)
	if out.Level == "" {
		out.Level = LogLevelOff
	}
	switch out.Level {
	case "ALL", "ERROR", "FATAL", LogLevelOff:
	default:
		return out, validationf("1 validation error detected: Value '%s' at 'loggingConfiguration.level' failed to "+
			"satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]", out.Level)
	}
	if len(out.Destinations) > 1 || out.Level != LogLevelOff && len(out.Destinations) == 0 {
		return out, stepline.Errorf("InvalidLoggingConfiguration",
			"Invalid Logging Configuration: Must specify exactly one Log Destination.")
	}
	for _, d := range out.Destinations {
		if !strings.HasPrefix(d, "arn:") {
			return out, stepline.Errorf("InvalidLoggingConfiguration",
				"Invalid Logging Configuration: Log Destination not found.")
		}
	}
	return out, nil
}

func loggingEqual(a, b LoggingConfiguration) bool {
	return a.Level == b.Level && a.IncludeExecutionData == b.IncludeExecutionData && slices.Equal(a.Destinations, b.Destinations)
}

func derefTracing(t *TracingConfiguration) TracingConfiguration {
	if t == nil {
		return TracingConfiguration{}
	}
	return *t
}

// checkEncryption applies the rules of API_EncryptionConfiguration: a customer key
// needs its id, AWS's own key takes none, and the reuse period is 60–900 seconds.
func checkEncryption(e *EncryptionConfiguration) error {
	if e == nil {
		return nil
	}
	switch e.Type {
	case "AWS_OWNED_KEY":
		if e.KMSKeyID != "" {
			return stepline.Errorf("ValidationException",
				"KmsKeyId cannot be specified when encryption type is AWS_OWNED_KEY")
		}
	case "CUSTOMER_MANAGED_KMS_KEY":
		if e.KMSKeyID == "" {
			return stepline.Errorf("ValidationException",
				"KmsKeyId must be specified when encryption type is CUSTOMER_MANAGED_KMS_KEY")
		}
	default:
		return validationf("1 validation error detected: Value '%s' at 'encryptionConfiguration.type' failed to "+
			"satisfy constraint: Member must satisfy enum value set: [CUSTOMER_MANAGED_KMS_KEY, AWS_OWNED_KEY]", e.Type)
	}
	if p := e.KMSDataKeyReusePeriodSeconds; p != 0 && (p < 60 || p > 900) {
		return validationf("1 validation error detected: Value '%d' at 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds' "+
			"failed to satisfy constraint: Member must have value between 60 and 900", p)
	}
	return nil
}

// encryptionEqual treats "not configured" and AWS's default (its own key) as the same.
func encryptionEqual(a, b *EncryptionConfiguration) bool {
	norm := func(e *EncryptionConfiguration) EncryptionConfiguration {
		if e == nil {
			return EncryptionConfiguration{Type: "AWS_OWNED_KEY"}
		}
		return *e
	}
	return norm(a) == norm(b)
}
