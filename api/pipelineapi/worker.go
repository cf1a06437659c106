package pipelineapi

import (
	"context"

	"stepline/pipeline"
	"stepline/pipeline/plan"
)

func (h *handlers) createCustomActionType(ctx context.Context, in *CreateCustomActionTypeInput) (*CreateCustomActionTypeOutput, error) {
	t := pipeline.CustomActionType{
		ID:    plan.ActionTypeID{Category: in.Category, Owner: "Custom", Provider: in.Provider, Version: in.Version},
		MinIn: int(in.InputArtifactDetails.MinimumCount), MaxIn: int(in.InputArtifactDetails.MaximumCount),
		MinOut: int(in.OutputArtifactDetails.MinimumCount), MaxOut: int(in.OutputArtifactDetails.MaximumCount),
	}
	if st := in.Settings; st != nil {
		t.Settings = map[string]string{}
		for k, v := range map[string]*string{
			"thirdPartyConfigurationUrl": st.ThirdPartyConfigurationUrl, "entityUrlTemplate": st.EntityUrlTemplate,
			"executionUrlTemplate": st.ExecutionUrlTemplate, "revisionUrlTemplate": st.RevisionUrlTemplate,
		} {
			if v != nil {
				t.Settings[k] = *v
			}
		}
	}
	for _, p := range in.ConfigurationProperties {
		cp := pipeline.ConfigurationProperty{Name: p.Name, Required: p.Required, Key: p.Key, Secret: p.Secret}
		if p.Queryable != nil {
			cp.Queryable = *p.Queryable
		}
		if p.Description != nil {
			cp.Description = *p.Description
		}
		if p.Type != nil {
			cp.Type = *p.Type
		}
		t.ConfigurationProperties = append(t.ConfigurationProperties, cp)
	}
	out, err := h.s.CreateCustomActionType(ctx, t)
	if err != nil {
		return nil, err
	}
	return &CreateCustomActionTypeOutput{ActionType: customWire(out), Tags: in.Tags}, nil
}

func customWire(t pipeline.CustomActionType) ActionType {
	at := ActionType{
		Id:                    ActionTypeId{Category: t.ID.Category, Owner: t.ID.Owner, Provider: t.ID.Provider, Version: t.ID.Version},
		InputArtifactDetails:  ArtifactDetails{MinimumCount: int32(t.MinIn), MaximumCount: int32(t.MaxIn)},
		OutputArtifactDetails: ArtifactDetails{MinimumCount: int32(t.MinOut), MaximumCount: int32(t.MaxOut)},
	}
	if len(t.Settings) > 0 {
		at.Settings = &ActionTypeSettings{
			ThirdPartyConfigurationUrl: str(t.Settings["thirdPartyConfigurationUrl"]), EntityUrlTemplate: str(t.Settings["entityUrlTemplate"]),
			ExecutionUrlTemplate: str(t.Settings["executionUrlTemplate"]), RevisionUrlTemplate: str(t.Settings["revisionUrlTemplate"]),
		}
	}
	for _, p := range t.ConfigurationProperties {
		q := p.Queryable
		at.ActionConfigurationProperties = append(at.ActionConfigurationProperties, ActionConfigurationProperty{
			Name: p.Name, Required: p.Required, Key: p.Key, Secret: p.Secret, Queryable: &q, Description: str(p.Description), Type: str(p.Type),
		})
	}
	return at
}

func (h *handlers) deleteCustomActionType(ctx context.Context, in *DeleteCustomActionTypeInput) (*empty, error) {
	return nil, h.s.DeleteCustomActionType(ctx, plan.ActionTypeID{Category: in.Category, Owner: "Custom", Provider: in.Provider, Version: in.Version})
}

func jobData(j pipeline.WorkerJob) *JobData {
	job := j.Job
	d := &JobData{
		ActionTypeId:        &ActionTypeId{Category: job.TypeID.Category, Owner: job.TypeID.Owner, Provider: job.TypeID.Provider, Version: job.TypeID.Version},
		ActionConfiguration: &ActionConfiguration{Configuration: job.Configuration},
		PipelineContext: &PipelineContext{
			PipelineName: str(job.PipelineName), Stage: &StageContext{Name: str(job.Stage)},
			Action:      &ActionContext{Name: str(job.Action), ActionExecutionId: str(job.ActionExecutionID)},
			PipelineArn: str(job.PipelineARN), PipelineExecutionId: str(job.ExecutionID),
		},
		ContinuationToken: str(j.ContinuationToken),
	}
	art := func(l plan.ArtifactLocation) Artifact {
		return Artifact{Name: str(l.Name), Revision: str(l.Revision), Location: &ArtifactLocation{
			Type: str("S3"), S3Location: &S3ArtifactLocation{BucketName: l.Bucket, ObjectKey: l.Key},
		}}
	}
	for _, l := range job.InputArtifacts {
		d.InputArtifacts = append(d.InputArtifacts, art(l))
	}
	for _, l := range job.OutputArtifacts {
		d.OutputArtifacts = append(d.OutputArtifacts, art(l))
	}
	return d
}

func (h *handlers) pollForJobs(ctx context.Context, in *PollForJobsInput) (*PollForJobsOutput, error) {
	jobs, err := h.s.PollForJobs(ctx, in.ActionTypeId.plan(), batchSize(in.MaxBatchSize))
	if err != nil {
		return nil, err
	}
	out := &PollForJobsOutput{Jobs: []Job{}}
	for _, j := range jobs {
		out.Jobs = append(out.Jobs, Job{Id: str(j.ID), Nonce: str(j.Nonce), AccountId: str(j.Account), Data: jobData(j)})
	}
	return out, nil
}

func (h *handlers) acknowledgeJob(ctx context.Context, in *AcknowledgeJobInput) (*AcknowledgeJobOutput, error) {
	status, err := h.s.AcknowledgeJob(ctx, in.JobId, in.Nonce)
	if err != nil {
		return nil, err
	}
	return &AcknowledgeJobOutput{Status: str(status)}, nil
}

func (h *handlers) getJobDetails(ctx context.Context, in *GetJobDetailsInput) (*GetJobDetailsOutput, error) {
	j, err := h.s.GetJobDetails(ctx, in.JobId)
	if err != nil {
		return nil, err
	}
	return &GetJobDetailsOutput{JobDetails: &JobDetails{Id: str(j.ID), AccountId: str(j.Account), Data: jobData(j)}}, nil
}

func (h *handlers) putJobSuccessResult(ctx context.Context, in *PutJobSuccessResultInput) (*empty, error) {
	res := plan.ActionResult{OutputVariables: in.OutputVariables}
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
	return nil, h.s.PutJobSuccessResult(ctx, in.JobId, res)
}

func (h *handlers) putJobFailureResult(ctx context.Context, in *PutJobFailureResultInput) (*empty, error) {
	ext := ""
	if in.FailureDetails.ExternalExecutionId != nil {
		ext = *in.FailureDetails.ExternalExecutionId
	}
	return nil, h.s.PutJobFailureResult(ctx, in.JobId, in.FailureDetails.Type, in.FailureDetails.Message, ext)
}

// plan is the action type id in the service's terms.
func (t ActionTypeId) plan() plan.ActionTypeID {
	return plan.ActionTypeID{Category: t.Category, Owner: t.Owner, Provider: t.Provider, Version: t.Version}
}

// batchSize is a poll's maxBatchSize, 1 when not given (AWS's default).
func batchSize(max *int32) int {
	if max == nil {
		return 1
	}
	return int(*max)
}
