// Package approval is the Manual approval action (Approval/AWS/Manual/1): it parks the
// job until PutApprovalResult answers it with the token GetPipelineState shows.
// https://docs.aws.amazon.com/codepipeline/latest/userguide/approvals.html
package approval

import (
	"context"

	"stepline/pipeline/action"
	"stepline/pipeline/plan"
)

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
	return action.Outcome{Status: action.Waiting, Result: res}, nil
}
