package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzPipelineControls posts arbitrary values to every control of the pipeline page
// and to the create and JSON forms: each answer is a page (a redirect, or the form
// again with a message), never a server error.
func FuzzPipelineControls(f *testing.F) {
	b := setupOps(f)
	f.Add("stop", "Approve", "x", "wait", "")
	f.Add("retry", "Run", "", "ALL_ACTIONS", "")
	f.Add("review", "Approve", "Review", "Approved", "00000000-0000-4000-8000-000000000000")
	f.Add("transition", "Run", "", "", "Freeze")
	f.Add("rollback", "Run", "", "", "00000000-0000-4000-8000-000000000000")
	f.Add("override", "Run", "x", "BEFORE_ENTRY", "")
	f.Add("json", "", "", "", `{"name": "ops", "stages": [}`)
	f.Add("new/pipeline", "\x00", "Invoke", "StepFunctions", "arn:aws:states:::stateMachine:x")
	f.Fuzz(func(t *testing.T, control, stage, action, mode, text string) {
		form := url.Values{"stage": {stage}, "action": {action}, "execution": {action}, "mode": {mode}, "status": {mode},
			"token": {text}, "reason": {text}, "summary": {text}, "enable": {mode}, "declaration": {text},
			"name": {stage}, "source": {mode}, "bucket": {action}, "key": {text}, "provider": {mode}, "statemachine": {text}, "with": {mode},
			"target": {text}, "type": {mode}}
		path := "/_console/pipelines/ops/" + url.PathEscape(control)
		if control == "new/pipeline" {
			path = "/_console/new/pipeline"
		}
		w := b.post(t, path, form)
		if w.Code >= http.StatusInternalServerError {
			t.Fatalf("%s: status %d: %s", path, w.Code, w.Body.String())
		}
	})
}
