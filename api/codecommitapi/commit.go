package codecommitapi

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"stepline"
	"stepline/api/awsjson"
	"stepline/repos"
)

// Inputs without the generated Validate (see service.go).
type (
	getCommitIn       GetCommitInput
	batchGetCommitsIn BatchGetCommitsInput
	getDifferencesIn  GetDifferencesInput
	getBlobIn         GetBlobInput
)

// batchGetCommitsMax is the most commit ids BatchGetCommits takes.
const batchGetCommitsMax = 100

// differencesPageDefault is GetDifferences' page size when MaxResults is not
// given; AWS documents 100.
const differencesPageDefault = 100

func (a *api) registerCommit(s *awsjson.Service) {
	awsjson.Handle(s, "GetCommit", a.getCommit)
	awsjson.Handle(s, "BatchGetCommits", a.batchGetCommits)
	awsjson.Handle(s, "GetDifferences", a.getDifferences)
	awsjson.Handle(s, "GetBlob", a.getBlob)
}

func (a *api) getBlob(ctx context.Context, in *getBlobIn) (*GetBlobOutput, error) {
	b, err := a.svc.GetBlob(ctx, in.RepositoryName, in.BlobId)
	if err != nil {
		return nil, err
	}
	return &GetBlobOutput{Content: b}, nil
}

// batchGetCommits reports commits it cannot find in "errors" rather than failing
// the call, as CodeCommit does.
func (a *api) batchGetCommits(ctx context.Context, in *batchGetCommitsIn) (*BatchGetCommitsOutput, error) {
	switch {
	case len(in.CommitIds) == 0:
		return nil, stepline.Errorf("CommitIdsListRequiredException", "A list of commit IDs is required, but was either not specified or the list was empty.")
	case len(in.CommitIds) > batchGetCommitsMax:
		return nil, stepline.Errorf("CommitIdsLimitExceededException", "The maximum number of allowed commit IDs in a batch request is 100.")
	}
	if _, err := a.svc.GetRepository(ctx, in.RepositoryName); err != nil {
		return nil, err
	}
	out := &BatchGetCommitsOutput{Commits: []Commit{}, Errors: []BatchGetCommitsError{}}
	for _, id := range in.CommitIds {
		c, err := a.svc.GetCommit(ctx, in.RepositoryName, id)
		var se *stepline.Error
		switch {
		case errors.As(err, &se):
			out.Errors = append(out.Errors, BatchGetCommitsError{CommitId: ptr(id), ErrorCode: ptr(se.Code), ErrorMessage: ptr(se.Message)})
		case err != nil:
			return nil, err
		default:
			out.Commits = append(out.Commits, wireCommit(c))
		}
	}
	return out, nil
}

// userInfo renders a signature as CodeCommit does: the date as Unix seconds and
// the author's UTC offset, "1484167798 -0800", git's own raw format.
func userInfo(s repos.Signature) *UserInfo {
	date := fmt.Sprintf("%d %s", s.When.Unix(), s.When.Format("-0700"))
	return &UserInfo{Name: ptr(s.Name), Email: ptr(s.Email), Date: &date}
}

func (a *api) getCommit(ctx context.Context, in *getCommitIn) (*GetCommitOutput, error) {
	c, err := a.svc.GetCommit(ctx, in.RepositoryName, in.CommitId)
	if err != nil {
		return nil, err
	}
	return &GetCommitOutput{Commit: wireCommit(c)}, nil
}

func wireCommit(c repos.Commit) Commit {
	return Commit{
		CommitId: ptr(c.ID), TreeId: ptr(c.TreeID), Parents: c.Parents, Message: ptr(c.Message),
		Author: userInfo(c.Author), Committer: userInfo(c.Committer), AdditionalData: ptr(""),
	}
}

func (a *api) getDifferences(ctx context.Context, in *getDifferencesIn) (*GetDifferencesOutput, error) {
	limit := differencesPageDefault
	if in.MaxResults != nil {
		if *in.MaxResults < 1 {
			return nil, stepline.Errorf("InvalidMaxResultsException", "The specified number of maximum results is not valid.")
		}
		limit = int(*in.MaxResults)
	}
	var after string
	if _, err := a.decodeToken(in.NextToken, &after); err != nil {
		return nil, err
	}
	diffs, err := a.svc.GetDifferences(ctx, repos.GetDifferencesParams{
		Repository: in.RepositoryName, Before: strOr(in.BeforeCommitSpecifier), After: in.AfterCommitSpecifier,
		BeforePath: strOr(in.BeforePath), AfterPath: strOr(in.AfterPath),
	})
	if err != nil {
		return nil, err
	}
	if after != "" {
		diffs = diffs[sort.Search(len(diffs), func(i int) bool { return diffPath(diffs[i]) > after }):]
	}
	out := &GetDifferencesOutput{Differences: []Difference{}}
	if len(diffs) > limit {
		diffs = diffs[:limit]
		out.NextToken = a.encodeToken(diffPath(diffs[len(diffs)-1]))
	}
	for _, d := range diffs {
		out.Differences = append(out.Differences, Difference{
			BeforeBlob: blobMeta(d.Before), AfterBlob: blobMeta(d.After), ChangeType: ptr(d.ChangeType),
		})
	}
	return out, nil
}

// diffPath is the path a difference is ordered by.
func diffPath(d repos.Difference) string {
	if d.After != nil {
		return d.After.Path
	}
	return d.Before.Path
}

func blobMeta(b *repos.BlobMeta) *BlobMetadata {
	if b == nil {
		return nil
	}
	return &BlobMetadata{BlobId: ptr(b.BlobID), Path: ptr(b.Path), Mode: ptr(b.Mode)}
}
