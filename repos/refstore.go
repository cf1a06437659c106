package repos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"stepline/store"
)

// kindRefs is the store record kind holding a repository's references. Key: the
// repository id. The record is the truth: every reference change is one
// compare-and-swap of it by version, so writers on different nodes sharing one
// database (and one repositories directory) cannot both win. The loose refs and HEAD
// in the git directory are a cache written after the record commits, for people
// inspecting it with git --git-dir; stepline never reads them once the record exists.
const kindRefs = "ccrefs"

// refTable is the document of a kindRefs record.
type refTable struct {
	Head string            `json:"head"` // the branch HEAD names, e.g. "refs/heads/main"
	Refs map[string]string `json:"refs"` // full reference name to hex object id

	version int64 // the record's version, the guard of the next write
}

// clone returns a copy that can be changed without touching t.
func (t refTable) clone() refTable {
	c := t
	c.Refs = make(map[string]string, len(t.Refs))
	for k, v := range t.Refs {
		c.Refs[k] = v
	}
	return c
}

// hash returns the object reference name names, or the zero hash.
func (t refTable) hash(name plumbing.ReferenceName) plumbing.Hash {
	v, ok := t.Refs[name.String()]
	if !ok {
		return plumbing.ZeroHash
	}
	return plumbing.NewHash(v)
}

// conflicts reports whether name cannot be created beside the existing references
// because one is a directory of the other (refs/heads/a and refs/heads/a/b), which
// git's loose reference layout cannot hold.
func (t refTable) conflicts(name plumbing.ReferenceName) bool {
	n := name.String()
	for k := range t.Refs {
		if strings.HasPrefix(k, n+"/") || strings.HasPrefix(n, k+"/") {
			return true
		}
	}
	return false
}

// loadRefs reads repository repo's references. A repository made before references
// moved into the store has no record yet: its directory's references seed one.
func (s *Service) loadRefs(ctx context.Context, repo Repository) (refTable, error) {
	for range 3 {
		rec, err := s.st.RecordGet(ctx, kindRefs, repo.ID)
		if err == nil {
			var t refTable
			if err := json.Unmarshal(rec.Data, &t); err != nil {
				return refTable{}, fmt.Errorf("decode references of %s: %w", repo.Name, err)
			}
			if t.Refs == nil {
				t.Refs = map[string]string{}
			}
			t.version = rec.Version
			return t, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return refTable{}, fmt.Errorf("read references of %s: %w", repo.Name, err)
		}
		t, err := s.seedRefs(repo)
		if err != nil {
			return refTable{}, err
		}
		// Two nodes may seed at once from the same directory: one creates the
		// record, the other reads it back.
		if _, err := s.putRefs(ctx, repo, t); err != nil && !errors.Is(err, store.ErrExists) {
			return refTable{}, err
		}
	}
	return refTable{}, fmt.Errorf("read references of %s: record keeps changing", repo.Name)
}

// seedRefs reads the references of the git directory.
func (s *Service) seedRefs(repo Repository) (refTable, error) {
	fs := filesystem.NewStorage(osfsAt(s.path(repo.ID)), nil)
	defer fs.Close()
	t := refTable{Head: plumbing.NewBranchReferenceName(DefaultBranchDefault).String(), Refs: map[string]string{}}
	if h, err := fs.Reference(plumbing.HEAD); err == nil && h.Type() == plumbing.SymbolicReference {
		t.Head = h.Target().String()
	}
	it, err := fs.IterReferences()
	if err != nil {
		return refTable{}, fmt.Errorf("read references of %s: %w", repo.Name, err)
	}
	err = it.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference && strings.HasPrefix(r.Name().String(), "refs/") {
			t.Refs[r.Name().String()] = r.Hash().String()
		}
		return nil
	})
	if err != nil && !errors.Is(err, storer.ErrStop) {
		return refTable{}, fmt.Errorf("read references of %s: %w", repo.Name, err)
	}
	return t, nil
}

// putRefs writes t guarded by t.version (0 creates the record): ErrConflict when
// another writer changed the references since t was read.
func (s *Service) putRefs(ctx context.Context, repo Repository, t refTable) (refTable, error) {
	data, err := json.Marshal(t)
	if err != nil {
		return refTable{}, fmt.Errorf("encode references: %w", err)
	}
	rec, err := s.st.RecordPut(ctx, store.Record{Kind: kindRefs, Key: repo.ID, Sort: repo.ID, Version: t.version, Data: data})
	if err != nil {
		return refTable{}, fmt.Errorf("write references of %s: %w", repo.Name, err)
	}
	t.version = rec.Version
	return t, nil
}

// Storage is a repository's git storage: objects from its directory, references
// from a snapshot of its references record taken when it was opened, so a reader
// sees every reference as of one moment without a lock. References cannot be
// written through it: they change through Service.UpdateRefs only.
type Storage struct {
	*filesystem.Storage
	refs      refTable
	written   []plumbing.Hash // loose objects written through this Storage, to sync
	reindexed bool            // the pack indexes were reloaded after a miss
}

