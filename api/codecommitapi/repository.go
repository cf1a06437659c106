package codecommitapi

import (
	"context"
	"errors"
	"slices"
	"strings"

	"stepline"
	"stepline/api/awsjson"
	"stepline/repos"
)

// Inputs without the generated Validate (see service.go).
type (
	createRepositoryIn            CreateRepositoryInput
	getRepositoryIn               GetRepositoryInput
	deleteRepositoryIn            DeleteRepositoryInput
	updateRepositoryDescriptionIn UpdateRepositoryDescriptionInput
	updateDefaultBranchIn         UpdateDefaultBranchInput
	updateRepositoryNameIn        UpdateRepositoryNameInput
	listRepositoriesIn            ListRepositoriesInput
	batchGetRepositoriesIn        BatchGetRepositoriesInput
)

// listRepositoriesPage is how many repositories ListRepositories returns at a
// time; AWS documents 1,000.
const listRepositoriesPage = 1000

func (a *api) registerRepository(s *awsjson.Service) {
	awsjson.Handle(s, "CreateRepository", a.createRepository)
	awsjson.Handle(s, "GetRepository", a.getRepository)
	awsjson.Handle(s, "DeleteRepository", a.deleteRepository)
	awsjson.Handle(s, "UpdateRepositoryDescription", a.updateRepositoryDescription)
	awsjson.Handle(s, "UpdateDefaultBranch", a.updateDefaultBranch)
	awsjson.Handle(s, "UpdateRepositoryName", a.updateRepositoryName)
	awsjson.Handle(s, "ListRepositories", a.listRepositories)
	awsjson.Handle(s, "BatchGetRepositories", a.batchGetRepositories)
}

// metadata renders a repository as CodeCommit's RepositoryMetadata.
func (a *api) metadata(ctx context.Context, r repos.Repository) *RepositoryMetadata {
	m := &RepositoryMetadata{
		AccountId:        ptr(r.Account),
		RepositoryId:     ptr(r.ID),
		RepositoryName:   ptr(r.Name),
		LastModifiedDate: awsjson.TimePtr(r.LastModified),
		CreationDate:     awsjson.TimePtr(r.Created),
		CloneUrlHttp:     ptr(a.cloneURL(ctx, r.Name)),
		Arn:              ptr(r.ARN),
	}
	if r.Description != "" {
		m.RepositoryDescription = ptr(r.Description)
	}
	if r.DefaultBranch != "" {
		m.DefaultBranch = ptr(r.DefaultBranch)
	}
	return m
}

func (a *api) createRepository(ctx context.Context, in *createRepositoryIn) (*CreateRepositoryOutput, error) {
	r, err := a.svc.CreateRepository(ctx, repos.CreateRepositoryParams{
		Name: in.RepositoryName, Description: strOr(in.RepositoryDescription), Tags: in.Tags,
	})
	if err != nil {
		return nil, err
	}
	return &CreateRepositoryOutput{RepositoryMetadata: a.metadata(ctx, r)}, nil
}

func (a *api) getRepository(ctx context.Context, in *getRepositoryIn) (*GetRepositoryOutput, error) {
	r, err := a.svc.GetRepository(ctx, in.RepositoryName)
	if err != nil {
		return nil, err
	}
	return &GetRepositoryOutput{RepositoryMetadata: a.metadata(ctx, r)}, nil
}

func (a *api) deleteRepository(ctx context.Context, in *deleteRepositoryIn) (*DeleteRepositoryOutput, error) {
	id, err := a.svc.DeleteRepository(ctx, in.RepositoryName)
	if err != nil || id == "" {
		return &DeleteRepositoryOutput{}, err
	}
	return &DeleteRepositoryOutput{RepositoryId: &id}, nil
}

func (a *api) updateRepositoryDescription(ctx context.Context, in *updateRepositoryDescriptionIn) (*struct{}, error) {
	return nil, a.svc.UpdateRepositoryDescription(ctx, in.RepositoryName, strOr(in.RepositoryDescription))
}

func (a *api) updateDefaultBranch(ctx context.Context, in *updateDefaultBranchIn) (*struct{}, error) {
	return nil, a.svc.UpdateDefaultBranch(ctx, in.RepositoryName, in.DefaultBranchName)
}

