package repos

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"stepline"
)

// Branch is a branch and the commit at its tip.
type Branch struct {
	Name     string
	CommitID string
}

// branchRef validates a branch name as git does and returns its reference.
func branchRef(name string) (plumbing.ReferenceName, error) {
	if name == "" {
		return "", errBranchNameRequired()
	}
	ref := plumbing.NewBranchReferenceName(name)
	if len(name) > 256 || ref.Validate() != nil {
		return "", errInvalidBranchName()
	}
	return ref, nil
}

// parseCommitID checks that id is a full hexadecimal commit id.
func parseCommitID(id string) (plumbing.Hash, error) {
	if id == "" {
		return plumbing.ZeroHash, errCommitIDRequired()
	}
	h, ok := parseHash(id)
	if !ok {
		return plumbing.ZeroHash, errInvalidCommitID(id)
	}
	return h, nil
}

// CreateBranch creates branch at commitID.
func (s *Service) CreateBranch(ctx context.Context, repoName, branch, commitID string) error {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return err
	}
	ref, err := branchRef(branch)
	if err != nil {
		return err
	}
	h, err := parseCommitID(commitID)
	if err != nil {
		return err
	}
	st := s.storage(repo.ID)
	defer st.Close()
	if _, err := commitAt(st, h); err != nil {
		return errCommitDoesNotExist(commitID)
	}
	lk := s.lock(repo.ID)
	lk.Lock()
	res, evs, err := s.updateRefsLocked(ctx, repo, st, []RefUpdate{{Name: ref, New: h}}, true)
	lk.Unlock()
	if err != nil {
		return err
	}
	if res[0] != nil {
		if res[0] == ErrRefExists {
			return stepline.Errorf(CodeBranchNameExists, "Branch %s already exists", branch)
		}
		return errInvalidBranchName()
	}
	s.notify(ctx, evs)
	return nil
}

// GetBranch returns branch and its tip.
func (s *Service) GetBranch(ctx context.Context, repoName, branch string) (Branch, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return Branch{}, err
	}
	ref, err := branchRef(branch)
	if err != nil {
		return Branch{}, err
	}
	h, err := s.readRef(repo, ref)
	if err != nil {
		return Branch{}, err
	}
	if h.IsZero() {
		return Branch{}, errBranchDoesNotExist(branch)
	}
	return Branch{Name: branch, CommitID: h.String()}, nil
}

// readRef reads one reference under the repository's read lock.
func (s *Service) readRef(repo Repository, ref plumbing.ReferenceName) (plumbing.Hash, error) {
	lk := s.lock(repo.ID)
	lk.RLock()
	defer lk.RUnlock()
	st := s.storage(repo.ID)
	defer st.Close()
	return resolveRef(st, ref)
}

// ListBranches returns the names of a repository's branches in byte order.
func (s *Service) ListBranches(ctx context.Context, repoName string) ([]string, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return nil, err
	}
	lk := s.lock(repo.ID)
	lk.RLock()
	defer lk.RUnlock()
	st := s.storage(repo.ID)
	defer st.Close()
	return listBranches(st)
}

func listBranches(st *filesystem.Storage) ([]string, error) {
	it, err := st.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("list branches: %w", err)
	}
	var names []string
	err = it.ForEach(func(r *plumbing.Reference) error {
		if r.Name().IsBranch() && r.Type() == plumbing.HashReference {
			names = append(names, r.Name().Short())
		}
		return nil
	})
	if err != nil && !errors.Is(err, storer.ErrStop) {
		return nil, fmt.Errorf("list branches: %w", err)
	}
	slices.Sort(names)
	return names, nil
}

// DeleteBranch deletes branch and returns it as it was, or a zero Branch when
// there was none (CodeCommit reports no error for that). The default branch
// cannot be deleted.
func (s *Service) DeleteBranch(ctx context.Context, repoName, branch string) (Branch, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return Branch{}, err
	}
	ref, err := branchRef(branch)
	if err != nil {
		return Branch{}, err
	}
	if branch == repo.DefaultBranch {
		return Branch{}, stepline.Errorf(CodeDefaultBranchCannotBeDelete,
			"The default branch of a repository cannot be deleted: %s", branch)
	}
	st := s.storage(repo.ID)
	defer st.Close()
	lk := s.lock(repo.ID)
	lk.Lock()
	h, err := resolveRef(st, ref)
	if err != nil || h.IsZero() {
		lk.Unlock()
		return Branch{}, err
	}
	_, evs, err := s.updateRefsLocked(ctx, repo, st, []RefUpdate{{Name: ref, Old: h}}, true)
	lk.Unlock()
	if err != nil {
		return Branch{}, err
	}
	s.notify(ctx, evs)
	return Branch{Name: branch, CommitID: h.String()}, nil
}

// UpdateDefaultBranch makes branch the default and points HEAD at it.
func (s *Service) UpdateDefaultBranch(ctx context.Context, repoName, branch string) error {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return err
	}
	ref, err := branchRef(branch)
	if err != nil {
		return err
	}
	lk := s.lock(repo.ID)
	lk.Lock()
	defer lk.Unlock()
	st := s.storage(repo.ID)
	defer st.Close()
	h, err := resolveRef(st, ref)
	if err != nil {
		return err
	}
	if h.IsZero() {
		return errBranchDoesNotExist(branch)
	}
	if err := st.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, ref)); err != nil {
		return fmt.Errorf("set HEAD: %w", err)
	}
	return s.updateRecord(ctx, repoName, func(r *Repository) { r.DefaultBranch = branch })
}
