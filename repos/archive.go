package repos

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// ArchiveCommit writes a zip of the tree at commitID (or any commit specifier: a
// branch or tag) to w: the CODE_ZIP artifact of the CodeCommit source action.
// Unix modes travel in the entries' external attributes, so executables stay
// executable after unzip; symbolic links are stored as links (their target as
// content, mode lrwxrwxrwx) rather than followed; submodules are left out, as
// their content is not in this repository.
func (s *Service) ArchiveCommit(ctx context.Context, repoName, commitID string, w io.Writer) error {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := s.resolve(repo, st, commitID)
	if err != nil {
		return err
	}
	tree, err := r.commit.Tree()
	if err != nil {
		return fmt.Errorf("read tree: %w", err)
	}
	zw := zip.NewWriter(w)
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		name, entry, err := walker.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("walk tree: %w", err)
		}
		if err := addEntry(zw, st, name, entry, r.commit); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("finish zip: %w", err)
	}
	return nil
}

// addEntry writes one tree entry to zw; directories and submodules add nothing.
func addEntry(zw *zip.Writer, st *Storage, name string, e object.TreeEntry, c *object.Commit) error {
	var mode fs.FileMode
	method := zip.Deflate
	switch e.Mode {
	case filemode.Regular, filemode.Deprecated:
		mode = 0o644
	case filemode.Executable:
		mode = 0o755
	case filemode.Symlink:
		mode, method = fs.ModeSymlink|0o777, zip.Store
	default:
		return nil
	}
	obj, err := st.EncodedObject(plumbing.BlobObject, e.Hash)
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	hdr := &zip.FileHeader{Name: name, Method: method, Modified: c.Committer.When}
	hdr.SetMode(mode)
	if obj.Size() < 64 {
		// Deflate would grow tiny files; store them.
		hdr.Method = zip.Store
	}
	fw, err := zw.CreateHeader(hdr)
	if err != nil {
		return fmt.Errorf("zip %s: %w", name, err)
	}
	rd, err := obj.Reader()
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	_, err = io.Copy(fw, rd)
	if cerr := rd.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("zip %s: %w", name, err)
	}
	return nil
}
