package sfnapi

import (
	"context"
	"math"

	"stepline/sfn"
)

func (h *execHandlers) testState(ctx context.Context, in *TestStateInput) (*TestStateOutput, error) {
	p := sfn.TestStateParams{Definition: in.Definition, StateName: deref(in.StateName), Input: in.Input,
		RoleARN: deref(in.RoleArn), Variables: in.Variables, Context: in.Context,
		InspectionLevel: deref(in.InspectionLevel), RevealSecrets: deref(in.RevealSecrets)}
	if m := in.Mock; m != nil {
		p.Mock = &sfn.TestStateMock{Result: m.Result, FieldValidationMode: deref(m.FieldValidationMode)}
		if e := m.ErrorOutput; e != nil {
			p.Mock.Error, p.Mock.Cause, p.Mock.Throws = deref(e.Error), deref(e.Cause), true
		}
	}
	if c := in.StateConfiguration; c != nil {
		p.Config = sfn.TestStateConfig{RetrierRetryCount: c.RetrierRetryCount, ErrorCausedByState: c.ErrorCausedByState,
			MapIterationFailureCount: c.MapIterationFailureCount, MapItemReaderData: c.MapItemReaderData}
	}
	res, err := h.s.TestState(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &TestStateOutput{Status: ptr(res.Status), NextState: optString(res.NextState),
		Error: optString(res.Error), Cause: optString(res.Cause), Output: res.Output}
	if d := res.Inspection; d != nil {
		out.InspectionData = inspectionData(d)
	}
	return out, nil
}

// inspectionData is TestState's inspectionData on the wire.
func inspectionData(d *sfn.TestStateInspection) *InspectionData {
	w := &InspectionData{Input: optString(d.Input), AfterInputPath: optString(d.AfterInputPath),
		AfterParameters: optString(d.AfterParameters), AfterArguments: optString(d.AfterArguments),
		Result: optString(d.Result), AfterResultSelector: optString(d.AfterResultSelector),
		AfterResultPath: optString(d.AfterResultPath), AfterItemsPath: optString(d.AfterItemsPath),
		AfterItemSelector: optString(d.AfterItemSelector), AfterItemBatcher: optString(d.AfterItemBatcher),
		Variables: optString(d.Variables), ToleratedFailurePercentage: d.ToleratedFailurePercentage,
		ToleratedFailureCount: int32Of(d.ToleratedFailureCount), MaxConcurrency: int32Of(d.MaxConcurrency)}
	if d.CatchIndex != nil || d.RetryIndex != nil {
		w.ErrorDetails = &InspectionErrorDetails{CatchIndex: intOf(d.CatchIndex), RetryIndex: intOf(d.RetryIndex),
			RetryBackoffIntervalSeconds: int32Of(d.RetryBackoffIntervalSeconds)}
	}
	if r := d.Request; r != nil {
		w.Request = &InspectionDataRequest{Protocol: optString(r.Protocol), Method: optString(r.Method),
			Url: optString(r.URL), Headers: optString(r.Headers), Body: optString(r.Body)}
	}
	if r := d.Response; r != nil {
		w.Response = &InspectionDataResponse{Protocol: optString(r.Protocol), StatusCode: optString(r.StatusCode),
			StatusMessage: optString(r.StatusMessage), Headers: optString(r.Headers), Body: optString(r.Body)}
	}
	return w
}

// int32Of narrows a count for the wire, saturating (the model's fields are int32).
func int32Of(v *int64) *int32 {
	if v == nil {
		return nil
	}
	return ptr(int32(min(max(*v, math.MinInt32), math.MaxInt32)))
}

func intOf(v *int) *int32 {
	if v == nil {
		return nil
	}
	n := int64(*v)
	return int32Of(&n)
}