// EncodedObject implements storer.EncodedObjectStorer. go-git lists the packs and
// loads their indexes once per Storage; when an object is missing from that view,
// the packs are listed again once before it is reported missing. Under concurrent
// pushes through two nodes a request's first lookup was seen to miss a commit
// whose pack had been in place for hundreds of milliseconds, which a second
// listing found (ADR 0004).
func (g *Storage) EncodedObject(t plumbing.ObjectType, h plumbing.Hash) (plumbing.EncodedObject, error) {
	obj, err := g.Storage.EncodedObject(t, h)
	if errors.Is(err, plumbing.ErrObjectNotFound) && !g.reindexed {
		g.reindexed = true
		g.Storage.Reindex()
		obj, err = g.Storage.EncodedObject(t, h)
	}
	return obj, err
}

// SetEncodedObject implements storer.EncodedObjectStorer, remembering the object
// so syncLoose can make it durable before a reference names it.
func (g *Storage) SetEncodedObject(o plumbing.EncodedObject) (plumbing.Hash, error) {
	h, err := g.Storage.SetEncodedObject(o)
	if err == nil {
		g.written = append(g.written, h)
	}
	return h, err
}

// syncLoose fsyncs the loose objects written through g, and their directories:
// go-git renames them into place but does not fsync them, and the references
// record that will name them is durable in the database.
func (g *Storage) syncLoose() error {
	root := g.Filesystem().Root()
	dirs := map[string]bool{}
	for _, h := range g.written {
		hex := h.String()
		p := filepath.Join(root, "objects", hex[:2], hex[2:])
		if err := syncFile(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("sync objects: %w", err)
		}
		dirs[filepath.Dir(p)] = true
	}
	for d := range dirs {
		if err := syncFile(d); err != nil {
			return fmt.Errorf("sync objects: %w", err)
		}
	}
	g.written = nil
	return nil
}

var _ storer.ReferenceStorer = (*Storage)(nil)

// errRefsReadOnly refuses reference writes that bypass the compare-and-swap.
var errRefsReadOnly = errors.New("repos: references change through Service.UpdateRefs")

// Reference implements storer.ReferenceStorer.
func (g *Storage) Reference(name plumbing.ReferenceName) (*plumbing.Reference, error) {
	if name == plumbing.HEAD {
		return plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.ReferenceName(g.refs.Head)), nil
	}
	v, ok := g.refs.Refs[name.String()]
	if !ok {
		return nil, plumbing.ErrReferenceNotFound
	}
	return plumbing.NewHashReference(name, plumbing.NewHash(v)), nil
}

// IterReferences implements storer.ReferenceStorer: HEAD, then the references by name.
func (g *Storage) IterReferences() (storer.ReferenceIter, error) {
	names := make([]string, 0, len(g.refs.Refs))
	for n := range g.refs.Refs {
		names = append(names, n)
	}
	slices.Sort(names)
	refs := make([]*plumbing.Reference, 0, len(names)+1)
	refs = append(refs, plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.ReferenceName(g.refs.Head)))
	for _, n := range names {
		refs = append(refs, plumbing.NewHashReference(plumbing.ReferenceName(n), plumbing.NewHash(g.refs.Refs[n])))
	}
	return storer.NewReferenceSliceIter(refs), nil
}

// SetReference implements storer.ReferenceStorer by refusing.
func (g *Storage) SetReference(*plumbing.Reference) error { return errRefsReadOnly }

// CheckAndSetReference implements storer.ReferenceStorer by refusing.
func (g *Storage) CheckAndSetReference(_, _ *plumbing.Reference) error { return errRefsReadOnly }

// RemoveReference implements storer.ReferenceStorer by refusing.
func (g *Storage) RemoveReference(plumbing.ReferenceName) error { return errRefsReadOnly }

// CountLooseRefs implements storer.ReferenceStorer.
func (g *Storage) CountLooseRefs() (int, error) { return len(g.refs.Refs), nil }

// PackRefs implements storer.ReferenceStorer; there is nothing to pack.
func (g *Storage) PackRefs() error { return nil }

// writeRefCache mirrors the applied updates and HEAD into the git directory, after
// the record committed. It is a cache for inspection only, so a failure is logged.
// Two nodes racing may leave it briefly behind the record; the next write of the
// same reference corrects it.
func (s *Service) writeRefCache(repo Repository, st *Storage, ups []RefUpdate, res []error) {
	for i, u := range ups {
		if res[i] != nil {
			continue
		}
		if err := writeRef(st.Storage, u); err != nil {
			s.log.Warn("repos: mirror reference into the git directory", "repository", repo.Name, "ref", u.Name, "err", err)
		}
	}
	s.writeHeadCache(repo, st)
}

// writeHeadCache mirrors HEAD into the git directory.
func (s *Service) writeHeadCache(repo Repository, st *Storage) {
	head := plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.ReferenceName(st.refs.Head))
	if err := st.Storage.SetReference(head); err != nil {
		s.log.Warn("repos: mirror HEAD into the git directory", "repository", repo.Name, "err", err)
	}
}

// syncPacks makes the repository's packs and their indexes durable before any
// reference names their objects: go-git renames a pack into place but does not
// fsync it. Files already synced cost a cheap call each.
func syncPacks(root string) error {
	dir := filepath.Join(root, "objects", "pack")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("sync packs: %w", err)
	}
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".pack") && !strings.HasSuffix(n, ".idx") {
			continue
		}
		if err := syncFile(filepath.Join(dir, n)); err != nil {
			return fmt.Errorf("sync packs: %w", err)
		}
	}
	return syncFile(dir)
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
