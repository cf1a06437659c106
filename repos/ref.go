package repos

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"stepline/store"
)

// RefUpdate asks to move reference Name from Old to New. A zero Old means the
// reference must not exist yet; a zero New deletes it.
type RefUpdate struct {
	Name plumbing.ReferenceName
	Old  plumbing.Hash
	New  plumbing.Hash
}

// RefEvent tells subscribers that a reference moved. OldCommit is empty when the
// reference was created, NewCommit when it was deleted.
type RefEvent struct {
	RepositoryName string
	Ref            string // full name, e.g. "refs/heads/main" or "refs/tags/v1"
	OldCommit      string
	NewCommit      string
}

// RefError is why one reference update was refused; Reason is the short text git
// shows after "[remote rejected]".
type RefError struct{ Reason string }

func (e *RefError) Error() string { return e.Reason }

// Reasons a reference update is refused, worded as git's receive-pack words them.
var (
	ErrStale        = &RefError{"non-fast-forward"}
	ErrRefExists    = &RefError{"already exists"}
	ErrMissingObj   = &RefError{"missing necessary objects"}
	ErrBadRefName   = &RefError{"funny refname"}
	ErrDeleteHead   = &RefError{"deletion of the current branch prohibited"}
	ErrAtomicFailed = &RefError{"atomic transaction failed"}
	ErrNotCommit    = &RefError{"branch must point at a commit"}
	ErrRefConflict  = &RefError{"reference name conflicts with an existing reference"}
)

// OnReferenceUpdated subscribes fn to reference changes, so the pipeline engine can
// start on a push. fn runs after the change is durable, on the writer's goroutine
// (the push request waits for it): it must be quick and must not update
// references of the same repository.
func (s *Service) OnReferenceUpdated(fn func(context.Context, RefEvent)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, fn)
}

// notify tells every subscriber about evs, with a context that outlives the request
// so a client hanging up cannot cut a subscriber short.
func (s *Service) notify(ctx context.Context, evs []RefEvent) {
	if len(evs) == 0 {
		return
	}
	s.mu.Lock()
	ls := append([]func(context.Context, RefEvent){}, s.listeners...)
	s.mu.Unlock()
	ctx = context.WithoutCancel(ctx)
	for _, ev := range evs {
		for _, fn := range ls {
			fn(ctx, ev)
		}
	}
}

// UpdateRefs applies ups to repository name as compare-and-swaps and returns one
// result per update (nil: applied). With atomic, either every update applies or
// none does. The objects the new values name must already be stored. The returned
// error is for failures of the server itself.
func (s *Service) UpdateRefs(ctx context.Context, name string, ups []RefUpdate, atomic bool) ([]error, error) {
	repo, err := s.GetRepository(ctx, name)
	if err != nil {
		return nil, err
	}
	lk := s.lock(repo.ID)
	lk.Lock()
	st, err := s.storage(ctx, repo)
	if err != nil {
		lk.Unlock()
		return nil, err
	}
	defer st.Close()
	res, evs, err := s.updateRefsLocked(ctx, repo, st, ups, atomic)
	lk.Unlock()
	if err != nil {
		return nil, err
	}
	s.notify(ctx, evs)
	return res, nil
}

