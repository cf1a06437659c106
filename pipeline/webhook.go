package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"stepline"
	"stepline/asl/jsonpath"
	"stepline/pipeline/plan"
	"stepline/store"
)

const kindWebhook = "pipelinewebhook"

// MaxWebhooks is CodePipeline's quota of webhooks per region
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
const MaxWebhooks = 300

// WebhookFilter is one filter of a webhook: the JSON path selects a value from the
// request body, which must equal MatchEquals after its {Key} placeholders take the
// target action's configuration values.
type WebhookFilter struct {
	JSONPath    string
	MatchEquals string
}

// Webhook is a PutWebhook definition and what the service keeps beside it.
type Webhook struct {
	Name           string
	TargetPipeline string
	TargetAction   string
	Filters        []WebhookFilter
	Authentication string
	SecretToken    string // GITHUB_HMAC's secret
	AllowedIPRange string // IP's CIDR range
	Tags           []Tag

	ARN     string
	Account string
	Region  string
	// Token is the random part of the webhook's URL; a webhook deleted and put again
	// gets a new one, so the old URL stops working, as on AWS.
	Token         string
	Registered    bool // RegisterWebhookWithThirdParty was called last, not Deregister
	LastTriggered time.Time
	ErrorCode     string // why the last call that passed its filters started nothing
	ErrorMessage  string
}

func webhookARN(id stepline.Identity, name string) string {
	return fmt.Sprintf("arn:%s:codepipeline:%s:%s:webhook:%s", id.Partition, id.Region, id.Account, name)
}

func webhookNotFound(name string) *stepline.Error {
	return stepline.Errorf("WebhookNotFoundException", "The webhook %s was not found", name)
}

func authError(format string, args ...any) *stepline.Error {
	return stepline.Errorf("InvalidWebhookAuthenticationParametersException", format, args...)
}

// checkWebhookAuth enforces exactly the property each authentication type needs
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_WebhookAuthConfiguration.html).
// The GITHUB_HMAC message is the one the service gives; the others follow it.
func checkWebhookAuth(w Webhook) error {
	switch w.Authentication {
	case WebhookGitHubHMAC:
		if w.SecretToken == "" || w.AllowedIPRange != "" {
			return authError("Optional['authenticationConfig' should contain only one property: 'SecretToken']")
		}
	case WebhookIP:
		if w.AllowedIPRange == "" || w.SecretToken != "" {
			return authError("Optional['authenticationConfig' should contain only one property: 'AllowedIPRange']")
		}
		if _, err := netip.ParsePrefix(w.AllowedIPRange); err != nil {
			return authError("Optional['AllowedIPRange' should be a valid CIDR range: '%s']", w.AllowedIPRange)
		}
	case WebhookUnauthenticated:
		if w.SecretToken != "" || w.AllowedIPRange != "" {
			return authError("Optional['authenticationConfig' should be empty for authentication type: 'UNAUTHENTICATED']")
		}
	default:
		return authError("Authentication type '%s' is not supported", w.Authentication)
	}
	return nil
}

// checkWebhookFilters compiles each JSON path and checks that every {Key} placeholder
// names a configuration key of the target action.
func checkWebhookFilters(w Webhook, cfg map[string]string) error {
	for _, f := range w.Filters {
		if _, err := jsonpath.Compile(f.JSONPath); err != nil {
			return stepline.Errorf("InvalidWebhookFilterPatternException", "The JsonPath '%s' is not valid: %v", f.JSONPath, err)
		}
		if key := missingPlaceholder(f.MatchEquals, cfg); key != "" {
			return stepline.Errorf("InvalidWebhookFilterPatternException",
				"The MatchEquals value '%s' refers to '%s', which is not a configuration property of action '%s'", f.MatchEquals, key, w.TargetAction)
		}
	}
	return nil
}

// webhookTarget returns the webhook's target action, which must be a source action of
// the pipeline (its first stage).
func webhookTarget(p plan.Pipeline, w Webhook) (plan.Action, error) {
	if len(p.Stages) > 0 {
		for _, a := range p.Stages[0].Actions {
			if a.Name == w.TargetAction {
				return a, nil
			}
		}
	}
	return plan.Action{}, stepline.Errorf(plan.CodeValidation, "Webhook target action '%s' is not a source action of pipeline '%s'", w.TargetAction, w.TargetPipeline)
}

