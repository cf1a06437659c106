package repos

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/google/uuid"

	"stepline"
	"stepline/store"
)

// Repository is a repository's metadata. Clone URLs are not kept: they depend on
// the address a client reached the server at, so the API layer derives them.
type Repository struct {
	Name          string            `json:"name"`
	ID            string            `json:"id"`
	ARN           string            `json:"arn"`
	Account       string            `json:"account"`
	Region        string            `json:"region"`
	Description   string            `json:"description,omitempty"`
	DefaultBranch string            `json:"defaultBranch,omitempty"` // empty until the first branch exists
	Created       time.Time         `json:"created"`
	LastModified  time.Time         `json:"lastModified"`
	Tags          map[string]string `json:"tags,omitempty"`

	version int64 // the record's version, for optimistic updates
}

// nameRE is CodeCommit's repository name pattern from the service model, where
// Java's \w is ASCII-only.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// checkName applies CodeCommit's repository name rules: 1 to 100 of letters,
// digits, '.', '_' and '-', not ending in ".git" (CodeCommit quotas page,
// https://docs.aws.amazon.com/codecommit/latest/userguide/limits.html).
func checkName(name string) error {
	switch {
	case name == "":
		return errRepositoryNameRequired()
	case len(name) > 100 || !nameRE.MatchString(name) || strings.HasSuffix(name, ".git") || name == "." || name == "..":
		return errInvalidRepositoryName()
	}
	return nil
}

// checkDescription applies the 1,000 character limit of repository descriptions.
func checkDescription(d string) error {
	if utf8.RuneCountInString(d) > 1000 {
		return stepline.Errorf(CodeInvalidRepositoryDesc, "The description for the repository is not valid. "+
			"Repository descriptions must be 1000 characters or fewer.")
	}
	return nil
}

// CreateRepositoryParams is the input of CreateRepository.
type CreateRepositoryParams struct {
	Name        string
	Description string
	Tags        map[string]string
}

// CreateRepository creates an empty repository whose HEAD names the branch main.
func (s *Service) CreateRepository(ctx context.Context, p CreateRepositoryParams) (Repository, error) {
	if err := checkName(p.Name); err != nil {
		return Repository{}, err
	}
	if err := checkDescription(p.Description); err != nil {
		return Repository{}, err
	}
	if err := checkTags(p.Tags); err != nil {
		return Repository{}, err
	}
	if len(p.Tags) > tagsMax {
		return Repository{}, stepline.Errorf("TooManyTagsException", "The maximum number of tags for an AWS CodeCommit resource has been exceeded.")
	}
	if _, err := s.st.RecordGet(ctx, kindRepository, p.Name); err == nil {
		return Repository{}, errRepositoryNameExists(p.Name)
	}
	id := stepline.IdentityFrom(ctx, s.defID)
	id = id.Or(s.defID)
	now := s.now().UTC().Truncate(time.Millisecond)
	r := Repository{
		Name: p.Name, ID: uuid.NewString(), Account: id.Account, Region: id.Region,
		Description: p.Description, Created: now, LastModified: now, Tags: p.Tags,
	}
	r.ARN = fmt.Sprintf("arn:%s:codecommit:%s:%s:%s", id.Partition, id.Region, id.Account, p.Name)
	if err := s.initBare(r.ID); err != nil {
		return Repository{}, err
	}
	// The references record exists before the repository can be found.
	head := plumbing.NewBranchReferenceName(DefaultBranchDefault).String()
	if _, err := s.putRefs(ctx, r, refTable{Head: head, Refs: map[string]string{}}); err != nil {
		_ = os.RemoveAll(s.path(r.ID))
		return Repository{}, err
	}
	if _, err := s.putRecord(ctx, r); err != nil {
		_ = os.RemoveAll(s.path(r.ID))
		_ = s.st.RecordDelete(ctx, kindRefs, r.ID, 0)
		if errors.Is(err, store.ErrExists) {
			return Repository{}, errRepositoryNameExists(p.Name)
		}
		return Repository{}, err
	}
	return s.GetRepository(ctx, p.Name)
}

// initBare creates the bare repository of id in a temporary directory and renames
// it into place, so a half-initialised repository is never visible.
func (s *Service) initBare(id string) error {
	tmp, err := os.MkdirTemp(s.dir, ".init-*")
	if err != nil {
		return fmt.Errorf("create repository: %w", err)
	}
	defer os.RemoveAll(tmp)
	st := filesystem.NewStorage(osfs.New(tmp), cache.NewObjectLRUDefault())
	if _, err := git.Init(st, nil); err != nil {
		return fmt.Errorf("init repository: %w", err)
	}
	head := plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName(DefaultBranchDefault))
	if err := st.SetReference(head); err != nil {
		return fmt.Errorf("init repository: %w", err)
	}
	if err := os.Rename(tmp, s.path(id)); err != nil {
		return fmt.Errorf("init repository: %w", err)
	}
	return nil
}