// updateRefsLocked is UpdateRefs with this process's lock of the repository held
// and st opened under it. The updates are checked against st's references and
// written as one compare-and-swap of the references record; when another node
// changed the record meanwhile, the references are read again and the updates
// checked again, so an update whose expected old value is gone is refused
// (non-fast-forward) and one that does not touch the changed references applies.
// On return st holds the references as written.
func (s *Service) updateRefsLocked(ctx context.Context, repo Repository, st *Storage,
	ups []RefUpdate, atomic bool,
) ([]error, []RefEvent, error) {
	for {
		res, next, evs, created := s.planRefs(repo, st, ups, atomic)
		if len(evs) == 0 {
			return res, nil, nil
		}
		newDefault := ""
		if repo.DefaultBranch == "" && len(created) > 0 {
			newDefault = pickDefault(created)
			next.Head = plumbing.NewBranchReferenceName(newDefault).String()
		}
		written, err := s.putRefs(ctx, repo, next)
		if errors.Is(err, store.ErrConflict) {
			if st.refs, err = s.loadRefs(ctx, repo); err != nil {
				return nil, nil, err
			}
			if repo, err = s.GetRepository(ctx, repo.Name); err != nil {
				return nil, nil, err
			}
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		st.refs = written
		s.writeRefCache(repo, st, ups, res)
		if newDefault != "" {
			err := s.updateRecord(ctx, repo.Name, func(r *Repository) {
				if r.DefaultBranch == "" {
					r.DefaultBranch = newDefault
				}
			})
			if err != nil {
				return nil, nil, err
			}
		}
		return res, evs, nil
	}
}

// planRefs checks ups against st's references and returns the results, the
// references after the updates that pass, their events and the branches created.
func (s *Service) planRefs(repo Repository, st *Storage, ups []RefUpdate, atomic bool,
) (res []error, next refTable, evs []RefEvent, created []string) {
	res = make([]error, len(ups))
	next = st.refs.clone()
	failed := false
	for i, u := range ups {
		res[i] = s.checkUpdate(repo, st, next, u)
		if res[i] == nil {
			if u.New.IsZero() {
				delete(next.Refs, u.Name.String())
			} else {
				next.Refs[u.Name.String()] = u.New.String()
			}
		}
		failed = failed || res[i] != nil
	}
	if atomic && failed {
		for i := range res {
			if res[i] == nil {
				res[i] = ErrAtomicFailed
			}
		}
		return res, next, nil, nil
	}
	for i, u := range ups {
		if res[i] != nil {
			continue
		}
		ev := RefEvent{RepositoryName: repo.Name, Ref: u.Name.String()}
		if !u.Old.IsZero() {
			ev.OldCommit = u.Old.String()
		}
		if !u.New.IsZero() {
			ev.NewCommit = u.New.String()
			if u.Old.IsZero() && u.Name.IsBranch() {
				created = append(created, u.Name.Short())
			}
		}
		evs = append(evs, ev)
	}
	return res, next, evs, created
}

// checkUpdate decides whether u may apply to the references next (those before u,
// with the earlier updates of the same request applied): its name is a valid
// reference outside HEAD, the value is the one u expects, and its new value is
// stored.
func (s *Service) checkUpdate(repo Repository, st *Storage, next refTable, u RefUpdate) error {
	if !strings.HasPrefix(u.Name.String(), "refs/") || u.Name.Validate() != nil {
		return ErrBadRefName
	}
	if next.hash(u.Name) != u.Old {
		if u.Old.IsZero() {
			return ErrRefExists
		}
		return ErrStale
	}
	if u.New.IsZero() {
		if u.Name.IsBranch() && u.Name.Short() == repo.DefaultBranch {
			return ErrDeleteHead
		}
		return nil
	}
	if u.Old.IsZero() && next.conflicts(u.Name) {
		return ErrRefConflict
	}
	obj, err := st.EncodedObject(plumbing.AnyObject, u.New)
	if err != nil {
		return ErrMissingObj
	}
	if u.Name.IsBranch() && obj.Type() != plumbing.CommitObject {
		return ErrNotCommit
	}
	return nil
}

// writeRef stores u as a loose reference written to a temporary file and renamed
// into place, so a reader sees the old value or the new one, never a torn file.
func writeRef(st *filesystem.Storage, u RefUpdate) error {
	root := st.Filesystem().Root()
	path := filepath.Join(root, filepath.FromSlash(u.Name.String()))
	if u.New.IsZero() {
		if err := st.RemoveReference(u.Name); err != nil {
			return fmt.Errorf("delete %s: %w", u.Name, err)
		}
		// Leave no empty directories behind: they would block a later reference
		// whose name is a prefix of this one (refs/heads/a after refs/heads/a/b).
		for dir := filepath.Dir(path); dir != filepath.Join(root, "refs") && len(dir) > len(root); dir = filepath.Dir(dir) {
			if os.Remove(dir) != nil {
				break
			}
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return ErrRefConflict
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return ErrRefConflict
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".ref-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", u.Name, err)
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString(u.New.String() + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", u.Name, err)
	}
	return nil
}

// pickDefault chooses the default branch among the first branches of an empty
// repository, as CodeCommit does on the first push: main wins when it is among them.
func pickDefault(created []string) string {
	branch := created[0]
	for _, b := range created {
		if b == DefaultBranchDefault {
			branch = b
		}
	}
	return branch
}

// resolveRef returns the hash reference name points at in st, or the zero hash.
func resolveRef(st *Storage, name plumbing.ReferenceName) (plumbing.Hash, error) {
	ref, err := st.Reference(name)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("read %s: %w", name, err)
	}
	return ref.Hash(), nil
}

// commitAt loads commit h from st.
func commitAt(st *Storage, h plumbing.Hash) (*object.Commit, error) {
	return object.GetCommit(st, h)
}
