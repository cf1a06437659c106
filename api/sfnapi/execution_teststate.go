package sfnapi

import (
	"context"

	"stepline/sfn"
)

func (h *execHandlers) testState(ctx context.Context, in *TestStateInput) (*TestStateOutput, error) {
	p := sfn.TestStateParams{Definition: in.Definition, StateName: deref(in.StateName), Input: in.Input,
		RoleARN: deref(in.RoleArn), Variables: in.Variables}
	if m := in.Mock; m != nil {
		p.Mock = &sfn.TestStateMock{Result: m.Result}
		if e := m.ErrorOutput; e != nil {
			p.Mock.Error, p.Mock.Cause, p.Mock.Throws = deref(e.Error), deref(e.Cause), true
		}
	}
	res, err := h.s.TestState(ctx, p)
	if err != nil {
		return nil, err
	}
	out := &TestStateOutput{Status: ptr(res.Status), NextState: optString(res.NextState),
		Error: optString(res.Error), Cause: optString(res.Cause), Output: res.Output}
	if res.Input != "" {
		out.InspectionData = &InspectionData{Input: ptr(res.Input),
			AfterParameters: optString(res.AfterParameters), Result: optString(res.Result)}
	}
	return out, nil
}
