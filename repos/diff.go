package repos

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"stepline"
)

// BlobMeta is one side of a difference: the blob, its path and its git mode in
// octal ("100644"), as CodeCommit's BlobMetadata reports it.
type BlobMeta struct {
	BlobID string
	Path   string
	Mode   string
}

// Difference is one changed file; ChangeType is "A", "M" or "D".
type Difference struct {
	Before     *BlobMeta
	After      *BlobMeta
	ChangeType string
}

// GetDifferencesParams is the input of GetDifferences.
type GetDifferencesParams struct {
	Repository string
	Before     string // commit specifier; empty compares with an empty tree
	After      string
	BeforePath string
	AfterPath  string
}

// GetDifferences lists the files that differ between two commits, by path.
func (s *Service) GetDifferences(ctx context.Context, p GetDifferencesParams) ([]Difference, error) {
	repo, err := s.GetRepository(ctx, p.Repository)
	if err != nil {
		return nil, err
	}
	if p.After == "" {
		return nil, stepline.Errorf(CodeCommitRequired, "A commit was not specified.")
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	after, err := s.filesAt(repo, st, p.After, p.AfterPath)
	if err != nil {
		return nil, err
	}
	before := map[string]leaf{}
	if p.Before != "" {
		if before, err = s.filesAt(repo, st, p.Before, p.BeforePath); err != nil {
			return nil, err
		}
	}
	meta := func(path string, l leaf) *BlobMeta {
		return &BlobMeta{BlobID: l.Hash.String(), Path: path, Mode: fmt.Sprintf("%06o", uint32(l.Mode))}
	}
	var out []Difference
	for path, a := range after {
		b, ok := before[path]
		switch {
		case !ok:
			out = append(out, Difference{After: meta(path, a), ChangeType: "A"})
		case a != b:
			out = append(out, Difference{Before: meta(path, b), After: meta(path, a), ChangeType: "M"})
		}
	}
	for path, b := range before {
		if _, ok := after[path]; !ok {
			out = append(out, Difference{Before: meta(path, b), ChangeType: "D"})
		}
	}
	key := func(d Difference) string {
		if d.After != nil {
			return d.After.Path
		}
		return d.Before.Path
	}
	slices.SortFunc(out, func(a, b Difference) int { return strings.Compare(key(a), key(b)) })
	return out, nil
}

// filesAt flattens the tree of the commit spec names, limited to path when set.
func (s *Service) filesAt(repo Repository, st *Storage, spec, path string) (map[string]leaf, error) {
	r, err := s.resolve(repo, st, spec)
	if err != nil {
		return nil, err
	}
	tree, err := r.commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("read tree: %w", err)
	}
	files, err := flatten(tree)
	if err != nil {
		return nil, err
	}
	q, err := cleanPath(path)
	if err != nil || q == "" {
		return files, err
	}
	out := map[string]leaf{}
	for p, l := range files {
		if p == q || strings.HasPrefix(p, q+"/") {
			out[p] = l
		}
	}
	if len(out) == 0 {
		return nil, stepline.Errorf(CodePathDoesNotExist, "The specified path %s does not exist.", path)
	}
	return out, nil
}
