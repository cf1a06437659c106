package repos

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"stepline"
	"stepline/store"
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
	st, err := s.storage(ctx, repo)
	if err != nil {
		return err
	}
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
	h, err := s.readRef(ctx, repo, ref)
	if err != nil {
		return Branch{}, err
	}
	if h.IsZero() {
		return Branch{}, errBranchDoesNotExist(branch)
	}
	return Branch{Name: branch, CommitID: h.String()}, nil
}

// readRef reads one reference.
func (s *Service) readRef(ctx context.Context, repo Repository, ref plumbing.ReferenceName) (plumbing.Hash, error) {
	st, err := s.storage(ctx, repo)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	defer st.Close()
	return resolveRef(st, ref)
}

// ListBranches returns the names of a repository's branches in byte order.
func (s *Service) ListBranches(ctx context.Context, repoName string) ([]string, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return nil, err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return listBranches(st)
}

func listBranches(st *Storage) ([]string, error) {
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
	lk := s.lock(repo.ID)
	lk.Lock()
	h, evs, err := s.deleteBranchLocked(ctx, repo, ref)
	lk.Unlock()
	if err != nil || h.IsZero() {
		return Branch{}, err
	}
	s.notify(ctx, evs)
	return Branch{Name: branch, CommitID: h.String()}, nil
}

// deleteBranchLocked deletes ref whatever it points at, also when another node
// moves it meanwhile, and returns the value it deleted (zero: there was none).
func (s *Service) deleteBranchLocked(ctx context.Context, repo Repository, ref plumbing.ReferenceName) (plumbing.Hash, []RefEvent, error) {
	st, err := s.storage(ctx, repo)
	if err != nil {
		return plumbing.ZeroHash, nil, err
	}
	defer st.Close()
	for {
		h := st.refs.hash(ref)
		if h.IsZero() {
			return h, nil, nil
		}
		res, evs, err := s.updateRefsLocked(ctx, repo, st, []RefUpdate{{Name: ref, Old: h}}, true)
		if err != nil {
			return plumbing.ZeroHash, nil, err
		}
		switch res[0] {
		case nil:
			return h, evs, nil
		case ErrStale:
			continue // moved by another node: st holds its new value
		}
		return plumbing.ZeroHash, nil, res[0]
	}
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
	for {
		t, err := s.loadRefs(ctx, repo)
		if err != nil {
			return err
		}
		if t.hash(ref).IsZero() {
			return errBranchDoesNotExist(branch)
		}
		t.Head = ref.String()
		t, err = s.putRefs(ctx, repo, t)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return err
		}
		st, err := s.storage(ctx, repo)
		if err == nil {
			st.refs = t
			s.writeHeadCache(repo, st)
			_ = st.Close()
		}
		break
	}
	return s.updateRecord(ctx, repoName, func(r *Repository) { r.DefaultBranch = branch })
}
