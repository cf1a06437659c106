package githttp

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/pktline"
	"github.com/go-git/go-git/v5/plumbing/object"

	"stepline/repos"
)

// Shallow clones and fetches (gitprotocol-pack(5) "shallow", "deepen",
// "deepen-since", "deepen-not", "deepen-relative"; gitprotocol-v2(5) "fetch=shallow"):
// git clone --depth, --shallow-since, --shallow-exclude, and fetch --deepen or
// --unshallow. The rules follow git's upload-pack: depth counts the wanted commit as
// 1; a relative deepen counts from the client's shallow commits; a commit is a
// shallow boundary when its parents are not sent.

// shallowRequest is what a fetch says about shallow history.
type shallowRequest struct {
	client   []plumbing.Hash // "shallow <id>": the client's boundary commits
	depth    int             // "deepen <n>"; 0 when not asked
	relative bool            // "deepen-relative": depth counts from client
	since    int64           // "deepen-since <unix time>"; valid when hasSince
	hasSince bool
	not      []string // "deepen-not <ref>"
}

// parseLine takes line if it is one of the shallow arguments.
func (s *shallowRequest) parseLine(line string) (bool, error) {
	verb, val, _ := strings.Cut(line, " ")
	switch verb {
	case "shallow":
		h, ok := hashAt([]byte(val), 0)
		if !ok || len(val) != 40 {
			return true, badRequest("malformed shallow line %q", line)
		}
		s.client = append(s.client, h)
	case "deepen":
		n, err := strconv.Atoi(val)
		if err != nil || n <= 0 {
			return true, badRequest("malformed deepen line %q", line)
		}
		s.depth = n
	case "deepen-since":
		t, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return true, badRequest("malformed deepen-since line %q", line)
		}
		s.since, s.hasSince = t, true
	case "deepen-not":
		if val == "" {
			return true, badRequest("malformed deepen-not line %q", line)
		}
		s.not = append(s.not, val)
	case "deepen-relative":
		s.relative = true
	default:
		return false, nil
	}
	return true, nil
}

// deepens reports whether the client asked to change its history's depth, which
// makes the server answer with the new shallow boundary.
func (s shallowRequest) deepens() bool { return s.depth > 0 || s.hasSince || len(s.not) > 0 }

// any reports whether shallow history is involved at all.
func (s shallowRequest) any() bool { return s.deepens() || len(s.client) > 0 }

// shallowPlan is the server's answer: the new boundary, the client's boundary
// commits whose parents are now sent, and where the pack's walk stops.
type shallowPlan struct {
	shallow   []plumbing.Hash        // new boundary commits the client does not know as such
	unshallow []plumbing.Hash        // client boundary commits whose parents are sent
	stop      map[plumbing.Hash]bool // commits whose parents are not sent
}

// errNoShallowCommits is git's refusal of a deepen that selects nothing.
var errNoShallowCommits = errors.New("no commits selected for shallow requests")

// planShallow decides the boundary of a shallow fetch of wants.
func planShallow(st *repos.Storage, wants []plumbing.Hash, req shallowRequest) (shallowPlan, error) {
	// Boundary commits the server does not have are ignored, as git does.
	client := map[plumbing.Hash]bool{}
	var known []plumbing.Hash
	for _, h := range req.client {
		if _, err := object.GetCommit(st, h); err == nil && !client[h] {
			client[h] = true
			known = append(known, h)
		}
	}
	req.client = known
	// Wanted tags count by the commits they name; wanted trees and blobs have no
	// history.
	var commits []plumbing.Hash
	for _, w := range wants {
		if h, ok := peelToCommit(st, w); ok {
			commits = append(commits, h)
		}
	}
	wants = commits
	var included, boundary map[plumbing.Hash]bool
	var err error
	switch {
	case !req.deepens():
		// A shallow client fetching without deepening keeps its boundary.
		return shallowPlan{stop: client}, nil
	case req.depth > 0 && req.relative:
		included, boundary, err = byDepth(st, req.client, req.depth+1)
	case req.depth > 0:
		included, boundary, err = byDepth(st, wants, req.depth)
	default:
		included, boundary, err = byRevList(st, wants, req)
	}
	if err != nil {
		return shallowPlan{}, err
	}
	p := shallowPlan{stop: boundary}
	for h := range boundary {
		if !client[h] {
			p.shallow = append(p.shallow, h)
		}
	}
	for _, h := range req.client {
		switch {
		case boundary[h]:
		case included[h]:
			p.unshallow = append(p.unshallow, h)
		default:
			p.stop[h] = true // not reached: stays a boundary
		}
	}
	sortHashes(p.shallow)
	sortHashes(p.unshallow)
	return p, nil
}

