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

	"github.com/go-git/go-billy/v5"
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
	locks     map[string]*sync.Mutex            // guarded by mu; per repository id
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
		locks: map[string]*sync.Mutex{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.defID = s.defID.Or(stepline.IdentityDefault)
	return s, nil
}

// lock returns the lock of repository id, held by this process's writers of its
// references. It only saves wasted work (a writer that would lose the
// compare-and-swap to a local one waits instead); the references record's version
// is what keeps writers on different nodes apart.
func (s *Service) lock(id string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.locks[id]
	if !ok {
		l = &sync.Mutex{}
		s.locks[id] = l
	}
	return l
}

// path is where repository id lives on disk.
func (s *Service) path(id string) string { return filepath.Join(s.dir, id+".git") }

// storage opens repository repo's git storage with a snapshot of its references;
// the caller closes it. Each caller gets its own, because go-git's storage is not
// documented as safe for concurrent use; opening one only reads a directory listing
// and the references record. Pack files stay open until Close: reopening the pack
// for every object made archiving 10,000 files several times slower.
func (s *Service) storage(ctx context.Context, repo Repository) (*Storage, error) {
	refs, err := s.loadRefs(ctx, repo)
	if err != nil {
		return nil, err
	}
	fs := filesystem.NewStorageWithOptions(osfsAt(s.path(repo.ID)), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true})
	return &Storage{Storage: fs, refs: refs}, nil
}

// osfsAt is the directory dir as a go-git filesystem.
func osfsAt(dir string) billy.Filesystem { return osfs.New(dir) }

// Repo is an open repository: its metadata and its git storage, whose references
// are a snapshot taken by Open, for the git protocol handlers.
type Repo struct {
	Repository
	Storage *Storage
}

// Close releases the storage's open files.
func (r *Repo) Close() error { return r.Storage.Close() }

// SyncPacks makes the packs stored through Storage durable; call it after storing
// a pushed pack and before UpdateRefs names its objects.
func (r *Repo) SyncPacks() error { return syncPacks(r.Storage.Filesystem().Root()) }

// Open returns repository name with its storage, or RepositoryDoesNotExistException.
func (s *Service) Open(ctx context.Context, name string) (*Repo, error) {
	repo, err := s.GetRepository(ctx, name)
	if err != nil {
		return nil, err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return nil, err
	}
	return &Repo{Repository: repo, Storage: st}, nil
}
