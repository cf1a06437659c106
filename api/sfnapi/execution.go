package sfnapi

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"stepline/api/awsjson"
	"stepline/sfn"
)

// execHandlers serves the execution, activity-task and map-run operations.
type execHandlers struct{ s *sfn.Service }

// registerExecutionOps adds the operations on executions, activity tasks, map runs
// and TestState.
func registerExecutionOps(svc *awsjson.Service, s *sfn.Service) {
	h := &execHandlers{s: s}
	awsjson.Handle(svc, "StartExecution", h.startExecution)
	awsjson.Handle(svc, "StartSyncExecution", h.startSyncExecution)
	awsjson.Handle(svc, "DescribeExecution", h.describeExecution)
	awsjson.Handle(svc, "DescribeStateMachineForExecution", h.describeStateMachineForExecution)
	awsjson.Handle(svc, "ListExecutions", h.listExecutions)
	awsjson.Handle(svc, "GetExecutionHistory", h.getExecutionHistory)
	awsjson.Handle(svc, "StopExecution", h.stopExecution)
	awsjson.Handle(svc, "RedriveExecution", h.redriveExecution)
	awsjson.Handle(svc, "GetActivityTask", h.getActivityTask)
	awsjson.Handle(svc, "SendTaskSuccess", h.sendTaskSuccess)
	awsjson.Handle(svc, "SendTaskFailure", h.sendTaskFailure)
	awsjson.Handle(svc, "SendTaskHeartbeat", h.sendTaskHeartbeat)
	awsjson.Handle(svc, "DescribeMapRun", h.describeMapRun)
	awsjson.Handle(svc, "ListMapRuns", h.listMapRuns)
	awsjson.Handle(svc, "UpdateMapRun", h.updateMapRun)
	awsjson.Handle(svc, "TestState", h.testState)
}

func (h *execHandlers) startExecution(ctx context.Context, in *StartExecutionInput) (*StartExecutionOutput, error) {
	res, err := h.s.StartExecution(ctx, sfn.StartExecutionParams{
		StateMachineARN: in.StateMachineArn, Name: deref(in.Name), Input: in.Input, TraceHeader: deref(in.TraceHeader),
	})
	if err != nil {
		return nil, err
	}
	return &StartExecutionOutput{ExecutionArn: res.ExecutionARN, StartDate: awsjson.NewTime(res.StartDate)}, nil
}

func (h *execHandlers) startSyncExecution(ctx context.Context, in *StartSyncExecutionInput) (*StartSyncExecutionOutput, error) {
	res, err := h.s.StartSyncExecution(ctx, sfn.StartExecutionParams{
		StateMachineARN: in.StateMachineArn, Name: deref(in.Name), Input: in.Input, TraceHeader: deref(in.TraceHeader),
	})
	if err != nil {
		return nil, err
	}
	out := &StartSyncExecutionOutput{
		ExecutionArn: res.ExecutionARN, StateMachineArn: ptr(res.StateMachineARN), Name: ptr(res.Name),
		StartDate: awsjson.NewTime(res.StartDate), StopDate: awsjson.NewTime(res.StopDate), Status: res.Status,
		Error: optString(res.Error), Cause: optString(res.Cause), Output: res.Output,
		TraceHeader: optString(res.TraceHeader),
		BillingDetails: &BillingDetails{
			BilledMemoryUsedInMB: ptr(res.BilledMemoryMB), BilledDurationInMilliseconds: ptr(res.BilledDurationMS),
		},
	}
	// includedData=METADATA_ONLY leaves the payloads out (API_StartSyncExecution).
	if deref(in.IncludedData) != "METADATA_ONLY" {
		out.Input, out.InputDetails = ptr(res.Input), included()
		if res.Output != nil {
			out.OutputDetails = included()
		}
	} else {
		out.Output = nil
	}
	return out, nil
}

func included() *CloudWatchEventsExecutionDataDetails {
	return &CloudWatchEventsExecutionDataDetails{Included: ptr(true)}
}

func (h *execHandlers) describeExecution(ctx context.Context, in *DescribeExecutionInput) (*DescribeExecutionOutput, error) {
	ex, err := h.s.DescribeExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	out := &DescribeExecutionOutput{
		ExecutionArn: ex.ARN, StateMachineArn: ex.StateMachineARN, Name: ptr(ex.Name), Status: ex.Status,
		StartDate: awsjson.NewTime(ex.StartDate), Input: ptr(ex.Input), InputDetails: included(),
		TraceHeader: optString(ex.TraceHeader), MapRunArn: optString(ex.MapRunARN),
		Error: optString(ex.Error), Cause: optString(ex.Cause),
		StateMachineVersionArn: optString(ex.VersionARN), StateMachineAliasArn: optString(ex.AliasARN),
		RedriveCount: ptr(int32(ex.RedriveCount)), RedriveStatus: optString(ex.RedriveStatus),
		RedriveStatusReason: optString(ex.RedriveStatusReason),
	}
	if !ex.StopDate.IsZero() {
		out.StopDate = awsjson.TimePtr(ex.StopDate)
	}
	if !ex.RedriveDate.IsZero() {
		out.RedriveDate = awsjson.TimePtr(ex.RedriveDate)
	}
	if ex.Output != nil {
		out.Output, out.OutputDetails = ex.Output, included()
	}
	// includedData=METADATA_ONLY leaves the payloads out (API_DescribeExecution).
	if deref(in.IncludedData) == "METADATA_ONLY" {
		out.Input, out.InputDetails, out.Output, out.OutputDetails = nil, nil, nil, nil
	}
	return out, nil
}

