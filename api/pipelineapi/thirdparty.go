package pipelineapi

import (
	"context"

	"stepline/pipeline"
	"stepline/pipeline/plan"
)

func (h *handlers) pollForThirdPartyJobs(ctx context.Context, in *PollForThirdPartyJobsInput) (*PollForThirdPartyJobsOutput, error) {
	jobs, err := h.s.PollForThirdPartyJobs(ctx, in.ActionTypeId.plan(), batchSize(in.MaxBatchSize))
	if err != nil {
		return nil, err
	}
	out := &PollForThirdPartyJobsOutput{Jobs: []ThirdPartyJob{}}
	for _, j := range jobs {
		out.Jobs = append(out.Jobs, ThirdPartyJob{JobId: str(j.ID), ClientId: str(j.ClientID)})
	}
	return out, nil
}

func (h *handlers) acknowledgeThirdPartyJob(ctx context.Context, in *AcknowledgeThirdPartyJobInput) (*AcknowledgeThirdPartyJobOutput, error) {
	status, err := h.s.AcknowledgeThirdPartyJob(ctx, in.JobId, in.Nonce, in.ClientToken)
	if err != nil {
		return nil, err
	}
	return &AcknowledgeThirdPartyJobOutput{Status: str(status)}, nil
}

// thirdPartyJobData is jobData in the third-party shape: the pipeline context names
// the pipeline, stage and action but not the pipeline's ARN or execution id.
func thirdPartyJobData(j pipeline.WorkerJob) *ThirdPartyJobData {
	d := jobData(j)
	d.PipelineContext.PipelineArn, d.PipelineContext.PipelineExecutionId = nil, nil
	return &ThirdPartyJobData{
		ActionTypeId: d.ActionTypeId, ActionConfiguration: d.ActionConfiguration, PipelineContext: d.PipelineContext,
		InputArtifacts: d.InputArtifacts, OutputArtifacts: d.OutputArtifacts, ContinuationToken: d.ContinuationToken,
	}
}

func (h *handlers) getThirdPartyJobDetails(ctx context.Context, in *GetThirdPartyJobDetailsInput) (*GetThirdPartyJobDetailsOutput, error) {
	j, err := h.s.GetThirdPartyJobDetails(ctx, in.JobId, in.ClientToken)
	if err != nil {
		return nil, err
	}
	return &GetThirdPartyJobDetailsOutput{JobDetails: &ThirdPartyJobDetails{Id: str(j.ID), Nonce: str(j.Nonce), Data: thirdPartyJobData(j)}}, nil
}

func (h *handlers) putThirdPartyJobSuccessResult(ctx context.Context, in *PutThirdPartyJobSuccessResultInput) (*empty, error) {
	var res plan.ActionResult
	if in.ContinuationToken != nil {
		res.ContinuationToken = *in.ContinuationToken
	}
	if d := in.ExecutionDetails; d != nil {
		if d.Summary != nil {
			res.Summary = *d.Summary
		}
		if d.ExternalExecutionId != nil {
			res.ExternalExecutionID = *d.ExternalExecutionId
		}
	}
	revision := ""
	if in.CurrentRevision != nil {
		revision = in.CurrentRevision.Revision
		if res.Summary == "" && in.CurrentRevision.RevisionSummary != nil {
			res.Summary = *in.CurrentRevision.RevisionSummary
		}
	}
	return nil, h.s.PutThirdPartyJobSuccessResult(ctx, in.JobId, in.ClientToken, revision, res)
}

func (h *handlers) putThirdPartyJobFailureResult(ctx context.Context, in *PutThirdPartyJobFailureResultInput) (*empty, error) {
	f := in.FailureDetails
	return nil, h.s.PutThirdPartyJobFailureResult(ctx, in.JobId, in.ClientToken, f.Type, f.Message, deref(f.ExternalExecutionId))
}
