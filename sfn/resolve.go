package sfn

import (
	"context"
	"errors"

	"stepline/asl"
)

// startTarget is what an execution runs, resolved from the ARN given to StartExecution
// (unqualified, version or alias ARN).
type startTarget struct {
	StateMachineARN string // unqualified
	VersionARN      string // set when started through a version or an alias
	AliasARN        string // set when started through an alias
	Name            string // state machine name
	Type            string // STANDARD or EXPRESS
	RoleARN         string
	Definition      string // verbatim, as stored
	RevisionID      string
	Machine         *asl.Machine
}

// resolveStartTarget resolves arn for StartExecution/StartSyncExecution, picking an
// alias's version by its routing weights. Errors are AWS-shaped *stepline.Error
// (InvalidArn, StateMachineDoesNotExist, StateMachineDeleting, ValidationException).
// Placeholder: the state machine files replace it.
func (s *Service) resolveStartTarget(ctx context.Context, arn string) (startTarget, error) {
	return startTarget{}, errors.New("sfn: not implemented")
}

// stateMachineType returns the type (STANDARD or EXPRESS) and status of an
// unqualified, version or alias state machine ARN, for operations that reject EXPRESS
// or need to know whether it is being deleted.
// Placeholder: the state machine files replace it.
func (s *Service) stateMachineType(ctx context.Context, arn string) (typ, status string, err error) {
	return "", "", errors.New("sfn: not implemented")
}

// activityExists returns nil if the activity exists, else ActivityDoesNotExist.
// Placeholder: the activity files replace it.
func (s *Service) activityExists(ctx context.Context, activityARN string) error {
	return errors.New("sfn: not implemented")
}
