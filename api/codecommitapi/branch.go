package codecommitapi

import (
	"context"
	"sort"

	"stepline/api/awsjson"
)

// Inputs without the generated Validate (see service.go).
type (
	createBranchIn CreateBranchInput
	getBranchIn    GetBranchInput
	listBranchesIn ListBranchesInput
	deleteBranchIn DeleteBranchInput
)

// listBranchesPage is how many branch names ListBranches returns at a time.
const listBranchesPage = 100

func (a *api) registerBranch(s *awsjson.Service) {
	awsjson.Handle(s, "CreateBranch", a.createBranch)
	awsjson.Handle(s, "GetBranch", a.getBranch)
	awsjson.Handle(s, "ListBranches", a.listBranches)
	awsjson.Handle(s, "DeleteBranch", a.deleteBranch)
}

func (a *api) createBranch(ctx context.Context, in *createBranchIn) (*struct{}, error) {
	return nil, a.svc.CreateBranch(ctx, in.RepositoryName, in.BranchName, in.CommitId)
}

func (a *api) getBranch(ctx context.Context, in *getBranchIn) (*GetBranchOutput, error) {
	b, err := a.svc.GetBranch(ctx, strOr(in.RepositoryName), strOr(in.BranchName))
	if err != nil {
		return nil, err
	}
	return &GetBranchOutput{Branch: &BranchInfo{BranchName: ptr(b.Name), CommitId: ptr(b.CommitID)}}, nil
}

func (a *api) listBranches(ctx context.Context, in *listBranchesIn) (*ListBranchesOutput, error) {
	var after string
	if _, err := a.decodeToken(in.NextToken, &after); err != nil {
		return nil, err
	}
	names, err := a.svc.ListBranches(ctx, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	if after != "" {
		names = names[sort.SearchStrings(names, after+"\x00"):]
	}
	out := &ListBranchesOutput{Branches: []string{}}
	if size := a.pageSize(listBranchesPage); len(names) > size {
		names = names[:size]
		out.NextToken = a.encodeToken(names[len(names)-1])
	}
	out.Branches = append(out.Branches, names...)
	return out, nil
}

func (a *api) deleteBranch(ctx context.Context, in *deleteBranchIn) (*DeleteBranchOutput, error) {
	b, err := a.svc.DeleteBranch(ctx, in.RepositoryName, in.BranchName)
	if err != nil {
		return nil, err
	}
	if b.Name == "" {
		return &DeleteBranchOutput{}, nil
	}
	return &DeleteBranchOutput{DeletedBranch: &BranchInfo{BranchName: ptr(b.Name), CommitId: ptr(b.CommitID)}}, nil
}
