package sfn

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"stepline"
	"stepline/asl"
	"stepline/store"
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
func (s *Service) resolveStartTarget(ctx context.Context, arn string) (startTarget, error) {
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return startTarget{}, err
	}
	if a.Label != "" {
		// A Distributed Map child state machine cannot be started directly.
		return startTarget{}, validationf("Invalid Arn: '%s'", arn)
	}
	base := a.Base()
	sm, err := recentDoc(ctx, s, s.recentSMs, base, func(ctx context.Context) (StateMachine, error) {
		return cachedDoc(ctx, s, s.smDocs, kindStateMachine, base)
	})
	if errors.Is(err, store.ErrNotFound) {
		return startTarget{}, stateMachineDoesNotExist(arn)
	}
	if err != nil {
		return startTarget{}, fmt.Errorf("load state machine: %w", err)
	}
	if sm.Status == StatusDeleting {
		return startTarget{}, stateMachineDeleting(arn)
	}
	t := startTarget{StateMachineARN: base, Name: sm.Name, Type: sm.Type}
	versionARN := ""
	switch {
	case a.IsAlias():
		al, err := recentDoc(ctx, s, s.recentAliases, arn, func(ctx context.Context) (Alias, error) {
			al, _, err := getDoc[Alias](ctx, s.store, kindAlias, arn)
			return al, err
		})
		if errors.Is(err, store.ErrNotFound) {
			return startTarget{}, stateMachineDoesNotExist(arn)
		}
		if err != nil {
			return startTarget{}, fmt.Errorf("load alias: %w", err)
		}
		t.AliasARN = arn
		versionARN = pickRoute(al.Routing, rand.IntN(100))
	case a.IsVersion():
		versionARN = arn
	}
	if versionARN == "" {
		t.RoleARN, t.Definition, t.RevisionID = sm.RoleARN, sm.Definition, sm.RevisionID
		t.Machine, err = s.parsed(base, sm.Definition)
		return t, err
	}
	v, err := recentDoc(ctx, s, s.recentVersions, versionARN, func(ctx context.Context) (StateMachineVersion, error) {
		return cachedDoc(ctx, s, s.verDocs, kindVersion, versionARN)
	})
	if errors.Is(err, store.ErrNotFound) {
		return startTarget{}, stateMachineDoesNotExist(versionARN)
	}
	if err != nil {
		return startTarget{}, fmt.Errorf("load version: %w", err)
	}
	t.VersionARN = versionARN
	t.RoleARN, t.Definition, t.RevisionID = v.RoleARN, v.Definition, v.RevisionID
	t.Machine, err = s.parsed(versionARN, v.Definition)
	return t, err
}

// cachedDoc reads a record and decodes it through c. The result is read-only.
func cachedDoc[T any](ctx context.Context, s *Service, c *docCache[T], kind, key string) (T, error) {
	var zero T
	rec, err := s.store.RecordGet(ctx, kind, key)
	if err != nil {
		return zero, err
	}
	v, err := c.decode(rec.Data)
	if err != nil {
		return zero, fmt.Errorf("decode %s %s: %w", kind, key, err)
	}
	return v, nil
}

// pickRoute chooses the version an alias sends a start to: roll is uniform in
// [0,100) and the weights sum to 100, so each version gets its weight's share.
func pickRoute(routes []RoutingEntry, roll int) string {
	for _, r := range routes {
		if roll < r.Weight {
			return r.VersionARN
		}
		roll -= r.Weight
	}
	if len(routes) > 0 {
		return routes[len(routes)-1].VersionARN
	}
	return ""
}

// parsed returns the cached parse of a stored definition. A stored definition was
// parsed when it was accepted, so failing now means the interpreter changed under it.
func (s *Service) parsed(arn, definition string) (*asl.Machine, error) {
	m, err := s.machines.get(arn, definition)
	if err != nil {
		return nil, fmt.Errorf("parse stored definition of %s: %w", arn, err)
	}
	return m, nil
}

// stateMachineType returns the type (STANDARD or EXPRESS) and status of an
// unqualified, version or alias state machine ARN, for operations that reject EXPRESS
// or need to know whether it is being deleted.
func (s *Service) stateMachineType(ctx context.Context, arn string) (typ, status string, err error) {
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return "", "", err
	}
	if a.Qualifier != "" {
		kind := kindVersion
		if a.IsAlias() {
			kind = kindAlias
		}
		if _, err := s.store.RecordGet(ctx, kind, arn); errors.Is(err, store.ErrNotFound) {
			return "", "", stateMachineDoesNotExist(arn)
		} else if err != nil {
			return "", "", fmt.Errorf("load %s: %w", kind, err)
		}
	}
	sm, _, err := s.loadStateMachine(ctx, a.Base())
	if err != nil {
		if isNotExist(err) {
			return "", "", stateMachineDoesNotExist(arn)
		}
		return "", "", err
	}
	return sm.Type, sm.Status, nil
}

// activityExists returns nil if the activity exists, else ActivityDoesNotExist.
func (s *Service) activityExists(ctx context.Context, activityARN string) error {
	if _, err := parseARNOf(activityARN, arnTypeActivity); err != nil {
		return err
	}
	_, err := s.store.RecordGet(ctx, kindActivity, activityARN)
	if errors.Is(err, store.ErrNotFound) {
		return activityDoesNotExist(activityARN)
	}
	if err != nil {
		return fmt.Errorf("load activity: %w", err)
	}
	return nil
}

// isNotExist reports whether err is AWS's StateMachineDoesNotExist.
func isNotExist(err error) bool { return errorCode(err) == "StateMachineDoesNotExist" }

// errorCode returns the AWS code of an *stepline.Error in err's chain, or "".
func errorCode(err error) string {
	var e *stepline.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