// byDepth walks depth generations from starts (each start is generation 1): the
// commits of the last generation that have parents are the boundary. An "infinite"
// depth (git --unshallow sends 2147483647) walks everything.
func byDepth(st *repos.Storage, starts []plumbing.Hash, depth int) (included, boundary map[plumbing.Hash]bool, err error) {
	included, boundary = map[plumbing.Hash]bool{}, map[plumbing.Hash]bool{}
	if depth <= 0 || depth > math.MaxInt32 {
		depth = math.MaxInt32
	}
	level := starts
	for gen := 1; len(level) > 0; gen++ {
		var next []plumbing.Hash
		for _, h := range level {
			if included[h] {
				continue
			}
			c, err := object.GetCommit(st, h)
			if err != nil {
				return nil, nil, fmt.Errorf("walk shallow history: %w", err)
			}
			included[h] = true
			if gen >= depth {
				if len(c.ParentHashes) > 0 {
					boundary[h] = true
				}
				continue
			}
			next = append(next, c.ParentHashes...)
		}
		level = next
	}
	return included, boundary, nil
}

// byRevList walks from wants over commits committed at or after since and not
// reachable from the deepen-not references; a commit with a parent left out is a
// boundary.
func byRevList(st *repos.Storage, wants []plumbing.Hash, req shallowRequest) (included, boundary map[plumbing.Hash]bool, err error) {
	excluded := map[plumbing.Hash]bool{}
	for _, name := range req.not {
		h, ok := resolveName(st, name)
		if !ok {
			return nil, nil, badRequest("git upload-pack: ambiguous argument '%s': unknown revision", name)
		}
		if err := walkCommits(st, h, excluded); err != nil {
			return nil, nil, err
		}
	}
	keep := func(c *object.Commit) bool {
		return !excluded[c.Hash] && (!req.hasSince || c.Committer.When.Unix() >= req.since)
	}
	included, boundary = map[plumbing.Hash]bool{}, map[plumbing.Hash]bool{}
	queue := append([]plumbing.Hash(nil), wants...)
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		if included[h] {
			continue
		}
		c, err := object.GetCommit(st, h)
		if err != nil {
			return nil, nil, fmt.Errorf("walk shallow history: %w", err)
		}
		if !keep(c) {
			continue
		}
		included[h] = true
		// git cuts all of a shallow commit's parents, so a commit with any parent
		// left out is a boundary and none of its parents is walked from it.
		var kept []plumbing.Hash
		for _, p := range c.ParentHashes {
			pc, err := object.GetCommit(st, p)
			if err != nil {
				return nil, nil, fmt.Errorf("walk shallow history: %w", err)
			}
			if keep(pc) {
				kept = append(kept, p)
			}
		}
		if len(kept) < len(c.ParentHashes) {
			boundary[h] = true
			continue
		}
		queue = append(queue, kept...)
	}
	if len(included) == 0 {
		return nil, nil, errNoShallowCommits
	}
	return included, boundary, nil
}

// resolveName finds a deepen-not argument: a full reference name, a branch, a tag
// or a commit id.
func resolveName(st *repos.Storage, name string) (plumbing.Hash, bool) {
	for _, n := range []string{name, "refs/heads/" + name, "refs/tags/" + name} {
		if r, err := st.Reference(plumbing.ReferenceName(n)); err == nil && r.Type() == plumbing.HashReference {
			return peelToCommit(st, r.Hash())
		}
	}
	if h, ok := hashAt([]byte(name), 0); ok && len(name) == 40 {
		return peelToCommit(st, h)
	}
	return plumbing.ZeroHash, false
}

func peelToCommit(st *repos.Storage, h plumbing.Hash) (plumbing.Hash, bool) {
	for range 10 {
		obj, err := st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return h, false
		}
		if obj.Type() != plumbing.TagObject {
			return h, obj.Type() == plumbing.CommitObject
		}
		t, err := object.GetTag(st, h)
		if err != nil {
			return h, false
		}
		h = t.Target
	}
	return h, false
}

