package sfnapi

import (
	"context"

	"stepline/api/awsjson"
)

func (h *handlers) createActivity(ctx context.Context, in *CreateActivityInput) (*CreateActivityOutput, error) {
	act, err := h.s.ActivityCreate(ctx, in.Name, tagsIn(in.Tags), encryptionIn(in.EncryptionConfiguration))
	if err != nil {
		return nil, err
	}
	return &CreateActivityOutput{ActivityArn: act.ARN, CreationDate: awsjson.NewTime(act.CreationDate)}, nil
}

func (h *handlers) describeActivity(ctx context.Context, in *DescribeActivityInput) (*DescribeActivityOutput, error) {
	act, err := h.s.ActivityGet(ctx, in.ActivityArn)
	if err != nil {
		return nil, err
	}
	return &DescribeActivityOutput{ActivityArn: act.ARN, Name: act.Name, CreationDate: awsjson.NewTime(act.CreationDate),
		EncryptionConfiguration: encryptionOut(act.Encryption)}, nil
}

func (h *handlers) deleteActivity(ctx context.Context, in *DeleteActivityInput) (*DeleteActivityOutput, error) {
	if err := h.s.ActivityDelete(ctx, in.ActivityArn); err != nil {
		return nil, err
	}
	return &DeleteActivityOutput{}, nil
}

func (h *handlers) listActivities(ctx context.Context, in *ListActivitiesInput) (*ListActivitiesOutput, error) {
	acts, next, err := h.s.ActivityList(ctx, page(in.MaxResults, in.NextToken))
	if err != nil {
		return nil, err
	}
	out := &ListActivitiesOutput{Activities: make([]ActivityListItem, 0, len(acts)), NextToken: optString(next)}
	for _, a := range acts {
		out.Activities = append(out.Activities, ActivityListItem{ActivityArn: a.ARN, Name: a.Name,
			CreationDate: awsjson.NewTime(a.CreationDate)})
	}
	return out, nil
}
