package repos

import (
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// leaf is a non-directory tree entry: a file, link or submodule.
type leaf struct {
	Mode filemode.FileMode
	Hash plumbing.Hash
}

// flatten lists every non-directory entry of tree by its slash-separated path.
func flatten(tree *object.Tree) (map[string]leaf, error) {
	out := map[string]leaf{}
	if tree == nil {
		return out, nil
	}
	w := object.NewTreeWalker(tree, true, nil)
	defer w.Close()
	for {
		name, e, err := w.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("walk tree: %w", err)
		}
		if e.Mode != filemode.Dir {
			out[name] = leaf{Mode: e.Mode, Hash: e.Hash}
		}
	}
}

// dirNode is a directory being built.
type dirNode struct {
	leaves map[string]leaf
	dirs   map[string]*dirNode
}

// writeTree stores the tree of files (and every subtree) and returns its id.
func writeTree(st *Storage, files map[string]leaf) (plumbing.Hash, error) {
	root := &dirNode{leaves: map[string]leaf{}, dirs: map[string]*dirNode{}}
	for p, l := range files {
		n := root
		parts := strings.Split(p, "/")
		for _, d := range parts[:len(parts)-1] {
			c, ok := n.dirs[d]
			if !ok {
				c = &dirNode{leaves: map[string]leaf{}, dirs: map[string]*dirNode{}}
				n.dirs[d] = c
			}
			n = c
		}
		n.leaves[parts[len(parts)-1]] = l
	}
	return root.write(st)
}

func (n *dirNode) write(st *Storage) (plumbing.Hash, error) {
	entries := make([]object.TreeEntry, 0, len(n.leaves)+len(n.dirs))
	for name, l := range n.leaves {
		entries = append(entries, object.TreeEntry{Name: name, Mode: l.Mode, Hash: l.Hash})
	}
	for name, d := range n.dirs {
		h, err := d.write(st)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: h})
	}
	// Git orders entries by name, a directory's name compared as if it ended in "/".
	key := func(e object.TreeEntry) string {
		if e.Mode == filemode.Dir {
			return e.Name + "/"
		}
		return e.Name
	}
	slices.SortFunc(entries, func(a, b object.TreeEntry) int { return strings.Compare(key(a), key(b)) })
	t := &object.Tree{Entries: entries}
	obj := st.NewEncodedObject()
	if err := t.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode tree: %w", err)
	}
	return st.SetEncodedObject(obj)
}

// writeBlob stores content as a blob and returns its id.
func writeBlob(st *Storage, content []byte) (plumbing.Hash, error) {
	obj := st.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	obj.SetSize(int64(len(content)))
	w, err := obj.Writer()
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write blob: %w", err)
	}
	if _, err := w.Write(content); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write blob: %w", err)
	}
	if err := w.Close(); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("write blob: %w", err)
	}
	return st.SetEncodedObject(obj)
}

// isDir reports whether some file lives under directory dir in files.
func isDir(files map[string]leaf, dir string) bool {
	prefix := dir + "/"
	for p := range files {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// fileAncestor returns the first ancestor directory of p that is a file in files.
func fileAncestor(files map[string]leaf, p string) (string, bool) {
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if _, ok := files[d]; ok {
			return d, true
		}
	}
	return "", false
}
