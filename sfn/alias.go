package sfn

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"stepline"
	"stepline/store"
)

// aliasesMax is AWS's quota of aliases per state machine.
const aliasesMax = 100

// RoutingEntry sends Weight percent of an alias's starts to one version.
type RoutingEntry struct {
	VersionARN string
	Weight     int
}

// Alias is a named pointer to one or two versions of a state machine, splitting starts
// between them by weight.
type Alias struct {
	ARN             string
	Name            string
	StateMachineARN string
	Description     string
	Routing         []RoutingEntry
	CreationDate    time.Time
	UpdateDate      time.Time
}

// AliasCreateParams is what CreateStateMachineAlias accepts.
type AliasCreateParams struct {
	Name        string
	Description string
	Routing     []RoutingEntry
}

// AliasCreate creates an alias, or returns the existing one when the call repeats it
// (same name, description and routing; API_CreateStateMachineAlias).
func (s *Service) AliasCreate(ctx context.Context, p AliasCreateParams) (Alias, error) {
	defer s.resolveChanged()
	if err := checkAliasName(p.Name); err != nil {
		return Alias{}, err
	}
	smARN, err := s.checkRouting(ctx, p.Routing, "")
	if err != nil {
		return Alias{}, err
	}
	sm, _, err := s.loadStateMachine(ctx, smARN)
	if err != nil {
		return Alias{}, err
	}
	if sm.Status == StatusDeleting {
		return Alias{}, stateMachineDeleting(smARN)
	}
	arn := smARN + ":" + p.Name
	if old, _, err := getDoc[Alias](ctx, s.store, kindAlias, arn); err == nil {
		if old.Description == p.Description && slices.Equal(old.Routing, p.Routing) {
			return old, nil
		}
		return Alias{}, stepline.Errorf("ConflictException",
			"Failed to create alias because an alias with the same name and a different routing configuration already exists.")
	} else if !errors.Is(err, store.ErrNotFound) {
		return Alias{}, fmt.Errorf("load alias: %w", err)
	}
	existing, err := s.aliasesOf(ctx, smARN)
	if err != nil {
		return Alias{}, err
	}
	if len(existing) >= aliasesMax {
		return Alias{}, stepline.Errorf("ServiceQuotaExceededException",
			"Maximum number of aliases (%d) reached for state machine '%s'", aliasesMax, smARN)
	}
	now := s.now()
	al := Alias{ARN: arn, Name: p.Name, StateMachineARN: smARN, Description: p.Description,
		Routing: slices.Clone(p.Routing), CreationDate: now, UpdateDate: now}
	_, err = putDoc(ctx, s.store, store.Record{Kind: kindAlias, Key: arn, Parent: smARN, Sort: p.Name}, al)
	if errors.Is(err, store.ErrExists) {
		return s.AliasCreate(ctx, p) // a concurrent create: answer as the second caller
	}
	if err != nil {
		return Alias{}, fmt.Errorf("create alias: %w", err)
	}
	return al, nil
}

// checkRouting applies AWS's routing rules and returns the state machine the versions
// belong to. When smARN is set the versions must belong to it.
func (s *Service) checkRouting(ctx context.Context, routes []RoutingEntry, smARN string) (string, error) {
	arns := make([]string, len(routes))
	for i, r := range routes {
		arns[i] = r.VersionARN
	}
	received := "[" + strings.Join(arns, ", ") + "]"
	if len(routes) == 0 || len(routes) > 2 {
		parts := make([]string, len(routes))
		for i, r := range routes {
			parts[i] = "RoutingConfigurationListItem(stateMachineVersionArn=" + r.VersionARN + ", weight=" + strconv.Itoa(r.Weight) + ")"
		}
		limit := "Member must have length less than or equal to 2"
		if len(routes) == 0 {
			limit = "Member must have length greater than or equal to 1"
		}
		return "", validationf("1 validation error detected: Value '[%s]' at 'routingConfiguration' failed to satisfy constraint: %s",
			strings.Join(parts, ", "), limit)
	}
	if len(routes) == 2 && routes[0].VersionARN == routes[1].VersionARN {
		return "", validationf("Routing configuration must contain distinct state machine version ARNs. Received: %s", received)
	}
	sum := 0
	weights := make([]string, len(routes))
	for i, r := range routes {
		if r.Weight < 0 {
			return "", validationf("Invalid value for parameter routingConfiguration[%d].weight, value: %d, valid min value: 0", i+1, r.Weight)
		}
		if r.Weight > 100 {
			return "", validationf("1 validation error detected: Value '%d' at 'routingConfiguration.%d.member.weight' "+
				"failed to satisfy constraint: Member must have value less than or equal to 100", r.Weight, i+1)
		}
		sum += r.Weight
		weights[i] = strconv.Itoa(r.Weight)
	}
	if sum != 100 {
		return "", validationf("Sum of routing configuration weights must equal 100. Received: [%s]", strings.Join(weights, ", "))
	}
	for _, r := range routes {
		a, err := ParseARN(r.VersionARN)
		if err != nil || a.Type != arnTypeStateMachine || !a.IsVersion() || a.Label != "" || a.Rest != "" {
			return "", validationf("Routing configuration must contain state machine version ARNs. Received: %s", received)
		}
		if smARN == "" {
			smARN = a.Base()
		}
		if a.Base() != smARN {
			return "", validationf("Routing configuration must contain state machine version ARNs of the same state machine. Received: %s", received)
		}
		if _, err := s.store.RecordGet(ctx, kindVersion, r.VersionARN); errors.Is(err, store.ErrNotFound) {
			return "", resourceNotFound(r.VersionARN)
		} else if err != nil {
			return "", fmt.Errorf("load version: %w", err)
		}
	}
	return smARN, nil
}

