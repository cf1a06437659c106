package pipelineapi

import (
	"context"
	"sort"
	"time"

	"stepline/api/awsjson"
	"stepline/pipeline"
	"stepline/pipeline/plan"
)

func (h *handlers) startPipelineExecution(ctx context.Context, in *StartPipelineExecutionInput) (*StartPipelineExecutionOutput, error) {
	var vars map[string]string
	if len(in.Variables) > 0 {
		vars = map[string]string{}
		for _, v := range in.Variables {
			vars[v.Name] = v.Value
		}
	}
	token := ""
	if in.ClientRequestToken != nil {
		token = *in.ClientRequestToken
	}
	var revs []plan.SourceRevision
	for _, r := range in.SourceRevisions {
		revs = append(revs, plan.SourceRevision{ActionName: r.ActionName, RevisionType: r.RevisionType, RevisionValue: r.RevisionValue})
	}
	id, err := h.s.StartPipelineExecution(ctx, in.Name, vars, token, revs)
	if err != nil {
		return nil, err
	}
	return &StartPipelineExecutionOutput{PipelineExecutionId: &id}, nil
}

func (h *handlers) stopPipelineExecution(ctx context.Context, in *StopPipelineExecutionInput) (*StopPipelineExecutionOutput, error) {
	abandon := in.Abandon != nil && *in.Abandon
	reason := ""
	if in.Reason != nil {
		reason = *in.Reason
	}
	if err := h.s.StopPipelineExecution(ctx, in.PipelineName, in.PipelineExecutionId, abandon, reason); err != nil {
		return nil, err
	}
	return &StopPipelineExecutionOutput{PipelineExecutionId: &in.PipelineExecutionId}, nil
}

func (h *handlers) retryStageExecution(ctx context.Context, in *RetryStageExecutionInput) (*RetryStageExecutionOutput, error) {
	if err := h.s.RetryStageExecution(ctx, in.PipelineName, in.StageName, in.PipelineExecutionId, in.RetryMode); err != nil {
		return nil, err
	}
	return &RetryStageExecutionOutput{PipelineExecutionId: &in.PipelineExecutionId}, nil
}

func (h *handlers) disableStageTransition(ctx context.Context, in *DisableStageTransitionInput) (*empty, error) {
	return nil, h.s.SetStageTransition(ctx, in.PipelineName, in.StageName, in.TransitionType, false, in.Reason)
}

func (h *handlers) enableStageTransition(ctx context.Context, in *EnableStageTransitionInput) (*empty, error) {
	return nil, h.s.SetStageTransition(ctx, in.PipelineName, in.StageName, in.TransitionType, true, "")
}

func (h *handlers) putApprovalResult(ctx context.Context, in *PutApprovalResultInput) (*PutApprovalResultOutput, error) {
	if err := h.s.PutApprovalResult(ctx, in.PipelineName, in.StageName, in.ActionName, in.Result.Status, in.Result.Summary, in.Token); err != nil {
		return nil, err
	}
	return &PutApprovalResultOutput{ApprovedAt: tm(time.Now())}, nil
}

func executionWire(name string, snap pipeline.Snapshot, e *plan.Execution) *PipelineExecution {
	out := &PipelineExecution{
		PipelineName: str(name), PipelineVersion: i32(e.PipelineVersion), PipelineExecutionId: str(e.ID),
		Status: str(e.Status), StatusSummary: str(e.StatusSummary),
		Trigger:       &ExecutionTrigger{TriggerType: str(e.Trigger.Type), TriggerDetail: str(e.Trigger.Detail)},
		ExecutionMode: str(snap.Pipeline.Mode()), ExecutionType: str(e.ExecutionType()), RollbackMetadata: rollbackMetadata(e),
	}
	for _, k := range sortedKeys(e.Variables) {
		out.Variables = append(out.Variables, ResolvedPipelineVariable{Name: str(k), ResolvedValue: str(e.Variables[k])})
	}
	for _, r := range sourceRuns(snap, e) {
		for _, o := range r.Result.OutputArtifacts {
			out.ArtifactRevisions = append(out.ArtifactRevisions, ArtifactRevision{
				Name: str(o.Name), RevisionId: str(o.Revision), RevisionSummary: str(r.Result.Summary), Created: tm(r.Updated),
			})
		}
	}
	return out
}

