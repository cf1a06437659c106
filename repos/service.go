package repos

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"stepline"
	"stepline/store"
)

// kindRepository is the store record kind of repository metadata. Key: name.
const kindRepository = "ccrepository"

// DefaultBranchDefault is the branch HEAD names in a new repository, so the git
// CLI checks out "main" after the first push of it.
const DefaultBranchDefault = "main"

// Config configures a Service.
type Config struct {
	// Store keeps repository metadata.
	Store store.Store
	// Dir holds the bare repositories, one <id>.git directory each.
	Dir string
	// Now is the clock; nil means time.Now.
	Now    func() time.Time
	Logger *slog.Logger
	// Identity is the account and region of repositories created without one in
	// the request context.
	Identity stepline.Identity
}

// Service keeps git repositories. It is safe for concurrent use.
type Service struct {
	st    store.Store // immutable
	dir   string      // immutable
	now   func() time.Time
	log   *slog.Logger
	defID stepline.Identity

	mu        sync.Mutex
	locks     map[string]*sync.RWMutex          // guarded by mu; per repository id
	listeners []func(context.Context, RefEvent) // guarded by mu
}

// New returns a Service keeping repositories under cfg.Dir, creating it if needed.
func New(cfg Config) (*Service, error) {
	if cfg.Store == nil || cfg.Dir == "" {
		return nil, errors.New("repos: Store and Dir are required")
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("repos: create %s: %w", cfg.Dir, err)
	}
	s := &Service{st: cfg.Store, dir: cfg.Dir, now: cfg.Now, log: cfg.Logger, defID: cfg.Identity,
		locks: map[string]*sync.RWMutex{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.defID = s.defID.Or(stepline.IdentityDefault)
	return s, nil
}

// lock returns the lock of repository id: writers of references hold it
// exclusively, readers of references share it.
func (s *Service) lock(id string) *sync.RWMutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[id]
	if !ok {
		l = &sync.RWMutex{}
		s.locks[id] = l
	}
	return l
}

// path is where repository id lives on disk.
func (s *Service) path(id string) string { return filepath.Join(s.dir, id+".git") }

// storage opens repository id's git storage; the caller closes it. Each caller
// gets its own, because go-git's storage is not documented as safe for
// concurrent use; opening one only reads a directory listing. Pack files stay
// open until Close: reopening the pack for every object made archiving 10,000
// files several times slower.
func (s *Service) storage(id string) *filesystem.Storage {
	return filesystem.NewStorageWithOptions(osfs.New(s.path(id)), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true})
}

// Repo is an open repository: its metadata and its git storage, for the git
// protocol handlers. Reads of references should hold RLock; Service methods take
// the write lock themselves.
type Repo struct {
	Repository
	Storage *filesystem.Storage
	lk      *sync.RWMutex
}

// Close releases the storage's open files.
func (r *Repo) Close() error { return r.Storage.Close() }

// RLock holds off reference writers while a reader walks the references.
func (r *Repo) RLock() { r.lk.RLock() }

// RUnlock releases RLock.
func (r *Repo) RUnlock() { r.lk.RUnlock() }

// Open returns repository name with its storage, or RepositoryDoesNotExistException.
func (s *Service) Open(ctx context.Context, name string) (*Repo, error) {
	repo, err := s.GetRepository(ctx, name)
	if err != nil {
		return nil, err
	}
	return &Repo{Repository: repo, Storage: s.storage(repo.ID), lk: s.lock(repo.ID)}, nil
}
