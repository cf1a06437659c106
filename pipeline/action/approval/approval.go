// Package approval is the Manual approval action (Approval/AWS/Manual/1): it parks the
// job until PutApprovalResult answers it with the token GetPipelineState shows.
// https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
package approval

import (
	"context"
	"time"

	"stepline/pipeline/action"
	"stepline/pipeline/plan"
)

// TimeoutDefault is how long an approval waits when the action sets no
// timeoutInMinutes: seven days, CodePipeline's default
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html).
const TimeoutDefault = 7 * 24 * time.Hour

// Provider is the Manual approval provider.
type Provider struct{}

var _ action.Provider = Provider{}

// Run parks the job; the approval ends with the answer, not with Run.
func (Provider) Run(_ context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
	res := plan.ActionResult{}
	if link := job.Configuration["ExternalEntityLink"]; link != "" {
		res.ExternalURL = link
	}
	if data := job.Configuration["CustomData"]; data != "" {
		res.Summary = data
	}
	timeout := TimeoutDefault
	if job.TimeoutMinutes > 0 {
		timeout = time.Duration(job.TimeoutMinutes) * time.Minute
	}
	return action.Outcome{Status: action.Waiting, Result: res, Timeout: timeout}, nil
}