func (h *execHandlers) describeStateMachineForExecution(ctx context.Context, in *DescribeStateMachineForExecutionInput) (*DescribeStateMachineForExecutionOutput, error) {
	res, err := h.s.DescribeStateMachineForExecution(ctx, in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	sm := res.StateMachine
	out := &DescribeStateMachineForExecutionOutput{
		StateMachineArn: sm.ARN, Name: sm.Name, Definition: sm.Definition, RoleArn: sm.RoleARN,
		UpdateDate: awsjson.NewTime(sm.UpdateDate), LoggingConfiguration: loggingOut(sm.Logging),
		TracingConfiguration: tracingOut(sm.Tracing), MapRunArn: optString(res.MapRunARN),
		RevisionId: optString(sm.RevisionID), EncryptionConfiguration: encryptionOut(sm.Encryption),
	}
	if i := strings.IndexByte(sm.Name, '/'); i >= 0 && res.MapRunARN != "" {
		// A Distributed Map's child runs <state machine>/<label>.
		out.Name, out.Label = sm.Name[:i], optString(sm.Name[i+1:])
	}
	return out, nil
}

func (h *execHandlers) listExecutions(ctx context.Context, in *ListExecutionsInput) (*ListExecutionsOutput, error) {
	list, next, err := h.s.ListExecutions(ctx, sfn.ListExecutionsParams{
		StateMachineARN: deref(in.StateMachineArn), MapRunARN: deref(in.MapRunArn), StatusFilter: deref(in.StatusFilter),
		Page: page(in.MaxResults, in.NextToken),
	})
	if err != nil {
		return nil, err
	}
	out := &ListExecutionsOutput{Executions: make([]ExecutionListItem, 0, len(list)), NextToken: optString(next)}
	for _, ex := range list {
		item := ExecutionListItem{
			ExecutionArn: ex.ARN, StateMachineArn: ex.StateMachineARN, Name: ex.Name, Status: ex.Status,
			StartDate: awsjson.NewTime(ex.StartDate), MapRunArn: optString(ex.MapRunARN),
			StateMachineVersionArn: optString(ex.VersionARN), StateMachineAliasArn: optString(ex.AliasARN),
		}
		if !ex.StopDate.IsZero() {
			item.StopDate = awsjson.TimePtr(ex.StopDate)
		}
		if ex.RedriveCount > 0 {
			item.RedriveCount = ptr(int32(ex.RedriveCount))
			item.RedriveDate = awsjson.TimePtr(ex.RedriveDate)
		}
		out.Executions = append(out.Executions, item)
	}
	return out, nil
}

// historyOutput is GetExecutionHistory's response. Events carry the interpreter's
// details verbatim, so the wire shape is written here rather than through the
// generated per-event structs.
type historyOutput struct {
	Events    []historyEvent `json:"events"`
	NextToken *string        `json:"nextToken,omitempty"`
}

// historyEvent is one event on the wire: {"timestamp", "type", "id",
// "previousEventId", "<detailsKey>": {...}}, as AWS writes it.
type historyEvent struct{ e sfn.HistoryEvent }

// MarshalJSON writes the event with its details under the member AWS's HistoryEvent
// shape gives them (see sfn.HistoryDetailsKey).
func (h historyEvent) MarshalJSON() ([]byte, error) {
	ts, err := awsjson.NewTime(h.e.Timestamp).MarshalJSON()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"timestamp":`)
	b.Write(ts)
	b.WriteString(`,"type":`)
	typ, _ := json.Marshal(h.e.Type) // a string
	b.Write(typ)
	b.WriteString(`,"id":`)
	b.WriteString(strconv.FormatInt(h.e.ID, 10))
	b.WriteString(`,"previousEventId":`)
	b.WriteString(strconv.FormatInt(h.e.PreviousEventID, 10))
	if len(h.e.Details) > 0 {
		if key := sfn.HistoryDetailsKey(h.e.Type); key != "" {
			b.WriteString(`,"`)
			b.WriteString(key)
			b.WriteString(`":`)
			b.Write(h.e.Details)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (h *execHandlers) getExecutionHistory(ctx context.Context, in *GetExecutionHistoryInput) (*historyOutput, error) {
	events, next, err := h.s.GetExecutionHistory(ctx, sfn.HistoryParams{
		ExecutionARN: in.ExecutionArn, Page: page(in.MaxResults, in.NextToken), Reverse: deref(in.ReverseOrder),
		OmitData: in.IncludeExecutionData != nil && !*in.IncludeExecutionData,
	})
	if err != nil {
		return nil, err
	}
	out := &historyOutput{Events: make([]historyEvent, len(events)), NextToken: optString(next)}
	for i, e := range events {
		out.Events[i] = historyEvent{e}
	}
	return out, nil
}

func (h *execHandlers) stopExecution(ctx context.Context, in *StopExecutionInput) (*StopExecutionOutput, error) {
	at, err := h.s.StopExecution(ctx, in.ExecutionArn, deref(in.Error), deref(in.Cause))
	if err != nil {
		return nil, err
	}
	return &StopExecutionOutput{StopDate: awsjson.NewTime(at)}, nil
}

func (h *execHandlers) redriveExecution(ctx context.Context, in *RedriveExecutionInput) (*RedriveExecutionOutput, error) {
	at, err := h.s.RedriveExecution(ctx, in.ExecutionArn, deref(in.ClientToken))
	if err != nil {
		return nil, err
	}
	return &RedriveExecutionOutput{RedriveDate: awsjson.NewTime(at)}, nil
}

// Distributed Map runs: sfn/maprun.go.

func (h *execHandlers) describeMapRun(ctx context.Context, in *DescribeMapRunInput) (*DescribeMapRunOutput, error) {
	m, err := h.s.DescribeMapRun(ctx, in.MapRunArn)
	if err != nil {
		return nil, err
	}
	out := &DescribeMapRunOutput{
		MapRunArn: m.ARN, ExecutionArn: m.ExecutionARN, Status: m.Status, StartDate: awsjson.NewTime(m.StartDate),
		MaxConcurrency: int32(m.MaxConcurrency), ToleratedFailurePercentage: m.ToleratedFailurePercentage,
		ToleratedFailureCount: m.ToleratedFailureCount,
		ItemCounts:            MapRunItemCounts(mapRunCounts(m.ItemCounts)),
		ExecutionCounts:       mapRunCounts(m.ExecutionCounts),
		RedriveCount:          ptr(int32(m.RedriveCount)),
	}
	if !m.StopDate.IsZero() {
		out.StopDate = awsjson.TimePtr(m.StopDate)
	}
	if !m.RedriveDate.IsZero() {
		out.RedriveDate = awsjson.TimePtr(m.RedriveDate)
	}
	return out, nil
}

func mapRunCounts(c sfn.MapRunCounts) MapRunExecutionCounts {
	return MapRunExecutionCounts{
		Pending: c.Pending, Running: c.Running, Succeeded: c.Succeeded, Failed: c.Failed, TimedOut: c.TimedOut,
		Aborted: c.Aborted, Total: c.Total, ResultsWritten: c.ResultsWritten,
		FailuresNotRedrivable: ptr(c.FailuresNotRedrivable), PendingRedrive: ptr(c.PendingRedrive),
	}
}

func (h *execHandlers) updateMapRun(ctx context.Context, in *UpdateMapRunInput) (*UpdateMapRunOutput, error) {
	p := sfn.UpdateMapRunParams{MapRunARN: in.MapRunArn, ToleratedFailurePercentage: in.ToleratedFailurePercentage,
		ToleratedFailureCount: in.ToleratedFailureCount}
	if in.MaxConcurrency != nil {
		p.MaxConcurrency = ptr(int64(*in.MaxConcurrency))
	}
	if err := h.s.UpdateMapRun(ctx, p); err != nil {
		return nil, err
	}
	return &UpdateMapRunOutput{}, nil
}

func (h *execHandlers) listMapRuns(ctx context.Context, in *ListMapRunsInput) (*ListMapRunsOutput, error) {
	list, next, err := h.s.ListMapRuns(ctx, in.ExecutionArn, page(in.MaxResults, in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &ListMapRunsOutput{MapRuns: make([]MapRunListItem, 0, len(list)), NextToken: optString(next)}
	for _, m := range list {
		item := MapRunListItem{ExecutionArn: m.ExecutionARN, MapRunArn: m.ARN, StateMachineArn: m.StateMachineARN,
			StartDate: awsjson.NewTime(m.StartDate)}
		if !m.StopDate.IsZero() {
			item.StopDate = awsjson.TimePtr(m.StopDate)
		}
		out.MapRuns = append(out.MapRuns, item)
	}
	return out, nil
}
