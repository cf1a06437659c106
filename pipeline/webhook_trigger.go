package pipeline

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"

	"stepline"
	"stepline/jsonvalue"
	"stepline/pipeline/plan"
	"stepline/store"
)

// Errors TriggerWebhook returns for calls it refuses; the HTTP endpoint turns them
// into 404, 403 and 400.
var (
	// ErrWebhookNotFound means no webhook has that URL (unknown name or wrong token).
	ErrWebhookNotFound = errors.New("webhook not found")
	// ErrWebhookForbidden means the call failed the webhook's authentication.
	ErrWebhookForbidden = errors.New("webhook authentication failed")
	// ErrWebhookPayload means the payload is not JSON, so filters cannot apply.
	ErrWebhookPayload = errors.New("webhook payload is not JSON")
)

// WebhookCall is one request to a webhook's URL.
type WebhookCall struct {
	Region, Account, Name, Token string
	// Body is the request body as sent: what GitHub signs.
	Body []byte
	// Payload is the JSON the filters read: the body, or the form field "payload" of a
	// form-encoded GitHub delivery.
	Payload []byte
	// Signature256 and Signature1 are the X-Hub-Signature-256 and X-Hub-Signature
	// headers.
	Signature256, Signature1 string
	// RemoteAddr is the caller's address (host:port), for IP authentication.
	RemoteAddr string
}

// TriggerWebhook authenticates a call to a webhook's URL, applies its filters to the
// payload and, when all match, starts the target pipeline with trigger type Webhook
// and the webhook's ARN as detail. It returns the started execution's id, or "" when
// a filter did not match (the call is then ignored, as on AWS). A call that passes its
// filters but cannot start the pipeline (deleted since) is recorded on the webhook as
// its errorCode and errorMessage.
func (s *Service) TriggerWebhook(ctx context.Context, c WebhookCall) (string, error) {
	id := stepline.Identity{Account: c.Account, Region: c.Region, Partition: s.cfg.Identity.Partition}
	ctx = stepline.ContextWithIdentity(ctx, id)
	arn := webhookARN(id, c.Name)
	w, err := s.loadWebhook(ctx, arn)
	if errors.Is(err, store.ErrNotFound) || err == nil && subtle.ConstantTimeCompare([]byte(w.Token), []byte(c.Token)) != 1 {
		return "", ErrWebhookNotFound
	}
	if err != nil {
		return "", err
	}
	switch w.Authentication {
	case WebhookGitHubHMAC:
		if !validGitHubSignature(w.SecretToken, c.Body, c.Signature256, c.Signature1) {
			return "", ErrWebhookForbidden
		}
	case WebhookIP:
		if !ipAllowed(w.AllowedIPRange, c.RemoteAddr) {
			return "", ErrWebhookForbidden
		}
	}
	payload, err := jsonvalue.Parse(c.Payload)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrWebhookPayload, err)
	}
	_, rec, p, err := s.load(ctx, w.TargetPipeline, 0)
	var target plan.Action
	if err == nil {
		if target, err = webhookTarget(p, w); err != nil {
			err = stepline.Errorf(plan.CodeActionNotFound, "Webhook target action '%s' is no longer a source action of pipeline '%s'", w.TargetAction, w.TargetPipeline)
		}
	}
	if err != nil {
		s.webhookFailed(ctx, arn, err)
		return "", err
	}
	if !filtersMatch(w.Filters, target.Configuration, payload) {
		return "", nil
	}
	execID, err := s.start(ctx, rec.Key, plan.ExecTrigger{Type: "Webhook", Detail: arn}, nil)
	if err != nil {
		s.webhookFailed(ctx, arn, err)
		return "", err
	}
	now := s.cfg.Clock.Now()
	if _, err := s.updateWebhook(ctx, arn, func(w *Webhook) { w.LastTriggered, w.ErrorCode, w.ErrorMessage = now, "", "" }); err != nil {
		s.cfg.Logger.Warn("record webhook trigger", "webhook", arn, "err", err)
	}
	return execID, nil
}

// webhookFailed records why a matching call started nothing.
func (s *Service) webhookFailed(ctx context.Context, arn string, cause error) {
	code, msg := "InternalError", cause.Error()
	var se *stepline.Error
	if errors.As(cause, &se) {
		code, msg = se.Code, se.Message
	}
	if _, err := s.updateWebhook(ctx, arn, func(w *Webhook) { w.ErrorCode, w.ErrorMessage = code, msg }); err != nil {
		s.cfg.Logger.Warn("record webhook failure", "webhook", arn, "err", err)
	}
}

func (s *Service) loadWebhook(ctx context.Context, arn string) (Webhook, error) {
	var w Webhook
	rec, err := s.store.RecordGet(ctx, kindWebhook, arn)
	if err != nil {
		return w, err
	}
	if err := json.Unmarshal(rec.Data, &w); err != nil {
		return w, fmt.Errorf("decode webhook: %w", err)
	}
	return w, nil
}
