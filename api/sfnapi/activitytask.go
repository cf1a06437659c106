package sfnapi

import (
	"context"
)

func (h *execHandlers) getActivityTask(ctx context.Context, in *GetActivityTaskInput) (*GetActivityTaskOutput, error) {
	t, err := h.s.GetActivityTask(ctx, in.ActivityArn, deref(in.WorkerName))
	if err != nil {
		return nil, err
	}
	// No task within the poll: AWS answers 200 with a null taskToken.
	return &GetActivityTaskOutput{TaskToken: optString(t.Token), Input: optString(t.Input)}, nil
}

func (h *execHandlers) sendTaskSuccess(ctx context.Context, in *SendTaskSuccessInput) (*SendTaskSuccessOutput, error) {
	if err := h.s.SendTaskSuccess(ctx, in.TaskToken, in.Output); err != nil {
		return nil, err
	}
	return &SendTaskSuccessOutput{}, nil
}

func (h *execHandlers) sendTaskFailure(ctx context.Context, in *SendTaskFailureInput) (*SendTaskFailureOutput, error) {
	if err := h.s.SendTaskFailure(ctx, in.TaskToken, deref(in.Error), deref(in.Cause)); err != nil {
		return nil, err
	}
	return &SendTaskFailureOutput{}, nil
}

func (h *execHandlers) sendTaskHeartbeat(ctx context.Context, in *SendTaskHeartbeatInput) (*SendTaskHeartbeatOutput, error) {
	if err := h.s.SendTaskHeartbeat(ctx, in.TaskToken); err != nil {
		return nil, err
	}
	return &SendTaskHeartbeatOutput{}, nil
}
