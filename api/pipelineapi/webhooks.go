package pipelineapi

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"

	"stepline/pipeline"
)

// WebhookPath is where webhook URLs live on the server: a path no S3 bucket name can
// take. A webhook's URL is <endpoint>/_webhooks/<region>/<account>/<name>?t=<token>&v=1,
// the counterpart of AWS's https://<region>.webhooks.aws/trigger?t=<token>&v=1.
const WebhookPath = "/_webhooks/"

// webhookURL is the URL of w on the server the request in ctx came to (or the
// configured public URL).
func (h *handlers) webhookURL(ctx context.Context, w pipeline.Webhook) string {
	base := strings.TrimSuffix(h.publicURL, "/")
	if base == "" {
		if addr, ok := ctx.Value(http.LocalAddrContextKey).(net.Addr); ok {
			base = "http://" + addr.String()
		}
	}
	return base + WebhookPath + url.PathEscape(w.Region) + "/" + url.PathEscape(w.Account) + "/" + url.PathEscape(w.Name) +
		"?t=" + url.QueryEscape(w.Token) + "&v=1"
}

// webhookItem is a webhook as PutWebhook and ListWebhooks show it: the secret token
// is never shown again.
func (h *handlers) webhookItem(ctx context.Context, w pipeline.Webhook) ListWebhookItem {
	def := WebhookDefinition{
		Name: w.Name, TargetPipeline: w.TargetPipeline, TargetAction: w.TargetAction,
		Filters: make([]WebhookFilterRule, 0, len(w.Filters)), Authentication: w.Authentication,
		AuthenticationConfiguration: WebhookAuthConfiguration{AllowedIPRange: str(w.AllowedIPRange)},
	}
	for _, f := range w.Filters {
		def.Filters = append(def.Filters, WebhookFilterRule{JsonPath: f.JSONPath, MatchEquals: str(f.MatchEquals)})
	}
	item := ListWebhookItem{Definition: def, Url: h.webhookURL(ctx, w), Arn: str(w.ARN),
		ErrorCode: str(w.ErrorCode), ErrorMessage: str(w.ErrorMessage), LastTriggered: tm(w.LastTriggered)}
	for _, t := range w.Tags {
		item.Tags = append(item.Tags, Tag{Key: t.Key, Value: t.Value})
	}
	return item
}

func (h *handlers) putWebhook(ctx context.Context, in *PutWebhookInput) (*PutWebhookOutput, error) {
	d := in.Webhook
	w := pipeline.Webhook{Name: d.Name, TargetPipeline: d.TargetPipeline, TargetAction: d.TargetAction, Authentication: d.Authentication}
	if d.AuthenticationConfiguration.SecretToken != nil {
		w.SecretToken = *d.AuthenticationConfiguration.SecretToken
	}
	if d.AuthenticationConfiguration.AllowedIPRange != nil {
		w.AllowedIPRange = *d.AuthenticationConfiguration.AllowedIPRange
	}
	for _, f := range d.Filters {
		wf := pipeline.WebhookFilter{JSONPath: f.JsonPath}
		if f.MatchEquals != nil {
			wf.MatchEquals = *f.MatchEquals
		}
		w.Filters = append(w.Filters, wf)
	}
	for _, t := range in.Tags {
		w.Tags = append(w.Tags, pipeline.Tag{Key: t.Key, Value: t.Value})
	}
	out, err := h.s.PutWebhook(ctx, w)
	if err != nil {
		return nil, err
	}
	item := h.webhookItem(ctx, out)
	return &PutWebhookOutput{Webhook: &item}, nil
}

func (h *handlers) listWebhooks(ctx context.Context, in *ListWebhooksInput) (*ListWebhooksOutput, error) {
	all, err := h.s.ListWebhooks(ctx)
	if err != nil {
		return nil, err
	}
	items, next, err := page(h.key, all, in.NextToken, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	out := &ListWebhooksOutput{Webhooks: make([]ListWebhookItem, 0, len(items)), NextToken: next}
	for _, w := range items {
		out.Webhooks = append(out.Webhooks, h.webhookItem(ctx, w))
	}
	return out, nil
}

func (h *handlers) deleteWebhook(ctx context.Context, in *DeleteWebhookInput) (*DeleteWebhookOutput, error) {
	return &DeleteWebhookOutput{}, h.s.DeleteWebhook(ctx, in.Name)
}

func (h *handlers) registerWebhookWithThirdParty(ctx context.Context, in *RegisterWebhookWithThirdPartyInput) (*RegisterWebhookWithThirdPartyOutput, error) {
	return &RegisterWebhookWithThirdPartyOutput{}, h.s.SetWebhookRegistered(ctx, deref(in.WebhookName), true)
}

func (h *handlers) deregisterWebhookWithThirdParty(ctx context.Context, in *DeregisterWebhookWithThirdPartyInput) (*DeregisterWebhookWithThirdPartyOutput, error) {
	return &DeregisterWebhookWithThirdPartyOutput{}, h.s.SetWebhookRegistered(ctx, deref(in.WebhookName), false)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