// walkCommits adds every commit reachable from h to seen.
func walkCommits(st *repos.Storage, h plumbing.Hash, seen map[plumbing.Hash]bool) error {
	queue := []plumbing.Hash{h}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		if seen[h] {
			continue
		}
		c, err := object.GetCommit(st, h)
		if err != nil {
			return fmt.Errorf("walk history: %w", err)
		}
		seen[h] = true
		queue = append(queue, c.ParentHashes...)
	}
	return nil
}

// writeShallowLines writes "shallow" and "unshallow" lines.
func writeShallowLines(e *pktline.Encoder, p shallowPlan) error {
	for _, h := range p.shallow {
		if err := e.Encodef("shallow %s\n", h); err != nil {
			return err
		}
	}
	for _, h := range p.unshallow {
		if err := e.Encodef("unshallow %s\n", h); err != nil {
			return err
		}
	}
	return nil
}

// shallowObjects lists the objects a shallow fetch sends: those of the commits
// reachable from wants without crossing stop (whose trees are sent, not their
// parents), less the objects of the commits the client has: those reachable from
// common, without crossing the client's own boundary.
func shallowObjects(st *repos.Storage, wants, common []plumbing.Hash, clientStop, stop map[plumbing.Hash]bool) ([]plumbing.Hash, error) {
	has := map[plumbing.Hash]bool{}
	w := &objectWalker{st: st, seen: has}
	if err := w.commits(common, clientStop); err != nil {
		return nil, err
	}
	w2 := &objectWalker{st: st, seen: map[plumbing.Hash]bool{}, skip: has}
	if err := w2.commits(wants, stop); err != nil {
		return nil, err
	}
	return w2.out, nil
}

// objectWalker collects the commits, trees and blobs of a history walk.
type objectWalker struct {
	st   *repos.Storage
	seen map[plumbing.Hash]bool // objects visited (and, for the client's, had)
	skip map[plumbing.Hash]bool // objects not to send: the client has them
	out  []plumbing.Hash
}

// add records h as visited and, unless the client has it, to be sent; it
// reports whether h was new to the walk.
func (w *objectWalker) add(h plumbing.Hash) bool {
	if w.seen[h] {
		return false
	}
	w.seen[h] = true
	if !w.skip[h] {
		w.out = append(w.out, h)
	}
	return true
}

// commits walks from starts, not past stop. A start may be an annotated tag,
// which is sent with what it names.
func (w *objectWalker) commits(starts []plumbing.Hash, stop map[plumbing.Hash]bool) error {
	queue := append([]plumbing.Hash(nil), starts...)
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		if !w.add(h) {
			continue
		}
		obj, err := w.st.EncodedObject(plumbing.AnyObject, h)
		if err != nil {
			return fmt.Errorf("walk history: %w", err)
		}
		switch obj.Type() {
		case plumbing.TagObject:
			t, err := object.GetTag(w.st, h)
			if err != nil {
				return fmt.Errorf("walk history: %w", err)
			}
			queue = append(queue, t.Target)
			continue
		case plumbing.TreeObject:
			delete(w.seen, h)
			if !w.skip[h] {
				w.out = w.out[:len(w.out)-1]
			}
			if err := w.tree(h); err != nil {
				return err
			}
			continue
		case plumbing.BlobObject:
			continue
		}
		c, err := object.GetCommit(w.st, h)
		if err != nil {
			return fmt.Errorf("walk history: %w", err)
		}
		if err := w.tree(c.TreeHash); err != nil {
			return err
		}
		if !stop[h] {
			queue = append(queue, c.ParentHashes...)
		}
	}
	return nil
}

func (w *objectWalker) tree(h plumbing.Hash) error {
	if w.skip[h] {
		return nil // the client has the tree, so everything in it
	}
	if !w.add(h) {
		return nil
	}
	t, err := object.GetTree(w.st, h)
	if err != nil {
		return fmt.Errorf("walk tree: %w", err)
	}
	for _, e := range t.Entries {
		switch e.Mode {
		case filemode.Dir:
			if err := w.tree(e.Hash); err != nil {
				return err
			}
		case filemode.Submodule:
		default:
			w.add(e.Hash)
		}
	}
	return nil
}

func sortHashes(hs []plumbing.Hash) {
	slices.SortFunc(hs, func(a, b plumbing.Hash) int { return bytes.Compare(a[:], b[:]) })
}
