package repos

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Signature is who wrote or committed a commit, and when (in their time zone).
type Signature struct {
	Name  string
	Email string
	When  time.Time
}

// Commit is a commit's metadata.
type Commit struct {
	ID        string
	TreeID    string
	Parents   []string
	Message   string
	Author    Signature
	Committer Signature
}

func toCommit(c *object.Commit) Commit {
	out := Commit{
		ID: c.Hash.String(), TreeID: c.TreeHash.String(), Message: c.Message,
		Author:    Signature{Name: c.Author.Name, Email: c.Author.Email, When: c.Author.When},
		Committer: Signature{Name: c.Committer.Name, Email: c.Committer.Email, When: c.Committer.When},
		Parents:   make([]string, 0, len(c.ParentHashes)),
	}
	for _, p := range c.ParentHashes {
		out.Parents = append(out.Parents, p.String())
	}
	return out
}

// GetCommit returns commit id of a repository.
func (s *Service) GetCommit(ctx context.Context, repoName, id string) (Commit, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return Commit{}, err
	}
	h, err := parseCommitID(id)
	if err != nil {
		return Commit{}, err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return Commit{}, err
	}
	defer st.Close()
	c, err := commitAt(st, h)
	if err != nil {
		return Commit{}, errCommitIDDoesNotExist(id)
	}
	return toCommit(c), nil
}

// resolved is a commit specifier resolved to a commit.
type resolved struct {
	commit *object.Commit
	branch string // set when the specifier named a branch (or was empty: the default)
}

// resolve finds the commit a CodeCommit commit specifier names: a branch, a tag or
// a full commit id, or the default branch when spec is empty.
func (s *Service) resolve(repo Repository, st *Storage, spec string) (resolved, error) {
	if spec == "" {
		if repo.DefaultBranch == "" {
			return resolved{}, errCommitDoesNotExist("HEAD")
		}
		spec = repo.DefaultBranch
	}
	if ref := plumbing.NewBranchReferenceName(spec); ref.Validate() == nil {
		if h, err := resolveRef(st, ref); err == nil && !h.IsZero() {
			c, err := commitAt(st, h)
			if err != nil {
				return resolved{}, fmt.Errorf("read branch %s: %w", spec, err)
			}
			return resolved{commit: c, branch: spec}, nil
		}
	}
	if ref := plumbing.NewTagReferenceName(spec); ref.Validate() == nil {
		if h, err := resolveRef(st, ref); err == nil && !h.IsZero() {
			if c, err := peel(st, h); err == nil {
				return resolved{commit: c}, nil
			}
		}
	}
	if h, ok := parseHash(spec); ok {
		if c, err := commitAt(st, h); err == nil {
			return resolved{commit: c}, nil
		}
	}
	return resolved{}, errCommitDoesNotExist(spec)
}

// peel follows annotated tags down to the commit they name.
func peel(st *Storage, h plumbing.Hash) (*object.Commit, error) {
	for range 10 {
		obj, err := st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return nil, err
		}
		switch obj.Type() {
		case plumbing.CommitObject:
			return object.DecodeCommit(st, obj)
		case plumbing.TagObject:
			t, err := object.DecodeTag(st, obj)
			if err != nil {
				return nil, err
			}
			h = t.Target
		default:
			return nil, errors.New("tag does not name a commit")
		}
	}
	return nil, errors.New("tag chain too long")
}

// CommitMetadata is what the CodeCommit source action of a pipeline exposes as
// output variables (CommitId, CommitMessage, AuthorDate, CommitterDate,
// BranchName, RepositoryName), plus the people, for the console.
type CommitMetadata struct {
	RepositoryName       string
	BranchName           string // empty when ref was not a branch
	CommitID             string
	CommitMessage        string
	AuthorDisplayName    string
	AuthorEmail          string
	AuthorDate           time.Time
	CommitterDisplayName string
	CommitterEmail       string
	CommitterDate        time.Time
}

// CommitMetadata resolves ref (a branch, a tag or a commit id; empty: the default
// branch) in repository repoName and describes the commit it names.
func (s *Service) CommitMetadata(ctx context.Context, repoName, ref string) (CommitMetadata, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return CommitMetadata{}, err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return CommitMetadata{}, err
	}
	defer st.Close()
	r, err := s.resolve(repo, st, ref)
	if err != nil {
		return CommitMetadata{}, err
	}
	c := r.commit
	return CommitMetadata{
		RepositoryName: repo.Name, BranchName: r.branch, CommitID: c.Hash.String(), CommitMessage: c.Message,
		AuthorDisplayName: c.Author.Name, AuthorEmail: c.Author.Email, AuthorDate: c.Author.When,
		CommitterDisplayName: c.Committer.Name, CommitterEmail: c.Committer.Email, CommitterDate: c.Committer.When,
	}, nil
}