func (a *api) updateRepositoryName(ctx context.Context, in *updateRepositoryNameIn) (*struct{}, error) {
	return nil, a.svc.UpdateRepositoryName(ctx, in.OldName, in.NewName)
}

// repoCursor is where a ListRepositories page ended, with the order it was in.
type repoCursor struct {
	SortBy string `json:"s"`
	Desc   bool   `json:"d"`
	Name   string `json:"n"`
	Mod    int64  `json:"m"` // last modified, unix milliseconds
}

func (a *api) listRepositories(ctx context.Context, in *listRepositoriesIn) (*ListRepositoriesOutput, error) {
	sortBy := strOr(in.SortBy)
	switch sortBy {
	case "":
		sortBy = repos.SortByName
	case repos.SortByName, repos.SortByLastModified:
	default:
		return nil, stepline.Errorf("InvalidSortByException", "The specified sort by value is not valid.")
	}
	desc := false
	switch strOr(in.Order) {
	case "", "ascending":
	case "descending":
		desc = true
	default:
		return nil, stepline.Errorf("InvalidOrderException", "The specified sort order is not valid.")
	}
	var cur repoCursor
	resume, err := a.decodeToken(in.NextToken, &cur)
	if err != nil {
		return nil, err
	}
	if resume && (cur.SortBy != sortBy || cur.Desc != desc) {
		return nil, stepline.Errorf("InvalidContinuationTokenException", "The specified continuation token is not valid.")
	}
	all, err := a.svc.ListRepositories(ctx, sortBy, desc)
	if err != nil {
		return nil, err
	}
	start := 0
	if resume {
		// Resume after the cursor's position in the order, which survives
		// repositories created or deleted between pages.
		start = len(all)
		for i, r := range all {
			if after(r, cur, sortBy, desc) {
				start = i
				break
			}
		}
	}
	out := &ListRepositoriesOutput{Repositories: []RepositoryNameIdPair{}}
	page := all[start:]
	if size := a.pageSize(listRepositoriesPage); len(page) > size {
		page = page[:size]
		last := page[len(page)-1]
		out.NextToken = a.encodeToken(repoCursor{SortBy: sortBy, Desc: desc, Name: last.Name, Mod: last.LastModified.UnixMilli()})
	}
	for _, r := range page {
		out.Repositories = append(out.Repositories, RepositoryNameIdPair{RepositoryName: ptr(r.Name), RepositoryId: ptr(r.ID)})
	}
	return out, nil
}

// after reports whether r comes after the cursor in the listing's order.
func after(r repos.Repository, cur repoCursor, sortBy string, desc bool) bool {
	c := 0
	if sortBy == repos.SortByLastModified {
		m := r.LastModified.UnixMilli()
		switch {
		case m < cur.Mod:
			c = -1
		case m > cur.Mod:
			c = 1
		}
	}
	if c == 0 {
		c = strings.Compare(r.Name, cur.Name)
	}
	if desc {
		c = -c
	}
	return c > 0
}

func (a *api) batchGetRepositories(ctx context.Context, in *batchGetRepositoriesIn) (*BatchGetRepositoriesOutput, error) {
	if len(in.RepositoryNames) == 0 {
		return nil, stepline.Errorf("RepositoryNamesRequiredException", "At least one repository name is required.")
	}
	if len(in.RepositoryNames) > 25 {
		return nil, stepline.Errorf("MaximumRepositoryNamesExceededException", "The maximum number of allowed repository names was exceeded. Currently, this number is 25.")
	}
	out := &BatchGetRepositoriesOutput{Repositories: []RepositoryMetadata{}, RepositoriesNotFound: []string{}}
	for _, name := range slices.Compact(slices.Clone(in.RepositoryNames)) {
		r, err := a.svc.GetRepository(ctx, name)
		if err != nil {
			if se := (*stepline.Error)(nil); errors.As(err, &se) && se.Code == repos.CodeRepositoryDoesNotExist {
				out.RepositoriesNotFound = append(out.RepositoriesNotFound, name)
				continue
			}
			return nil, err
		}
		out.Repositories = append(out.Repositories, *a.metadata(ctx, r))
	}
	return out, nil
}