// PutWebhook creates a webhook or replaces the definition of an existing one, which
// keeps its URL, ARN and registration
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_PutWebhook.html).
// Tags given replace the webhook's tags; none keep them.
func (s *Service) PutWebhook(ctx context.Context, w Webhook) (Webhook, error) {
	if err := checkTags(w.Tags); err != nil {
		return w, err
	}
	if err := checkWebhookAuth(w); err != nil {
		return w, err
	}
	_, _, p, err := s.load(ctx, w.TargetPipeline, 0)
	if err != nil {
		return w, err
	}
	target, err := webhookTarget(p, w)
	if err != nil {
		return w, err
	}
	if err := checkWebhookFilters(w, target.Configuration); err != nil {
		return w, err
	}
	id := s.identity(ctx)
	w.ARN, w.Account, w.Region = webhookARN(id, w.Name), id.Account, id.Region
	for {
		rec, err := s.store.RecordGet(ctx, kindWebhook, w.ARN)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if err := s.webhookQuota(ctx, id); err != nil {
				return w, err
			}
			w.Token = newToken()
			rec = store.Record{Kind: kindWebhook, Key: w.ARN, Parent: id.Account + "/" + id.Region, Sort: w.Name}
		case err != nil:
			return w, fmt.Errorf("load webhook: %w", err)
		default:
			var old Webhook
			if err := json.Unmarshal(rec.Data, &old); err != nil {
				return w, fmt.Errorf("decode webhook: %w", err)
			}
			w.Token, w.Registered, w.LastTriggered = old.Token, old.Registered, old.LastTriggered
			if w.Tags == nil {
				w.Tags = old.Tags
			}
		}
		rec.Data, _ = json.Marshal(w)
		_, err = s.store.RecordPut(ctx, rec)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrExists) {
			continue
		}
		if err != nil {
			return w, fmt.Errorf("put webhook: %w", err)
		}
		return w, nil
	}
}

func checkTags(tags []Tag) error {
	if len(tags) > MaxTags {
		return stepline.Errorf("TooManyTagsException", "Tag limit exceeded")
	}
	for _, t := range tags {
		if strings.HasPrefix(t.Key, "aws:") {
			return stepline.Errorf("InvalidTagsException", "Not allowed to modify system tags. System tags start with 'aws:'. msg=[Caller is an end user and not allowed to mutate system tags]")
		}
	}
	return nil
}

func (s *Service) webhookQuota(ctx context.Context, id stepline.Identity) error {
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindWebhook, Parent: id.Account + "/" + id.Region, Limit: MaxWebhooks})
	if err != nil {
		return fmt.Errorf("list webhooks: %w", err)
	}
	if len(recs) >= MaxWebhooks {
		return stepline.Errorf("LimitExceededException", "The limit of %d webhooks per region was reached", MaxWebhooks)
	}
	return nil
}

// newToken returns the random part of a webhook URL: 128 bits, hex.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// DeleteWebhook deletes a webhook by name; deleting one that does not exist succeeds,
// as on AWS.
func (s *Service) DeleteWebhook(ctx context.Context, name string) error {
	arn := webhookARN(s.identity(ctx), name)
	err := s.store.RecordDelete(ctx, kindWebhook, arn, 0)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete webhook: %w", err)
	}
	return nil
}

// ListWebhooks lists the caller's webhooks by name.
func (s *Service) ListWebhooks(ctx context.Context) ([]Webhook, error) {
	id := s.identity(ctx)
	recs, err := s.store.RecordList(ctx, store.RecordListParams{Kind: kindWebhook, Parent: id.Account + "/" + id.Region})
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	out := make([]Webhook, 0, len(recs))
	for _, rec := range recs {
		var w Webhook
		if err := json.Unmarshal(rec.Data, &w); err != nil {
			return nil, fmt.Errorf("decode webhook: %w", err)
		}
		out = append(out, w)
	}
	return out, nil
}

// SetWebhookRegistered records RegisterWebhookWithThirdParty (true) or
// DeregisterWebhookWithThirdParty (false). There is no third party to tell: the
// webhook's URL works either way, and the state is only reported back.
func (s *Service) SetWebhookRegistered(ctx context.Context, name string, registered bool) error {
	_, err := s.updateWebhook(ctx, webhookARN(s.identity(ctx), name), func(w *Webhook) { w.Registered = registered })
	if errors.Is(err, store.ErrNotFound) {
		return webhookNotFound(name)
	}
	return err
}

// updateWebhook changes a stored webhook under its optimistic guard.
func (s *Service) updateWebhook(ctx context.Context, arn string, change func(*Webhook)) (Webhook, error) {
	for {
		rec, err := s.store.RecordGet(ctx, kindWebhook, arn)
		if err != nil {
			return Webhook{}, err
		}
		var w Webhook
		if err := json.Unmarshal(rec.Data, &w); err != nil {
			return w, fmt.Errorf("decode webhook: %w", err)
		}
		change(&w)
		rec.Data, _ = json.Marshal(w)
		_, err = s.store.RecordPut(ctx, rec)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return w, fmt.Errorf("update webhook: %w", err)
		}
		return w, nil
	}
}
