// Package action is the seam between the pipeline engine and the providers that carry
// out actions (Manual approval, Step Functions invoke, S3 source, ...). A provider sees
// one Job at a time and reports how it ended; the engine owns state, retries after a
// crash and persistence, so providers hold no state of their own.
package action

import (
	"context"
	"io"
	"time"

	"stepline/pipeline/plan"
)

// Outcomes a provider reports.
const (
	// Succeeded and Failed end the action.
	Succeeded = plan.StatusSucceeded
	Failed    = plan.StatusFailed
	// Waiting means the action ends later through another call (PutApprovalResult):
	// the engine parks the job and does not run it again.
	Waiting = "Waiting"
)

// Job is one action execution handed to a provider.
type Job struct {
	PipelineName      string
	PipelineARN       string
	ExecutionID       string
	ActionExecutionID string
	Stage             string
	Action            string
	Account           string
	Region            string
	Partition         string
	TypeID            plan.ActionTypeID
	// Configuration has the action's configuration with #{namespace.variable}
	// references resolved.
	Configuration map[string]string
	// InputArtifacts are where the declared input artifacts were stored.
	InputArtifacts []plan.ArtifactLocation
	// OutputArtifacts are where the provider should put each declared output.
	OutputArtifacts []plan.ArtifactLocation
	TimeoutMinutes  int
	// SourceRevision, for a source action, is the revision StartPipelineExecution
	// asked for instead of the latest; nil means the latest.
	SourceRevision *plan.SourceRevision
}

// Outcome is how a job ended (or that it waits).
type Outcome struct {
	Status string
	Result plan.ActionResult
	// Timeout bounds a Waiting job: when it passes unanswered the action fails.
	Timeout time.Duration
}

// Provider runs jobs of one action type. Run may be called again for the same job
// after a restart, so it must be idempotent: a Step Functions invoke uses a name
// derived from the action execution id, which Step Functions deduplicates. report
// records progress (an external execution id) before the job ends.
type Provider interface {
	Run(ctx context.Context, job Job, report func(plan.ActionResult)) (Outcome, error)
}

// ProviderFunc adapts a function to Provider.
type ProviderFunc func(ctx context.Context, job Job, report func(plan.ActionResult)) (Outcome, error)

// Run calls f.
func (f ProviderFunc) Run(ctx context.Context, job Job, report func(plan.ActionResult)) (Outcome, error) {
	return f(ctx, job, report)
}

// Artifacts is the part of an S3-compatible object store that artifact handling
// needs; Objects adapts the objects package to it.
type Artifacts interface {
	// GetObject returns an object's bytes (version "" for the latest) and what is
	// known about that version.
	GetObject(ctx context.Context, bucket, key, version string) (io.ReadCloser, ObjectInfo, error)
	// PutObject stores an object and returns its version id ("" if unversioned).
	PutObject(ctx context.Context, bucket, key string, body []byte) (string, error)
}

// ObjectInfo describes one object version.
type ObjectInfo struct {
	VersionID string
	ETag      string
	Metadata  map[string]string // user metadata, lower-case names without x-amz-meta-
}

// Fail is a failed outcome with CodePipeline's JobFailed error code.
func Fail(message string) Outcome {
	return Outcome{Status: Failed, Result: plan.ActionResult{ErrorCode: "JobFailed", ErrorMessage: message}}
}
