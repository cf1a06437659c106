package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"stepline"
	"stepline/pipeline"
	"stepline/pipeline/plan"
)

// The pipeline page's controls: stop an execution, retry a failed stage, review a
// manual approval, disable or enable a transition. Each is a small form inside the
// stage (or transition) it acts on; it posts, and on success goes back to the page
// with a notice, on failure shows the page again with the service's message next to
// the form that caused it, the form left open with what was typed.

// formState names the form an error belongs to and what was typed in it.
type formState struct {
	Kind   string // "stop", "stop-inbound", "retry", "review", "transition", "rollback", "override"
	Stage  string
	Action string // the action reviewed; the condition type overridden
	Error  string
	Reason string // the comment or reason typed; the rollback's target
}

// At reports whether the form is the one of kind for stage (and action), so the
// template opens it and puts the error beside it.
func (f formState) At(kind, stage, action string) bool {
	return f.Kind == kind && f.Stage == stage && f.Action == action
}

// notices are the messages a successful control leaves on the page, by the done= key
// of the redirect, so the text cannot be injected through the address.
var notices = map[string]string{
	"stop":     "Stop requested.",
	"abandon":  "Stop requested: running actions were abandoned.",
	"retry":    "Retry started.",
	"approved": "Approved.",
	"rejected": "Rejected.",
	"disabled": "Transition disabled.",
	"enabled":  "Transition enabled.",
	"rollback": "Rollback started.",
	"override": "Condition overridden.",
	"updated":  "Pipeline updated: this is its new version.",
	"created":  "Pipeline created. Its first execution has started.",
}

// maxCommentLen bounds the comments the forms send: StopPipelineExecution's reason is
// at most 200 characters, an approval's summary 512.
const (
	maxStopReason   = 200
	maxApprovalNote = 512
	maxDisableNote  = 300
)

// disableReasonPattern is DisableStageTransition's reason pattern
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_DisableStageTransition.html).
var disableReasonPattern = regexp.MustCompile(`^[a-zA-Z0-9!@ ()\.\*\?\-]+$`)

