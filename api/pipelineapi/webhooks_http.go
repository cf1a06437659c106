package pipelineapi

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"stepline"
	"stepline/pipeline"
)

// maxWebhookBody bounds a webhook delivery; GitHub caps its payloads at 25 MB.
const maxWebhookBody = 25 << 20

// WebhookHandler serves webhook URLs (POST <WebhookPath><region>/<account>/<name>?t=...):
// it authenticates the call, applies the webhook's filters and starts the pipeline.
// Answers are JSON: 200 with the started pipelineExecutionId, or with "ignored" when a
// filter did not match; 400 for a payload that is not JSON; 403 for a failed
// signature or address check; 404 for an unknown URL or a target that no longer
// exists; 405 for another method. Never 500 for anything the caller sent.
func WebhookHandler(svc *pipeline.Service, logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.Default()
	}
	return &webhookHandler{s: svc, log: logger}
}

type webhookHandler struct {
	s   *pipeline.Service
	log *slog.Logger
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		webhookReply(w, http.StatusMethodNotAllowed, map[string]any{"message": "Webhooks accept POST only"})
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, WebhookPath), "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		webhookReply(w, http.StatusNotFound, map[string]any{"message": "Webhook not found"})
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		webhookReply(w, http.StatusRequestEntityTooLarge, map[string]any{"message": "The payload is too large"})
		return
	}
	if err != nil {
		webhookReply(w, http.StatusBadRequest, map[string]any{"message": "The payload could not be read"})
		return
	}
	call := pipeline.WebhookCall{
		Region: parts[0], Account: parts[1], Name: parts[2], Token: r.URL.Query().Get("t"),
		Body: body, Payload: body, RemoteAddr: r.RemoteAddr,
		Signature256: r.Header.Get("X-Hub-Signature-256"), Signature1: r.Header.Get("X-Hub-Signature"),
	}
	// GitHub can deliver form-encoded, with the JSON in the payload field; it signs the
	// body as sent.
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "application/x-www-form-urlencoded" {
		if form, err := url.ParseQuery(string(body)); err == nil && form.Has("payload") {
			call.Payload = []byte(form.Get("payload"))
		}
	}
	execID, err := h.s.TriggerWebhook(r.Context(), call)
	var se *stepline.Error
	switch {
	case err == nil && execID == "":
		webhookReply(w, http.StatusOK, map[string]any{"message": "The payload did not match the webhook's filters; nothing was started"})
	case err == nil:
		webhookReply(w, http.StatusOK, map[string]any{"pipelineExecutionId": execID})
	case errors.Is(err, pipeline.ErrWebhookNotFound):
		webhookReply(w, http.StatusNotFound, map[string]any{"message": "Webhook not found"})
	case errors.Is(err, pipeline.ErrWebhookForbidden):
		webhookReply(w, http.StatusForbidden, map[string]any{"message": "The request failed the webhook's authentication"})
	case errors.Is(err, pipeline.ErrWebhookPayload):
		webhookReply(w, http.StatusBadRequest, map[string]any{"message": err.Error()})
	case errors.As(err, &se):
		status := http.StatusBadRequest
		if strings.HasSuffix(se.Code, "NotFoundException") {
			status = http.StatusNotFound
		}
		webhookReply(w, status, map[string]any{"__type": se.Code, "message": se.Message})
	default:
		h.log.Error("webhook trigger", "path", r.URL.Path, "err", err)
		webhookReply(w, http.StatusServiceUnavailable, map[string]any{"message": "The webhook could not be processed; try again"})
	}
}

func webhookReply(w http.ResponseWriter, status int, body map[string]any) {
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
