package githttp

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"stepline/repos"
)

// refInfo is one reference as both protocol versions describe it.
type refInfo struct {
	name   string
	hash   plumbing.Hash // zero when unborn
	peeled plumbing.Hash // the commit an annotated tag names; zero otherwise
	target string        // HEAD's branch
	unborn bool          // HEAD names a branch that does not exist yet
}

// listRefs reads HEAD and every reference under refs/, sorted by name after HEAD,
// from the snapshot the repository was opened with, so no push is half seen.
func listRefs(repo *repos.Repo) ([]refInfo, error) {
	st := repo.Storage
	it, err := st.IterReferences()
	if err != nil {
		return nil, fmt.Errorf("list references: %w", err)
	}
	byName := map[plumbing.ReferenceName]plumbing.Hash{}
	err = it.ForEach(func(ref *plumbing.Reference) error {
		if ref.Type() == plumbing.HashReference && strings.HasPrefix(ref.Name().String(), "refs/") {
			byName[ref.Name()] = ref.Hash()
		}
		return nil
	})
	if err != nil && !errors.Is(err, storer.ErrStop) {
		return nil, fmt.Errorf("list references: %w", err)
	}
	var out []refInfo
	if hr, err := st.Reference(plumbing.HEAD); err == nil && hr.Type() == plumbing.SymbolicReference {
		h, ok := byName[hr.Target()]
		out = append(out, refInfo{name: "HEAD", hash: h, target: hr.Target().String(), unborn: !ok})
	}
	names := make([]plumbing.ReferenceName, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		ri := refInfo{name: n.String(), hash: byName[n]}
		if n.IsTag() {
			if t, err := object.GetTag(st, ri.hash); err == nil {
				ri.peeled = t.Target
			}
		}
		out = append(out, ri)
	}
	return out, nil
}