// actionDone goes back to the pipeline page with a notice.
func actionDone(w http.ResponseWriter, r *http.Request, done string) {
	http.Redirect(w, r, pipelineURL(r.PathValue("name"))+"?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// actionFailed shows the page again with err next to the form; errors that are not the
// user's (a store failure) go to the error page as any other.
func (c *Console) actionFailed(w http.ResponseWriter, r *http.Request, f formState, err error) error {
	var se *stepline.Error
	if !errors.As(err, &se) {
		return err
	}
	if strings.HasSuffix(se.Code, "PipelineNotFoundException") {
		return err
	}
	f.Error = se.Message
	return c.renderPipeline(w, r, http.StatusBadRequest, pipelineOpts{Form: f})
}

// invalid is a form error found before calling the service.
func invalid(msg string) error { return &stepline.Error{Code: plan.CodeValidation, Message: msg} }

// pipelineStop is "Stop execution": stop and wait, or stop and abandon, with an
// optional comment.
func (c *Console) pipelineStop(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	f := formState{Kind: "stop", Stage: r.PostFormValue("stage"), Reason: r.PostFormValue("reason")}
	if r.PostFormValue("at") == "inbound" {
		f.Kind = "stop-inbound" // the form on the transition, for an execution waiting there
	}
	abandon := r.PostFormValue("mode") == "abandon"
	switch {
	case r.PostFormValue("mode") != "wait" && !abandon:
		err = invalid("Choose Stop and wait or Stop and abandon.")
	case utf8.RuneCountInString(f.Reason) > maxStopReason:
		err = invalid("The comment can be at most 200 characters long.")
	default:
		err = svc.StopPipelineExecution(r.Context(), r.PathValue("name"), r.PostFormValue("execution"), abandon, f.Reason)
	}
	if err != nil {
		return c.actionFailed(w, r, f, err)
	}
	if abandon {
		actionDone(w, r, "abandon")
	} else {
		actionDone(w, r, "stop")
	}
	return nil
}

// pipelineRetry is "Retry stage" (ALL_ACTIONS) and "Retry failed actions"
// (FAILED_ACTIONS) on a failed or stopped stage.
func (c *Console) pipelineRetry(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	f := formState{Kind: "retry", Stage: r.PostFormValue("stage")}
	mode := r.PostFormValue("mode")
	if mode != "FAILED_ACTIONS" && mode != "ALL_ACTIONS" {
		err = invalid("Choose Retry stage or Retry failed actions.")
	} else {
		err = svc.RetryStageExecution(r.Context(), r.PathValue("name"), f.Stage, r.PostFormValue("execution"), mode)
	}
	if err != nil {
		return c.actionFailed(w, r, f, err)
	}
	actionDone(w, r, "retry")
	return nil
}

// pipelineReview answers a manual approval with the token GetPipelineState gives.
func (c *Console) pipelineReview(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	f := formState{Kind: "review", Stage: r.PostFormValue("stage"), Action: r.PostFormValue("action"), Reason: r.PostFormValue("summary")}
	status := r.PostFormValue("status")
	switch {
	case status != "Approved" && status != "Rejected":
		err = invalid("Choose Approve or Reject.")
	case utf8.RuneCountInString(f.Reason) > maxApprovalNote:
		err = invalid("The comment can be at most 512 characters long.")
	default:
		err = svc.PutApprovalResult(r.Context(), r.PathValue("name"), f.Stage, f.Action, status, f.Reason, r.PostFormValue("token"))
	}
	if err != nil {
		return c.actionFailed(w, r, f, err)
	}
	actionDone(w, r, strings.ToLower(status))
	return nil
}

// pipelineTransition disables (with a reason) or enables a stage's inbound transition.
func (c *Console) pipelineTransition(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	f := formState{Kind: "transition", Stage: r.PostFormValue("stage"), Reason: r.PostFormValue("reason")}
	enable := r.PostFormValue("enable") == "true"
	switch {
	case enable:
		err = svc.SetStageTransition(r.Context(), r.PathValue("name"), f.Stage, "Inbound", true, "")
	case f.Reason == "":
		err = invalid("Enter a reason for disabling the transition.")
	case utf8.RuneCountInString(f.Reason) > maxDisableNote:
		err = invalid("The reason can be at most 300 characters long.")
	case !disableReasonPattern.MatchString(f.Reason):
		err = invalid("The reason may contain only letters, digits, spaces and ! @ ( ) . * ? -")
	default:
		err = svc.SetStageTransition(r.Context(), r.PathValue("name"), f.Stage, "Inbound", false, f.Reason)
	}
	if err != nil {
		return c.actionFailed(w, r, f, err)
	}
	if enable {
		actionDone(w, r, "enabled")
	} else {
		actionDone(w, r, "disabled")
	}
	return nil
}

// pipelinePollResponse is what the pipeline page's script reads every few seconds.
// State changes whenever anything the page shows changes; the script then fetches
// the page and swaps its live part in place.
type pipelinePollResponse struct {
	State   string       `json:"state"`
	Active  bool         `json:"active"` // an execution runs
	Stages  []pollStatus `json:"stages"` // each stage's status, in order
	Version int          `json:"version"`
}

// pipelinePoll answers the pipeline page's script.
func (c *Console) pipelinePoll(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	snap, err := svc.State(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	resp := pipelinePollResponse{State: stateFingerprint(snap), Version: snap.Pipeline.Version, Stages: []pollStatus{}}
	for _, e := range snap.Runtime.Executions {
		resp.Active = resp.Active || e.Active()
	}
	for _, sv := range stageViews(snap) {
		st := statusOf(sv.Status)
		resp.Stages = append(resp.Stages, pollStatus{Text: st.Text, Tone: st.Tone, Icon: st.Icon})
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// stateFingerprint changes whenever anything the pipeline page shows changes: the
// runtime (executions, transitions) or the declaration's version. The page carries the
// one it was rendered from, so a change between rendering and the first poll is seen.
func stateFingerprint(snap pipeline.Snapshot) string {
	b, err := json.Marshal(struct {
		RT      plan.Runtime
		Version int
	}{snap.Runtime, snap.Pipeline.Version})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// declarationJSON is the declaration as GetPipeline returns it, indented for reading.
func declarationJSON(p plan.Pipeline) string {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return ""
	}
	return string(b)
}