// putRecord creates (version 0) or replaces the metadata record.
func (s *Service) putRecord(ctx context.Context, r Repository) (Repository, error) {
	data, err := json.Marshal(r)
	if err != nil {
		return Repository{}, fmt.Errorf("encode repository: %w", err)
	}
	rec, err := s.st.RecordPut(ctx, store.Record{Kind: kindRepository, Key: r.Name, Sort: r.Name, Version: r.version, Data: data})
	if err != nil {
		return Repository{}, fmt.Errorf("put repository %s: %w", r.Name, err)
	}
	r.version = rec.Version
	return r, nil
}

func decodeRepository(rec store.Record) (Repository, error) {
	var r Repository
	if err := json.Unmarshal(rec.Data, &r); err != nil {
		return Repository{}, fmt.Errorf("decode repository %s: %w", rec.Key, err)
	}
	r.version = rec.Version
	return r, nil
}

// GetRepository returns repository name's metadata.
func (s *Service) GetRepository(ctx context.Context, name string) (Repository, error) {
	if err := checkName(name); err != nil {
		return Repository{}, err
	}
	rec, err := s.st.RecordGet(ctx, kindRepository, name)
	if errors.Is(err, store.ErrNotFound) {
		return Repository{}, errRepositoryDoesNotExist(name)
	}
	if err != nil {
		return Repository{}, fmt.Errorf("get repository %s: %w", name, err)
	}
	return decodeRepository(rec)
}

// Sort orders of ListRepositories, CodeCommit's SortByEnum and OrderEnum.
const (
	SortByName         = "repositoryName"
	SortByLastModified = "lastModifiedDate"
)

// ListRepositories returns every repository ordered by sortBy (SortByName when
// empty), descending when desc. CodeCommit pages the result; the API layer does.
func (s *Service) ListRepositories(ctx context.Context, sortBy string, desc bool) ([]Repository, error) {
	recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindRepository, AnyParent: true})
	if err != nil {
		return nil, fmt.Errorf("list repositories: %w", err)
	}
	out := make([]Repository, 0, len(recs))
	for _, rec := range recs {
		r, err := decodeRepository(rec)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b Repository) int {
		c := 0
		if sortBy == SortByLastModified {
			c = a.LastModified.Compare(b.LastModified)
		}
		if c == 0 {
			c = cmp.Compare(a.Name, b.Name)
		}
		if desc {
			c = -c
		}
		return c
	})
	return out, nil
}

// DeleteRepository deletes repository name and returns its id, or "" when there
// was none: CodeCommit answers the deletion of a missing repository with a null
// id, not an error (DeleteRepository API reference).
func (s *Service) DeleteRepository(ctx context.Context, name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	rec, err := s.st.RecordGet(ctx, kindRepository, name)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("delete repository %s: %w", name, err)
	}
	r, err := decodeRepository(rec)
	if err != nil {
		return "", err
	}
	lk := s.lock(r.ID)
	lk.Lock()
	defer lk.Unlock()
	if err := s.st.RecordDelete(ctx, kindRepository, name, rec.Version); err != nil {
		if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
			return "", nil
		}
		return "", fmt.Errorf("delete repository %s: %w", name, err)
	}
	if err := s.st.RecordDelete(ctx, kindRefs, r.ID, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.Warn("delete references of deleted repository", "repository", name, "err", err)
	}
	// Move the directory aside first so no reader opens a half-deleted repository.
	trash := s.path(r.ID) + ".deleted"
	if err := os.Rename(s.path(r.ID), trash); err == nil {
		if err := os.RemoveAll(trash); err != nil {
			s.log.Warn("remove deleted repository", "repository", name, "err", err)
		}
	}
	return r.ID, nil
}

// UpdateRepositoryDescription replaces a repository's description.
func (s *Service) UpdateRepositoryDescription(ctx context.Context, name, desc string) error {
	if err := checkDescription(desc); err != nil {
		return err
	}
	return s.updateRecord(ctx, name, func(r *Repository) { r.Description = desc })
}

// updateRecord applies fn to the stored metadata and writes it back, retrying when
// another writer got there first.
func (s *Service) updateRecord(ctx context.Context, name string, fn func(r *Repository)) error {
	for {
		r, err := s.GetRepository(ctx, name)
		if err != nil {
			return err
		}
		fn(&r)
		r.LastModified = s.now().UTC().Truncate(time.Millisecond)
		_, err = s.putRecord(ctx, r)
		switch {
		case errors.Is(err, store.ErrConflict):
			continue
		case errors.Is(err, store.ErrNotFound):
			return errRepositoryDoesNotExist(name)
		}
		return err
	}
}