// resourceNotFound is AWS's ResourceNotFound with the resourceName member it carries.
func resourceNotFound(arn string) *stepline.Error {
	return &stepline.Error{Code: "ResourceNotFound", Message: "Request references a resource that does not exist.",
		Fields: map[string]any{"resourceName": arn}}
}

// parseAliasARN requires an alias ARN: a state machine ARN qualified by a non-numeric name.
func parseAliasARN(arn string) (ARN, error) {
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return ARN{}, err
	}
	if !a.IsAlias() || a.Label != "" {
		return ARN{}, invalidARN("Invalid ARN format: " + arn)
	}
	return a, nil
}

// AliasGet describes an alias.
func (s *Service) AliasGet(ctx context.Context, arn string) (Alias, error) {
	if _, err := parseAliasARN(arn); err != nil {
		return Alias{}, err
	}
	al, _, err := getDoc[Alias](ctx, s.store, kindAlias, arn)
	if errors.Is(err, store.ErrNotFound) {
		return Alias{}, resourceNotFound(arn)
	}
	if err != nil {
		return Alias{}, fmt.Errorf("load alias: %w", err)
	}
	return al, nil
}

// AliasUpdate changes an alias's description and/or routing (nil: unchanged). Starts
// through the alias use the new routing from the next call on.
func (s *Service) AliasUpdate(ctx context.Context, arn string, description *string, routing []RoutingEntry) (time.Time, error) {
	defer s.resolveChanged()
	a, err := parseAliasARN(arn)
	if err != nil {
		return time.Time{}, err
	}
	if description == nil && routing == nil {
		return time.Time{}, &stepline.Error{Code: "ValidationException",
			Message: "Either the description or the RoutingConfiguration must be specified",
			Fields:  map[string]any{"reason": "MISSING_REQUIRED_PARAMETER"}}
	}
	if routing != nil {
		if _, err := s.checkRouting(ctx, routing, a.Base()); err != nil {
			return time.Time{}, err
		}
	}
	if sm, _, err := s.loadStateMachine(ctx, a.Base()); err == nil && sm.Status == StatusDeleting {
		return time.Time{}, stateMachineDeleting(a.Base())
	}
	for attempt := 0; ; attempt++ {
		al, rec, err := getDoc[Alias](ctx, s.store, kindAlias, arn)
		if errors.Is(err, store.ErrNotFound) {
			return time.Time{}, resourceNotFound(arn)
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("load alias: %w", err)
		}
		if description != nil {
			al.Description = *description
		}
		if routing != nil {
			al.Routing = slices.Clone(routing)
		}
		al.UpdateDate = s.now()
		_, err = putDoc(ctx, s.store, rec, al)
		if errors.Is(err, store.ErrConflict) && attempt < conflictRetries {
			continue
		}
		if err != nil {
			return time.Time{}, fmt.Errorf("update alias: %w", err)
		}
		return al.UpdateDate, nil
	}
}

// AliasDelete deletes an alias; executions started through it keep running. Deleting
// an alias that does not exist succeeds.
func (s *Service) AliasDelete(ctx context.Context, arn string) error {
	defer s.resolveChanged()
	if _, err := parseAliasARN(arn); err != nil {
		return err
	}
	err := s.store.RecordDelete(ctx, kindAlias, arn, 0)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete alias: %w", err)
	}
	return nil
}

// AliasList lists the aliases of a state machine by name or, given a version ARN,
// those that route to that version.
func (s *Service) AliasList(ctx context.Context, arn string, pg Page) ([]Alias, string, error) {
	a, err := parseStateMachineARN(arn)
	if err != nil {
		return nil, "", err
	}
	if a.IsAlias() || a.Label != "" {
		return nil, "", invalidARN("Invalid ARN format: " + arn)
	}
	sm, _, err := s.loadStateMachine(ctx, a.Base())
	if err != nil {
		return nil, "", err
	}
	if sm.Status == StatusDeleting {
		return nil, "", stateMachineDeleting(a.Base())
	}
	if !a.IsVersion() {
		recs, next, err := s.listPage(ctx, store.RecordListParams{Kind: kindAlias, Parent: arn}, pg)
		if err != nil {
			return nil, "", err
		}
		als, err := decodeAll[Alias](recs)
		return als, next, err
	}
	if _, err := s.store.RecordGet(ctx, kindVersion, arn); errors.Is(err, store.ErrNotFound) {
		return nil, "", resourceNotFound(arn)
	} else if err != nil {
		return nil, "", fmt.Errorf("load version: %w", err)
	}
	// At most 100 aliases per state machine: filter them all, then page in memory.
	all, err := s.aliasesOf(ctx, a.Base())
	if err != nil {
		return nil, "", err
	}
	var match []Alias
	for _, al := range all {
		for _, r := range al.Routing {
			if r.VersionARN == arn {
				match = append(match, al)
				break
			}
		}
	}
	return pageSlice(match, pg, s.now(), func(al Alias) string { return al.Name })
}

// aliasesOf returns every alias of a state machine, by name.
func (s *Service) aliasesOf(ctx context.Context, smARN string) ([]Alias, error) {
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindAlias, Parent: smARN})
	if err != nil {
		return nil, fmt.Errorf("list aliases: %w", err)
	}
	return decodeAll[Alias](recs)
}