// sourceRuns are the succeeded runs of the execution's first stage, whose artifacts
// are the revisions the execution carries (a rollback's are its target's).
func sourceRuns(snap pipeline.Snapshot, e *plan.Execution) []*plan.ActionRun {
	if len(snap.Pipeline.Stages) == 0 {
		return nil
	}
	var out []*plan.ActionRun
	for _, a := range snap.Pipeline.Stages[0].Actions {
		if r := e.Produced(snap.Pipeline.Stages[0].Name, a.Name); r != nil && r.Status == plan.StatusSucceeded {
			out = append(out, r)
		}
	}
	return out
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (h *handlers) getPipelineExecution(ctx context.Context, in *GetPipelineExecutionInput) (*GetPipelineExecutionOutput, error) {
	e, snap, err := h.s.Execution(ctx, in.PipelineName, in.PipelineExecutionId)
	if err != nil {
		return nil, err
	}
	return &GetPipelineExecutionOutput{PipelineExecution: executionWire(in.PipelineName, snap, e)}, nil
}

// executionToken is the cursor of ListPipelineExecutions and ListActionExecutions:
// the ExecutionCursor before which the next page starts and, for action executions,
// how many of that execution's actions were already listed.
type executionToken struct {
	Before string `json:"b"`
	Skip   int    `json:"s,omitempty"`
}

func (h *handlers) decodeExecutionToken(token *string) (executionToken, error) {
	var tok executionToken
	if token != nil && *token != "" {
		if err := awsjson.DecodeToken(h.key, *token, time.Now(), 0, &tok); err != nil || tok.Skip < 0 {
			return tok, invalidToken()
		}
	}
	return tok, nil
}

func pageSize(maxResults *int32) int {
	if maxResults != nil && *maxResults > 0 {
		return int(*maxResults)
	}
	return 100
}

func (h *handlers) listPipelineExecutions(ctx context.Context, in *ListPipelineExecutionsInput) (*ListPipelineExecutionsOutput, error) {
	tok, err := h.decodeExecutionToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	p := pipeline.ExecutionPageParams{Before: tok.Before, Limit: pageSize(in.MaxResults)}
	if in.Filter != nil && in.Filter.SucceededInStage != nil && in.Filter.SucceededInStage.StageName != nil {
		stage := *in.Filter.SucceededInStage.StageName
		p.Filter = func(e *plan.Execution) bool { return stageSucceeded(e, stage) }
	}
	pg, err := h.s.ListExecutions(ctx, in.PipelineName, p)
	if err != nil {
		return nil, err
	}
	snap := pg.Snapshot
	out := &ListPipelineExecutionsOutput{PipelineExecutionSummaries: []PipelineExecutionSummary{}}
	if pg.Next != "" {
		next := awsjson.EncodeToken(h.key, executionToken{Before: pg.Next}, time.Now())
		out.NextToken = &next
	}
	for _, e := range pg.Executions {
		s := PipelineExecutionSummary{
			PipelineExecutionId: str(e.ID), Status: str(e.Status), StatusSummary: str(e.StatusSummary),
			StartTime: tm(e.StartTime), LastUpdateTime: tm(e.LastUpdateTime),
			Trigger:       &ExecutionTrigger{TriggerType: str(e.Trigger.Type), TriggerDetail: str(e.Trigger.Detail)},
			ExecutionMode: str(snap.Pipeline.Mode()), ExecutionType: str(e.ExecutionType()), RollbackMetadata: rollbackMetadata(e),
		}
		for _, r := range sourceRuns(snap, e) {
			rev := ""
			if len(r.Result.OutputArtifacts) > 0 {
				rev = r.Result.OutputArtifacts[0].Revision
			}
			s.SourceRevisions = append(s.SourceRevisions, SourceRevision{ActionName: r.Action, RevisionId: str(rev), RevisionSummary: str(r.Result.Summary)})
		}
		if e.StopReason != "" || e.Status == plan.StatusStopped || e.Status == plan.StatusStopping {
			s.StopTrigger = &StopExecutionTrigger{Reason: str(e.StopReason)}
		}
		out.PipelineExecutionSummaries = append(out.PipelineExecutionSummaries, s)
	}
	return out, nil
}

// stageSucceeded is true when the latest run of every action of the named stage
// succeeded; stages are matched by name, as the declaration may have changed since.
func stageSucceeded(e *plan.Execution, stage string) bool {
	latest := map[string]string{}
	for _, r := range e.Actions {
		if r.Stage == stage {
			latest[r.Action] = r.Status
		}
	}
	for _, st := range latest {
		if st != plan.StatusSucceeded {
			return false
		}
	}
	return len(latest) > 0
}

func (h *handlers) listActionExecutions(ctx context.Context, in *ListActionExecutionsInput) (*ListActionExecutionsOutput, error) {
	tok, err := h.decodeExecutionToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	want := ""
	if f := in.Filter; f != nil {
		if f.PipelineExecutionId != nil {
			want = *f.PipelineExecutionId
		} else if f.LatestInPipelineExecution != nil {
			want = f.LatestInPipelineExecution.PipelineExecutionId
		}
	}
	limit := pageSize(in.MaxResults)
	out := &ListActionExecutionsOutput{ActionExecutionDetails: []ActionExecutionDetail{}}
	if want != "" {
		e, snap, err := h.s.Execution(ctx, in.PipelineName, want)
		if err != nil {
			return nil, err
		}
		runs := newestFirst(e.Actions)
		if tok.Skip > len(runs) {
			return nil, invalidToken()
		}
		runs = runs[tok.Skip:]
		if len(runs) > limit {
			runs = runs[:limit]
			next := awsjson.EncodeToken(h.key, executionToken{Skip: tok.Skip + limit}, time.Now())
			out.NextToken = &next
		}
		for _, r := range runs {
			out.ActionExecutionDetails = append(out.ActionExecutionDetails, actionDetail(snap, e, r))
		}
		return out, nil
	}
	before, skip := tok.Before, tok.Skip
	for {
		pg, err := h.s.ListExecutions(ctx, in.PipelineName, pipeline.ExecutionPageParams{Before: before, Limit: limit + 1})
		if err != nil {
			return nil, err
		}
		for _, e := range pg.Executions {
			runs := newestFirst(e.Actions)
			if skip > len(runs) {
				return nil, invalidToken()
			}
			for i := skip; i < len(runs); i++ {
				if len(out.ActionExecutionDetails) == limit {
					next := awsjson.EncodeToken(h.key, executionToken{Before: before, Skip: i}, time.Now())
					out.NextToken = &next
					return out, nil
				}
				out.ActionExecutionDetails = append(out.ActionExecutionDetails, actionDetail(pg.Snapshot, e, runs[i]))
			}
			skip, before = 0, pipeline.ExecutionCursor(e)
		}
		if pg.Next == "" {
			return out, nil
		}
	}
}

func newestFirst(runs []*plan.ActionRun) []*plan.ActionRun {
	out := make([]*plan.ActionRun, 0, len(runs))
	for i := len(runs) - 1; i >= 0; i-- {
		out = append(out, runs[i])
	}
	return out
}

func actionDetail(snap pipeline.Snapshot, e *plan.Execution, run *plan.ActionRun) ActionExecutionDetail {
	d := ActionExecutionDetail{
		PipelineExecutionId: str(e.ID), ActionExecutionId: str(run.ID), PipelineVersion: i32(e.PipelineVersion),
		StageName: str(run.Stage), ActionName: str(run.Action), StartTime: tm(run.StartTime), LastUpdateTime: tm(run.Updated),
		UpdatedBy: str(run.Result.UpdatedBy), Status: str(run.Status),
	}
	if i := snap.Pipeline.StageIndex(run.Stage); i >= 0 {
		for _, a := range snap.Pipeline.Stages[i].Actions {
			if a.Name != run.Action {
				continue
			}
			id := a.ActionTypeID
			d.Input = &ActionExecutionInput{
				ActionTypeId:          &ActionTypeId{Category: id.Category, Owner: id.Owner, Provider: id.Provider, Version: id.Version},
				Configuration:         a.Configuration,
				ResolvedConfiguration: pipeline.ResolveConfiguration(snap.Pipeline, e, a.Configuration),
				RoleArn:               str(a.RoleARN), Region: str(a.Region), Namespace: str(a.Namespace),
			}
		}
	}
	res := run.Result
	out := &ActionExecutionOutput{OutputVariables: res.OutputVariables, ExecutionResult: &ActionExecutionResult{
		ExternalExecutionId: str(res.ExternalExecutionID), ExternalExecutionSummary: str(res.Summary),
		ExternalExecutionUrl: str(res.ExternalURL),
	}}
	if res.ErrorCode != "" || res.ErrorMessage != "" {
		out.ExecutionResult.ErrorDetails = &ErrorDetails{Code: str(res.ErrorCode), Message: str(res.ErrorMessage)}
	}
	for _, o := range res.OutputArtifacts {
		out.OutputArtifacts = append(out.OutputArtifacts, ArtifactDetail{Name: str(o.Name), S3location: &S3Location{Bucket: str(o.Bucket), Key: str(o.Key)}})
	}
	d.Output = out
	return d
}
