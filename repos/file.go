package repos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"stepline"
)

// CodeCommit's file modes (FileModeTypeEnum).
const (
	ModeNormal     = "NORMAL"
	ModeExecutable = "EXECUTABLE"
	ModeSymlink    = "SYMLINK"
)

// FileSizeMax is the largest file GetFile returns and PutFile accepts: 6 MB
// (CodeCommit quotas: "Maximum file size ... 6 MB" for the console and API).
const FileSizeMax = 6 << 20

// modeName maps a git file mode to CodeCommit's enum; ok is false for trees and
// submodules.
func modeName(m filemode.FileMode) (string, bool) {
	switch m {
	case filemode.Regular, filemode.Deprecated:
		return ModeNormal, true
	case filemode.Executable:
		return ModeExecutable, true
	case filemode.Symlink:
		return ModeSymlink, true
	}
	return "", false
}

// gitMode maps CodeCommit's enum to a git file mode.
func gitMode(name string) (filemode.FileMode, bool) {
	switch name {
	case ModeNormal:
		return filemode.Regular, true
	case ModeExecutable:
		return filemode.Executable, true
	case ModeSymlink:
		return filemode.Symlink, true
	}
	return 0, false
}

// cleanPath turns a CodeCommit path ("/dir/file", "dir/file") into the slash
// separated path git stores, refusing "." and ".." components and ".git".
func cleanPath(p string) (string, error) {
	q := strings.Trim(p, "/")
	if q == "" {
		return "", nil
	}
	for _, part := range strings.Split(q, "/") {
		if part == "" || part == "." || part == ".." || strings.EqualFold(part, ".git") || strings.ContainsRune(part, 0) {
			return "", errInvalidPath(p)
		}
	}
	return q, nil
}

// File is one file at a commit, content included.
type File struct {
	CommitID string
	BlobID   string
	Path     string
	Mode     string
	Size     int64
	Content  []byte
}

// GetFile returns the file at filePath in the commit spec names (default branch
// when empty).
func (s *Service) GetFile(ctx context.Context, repoName, spec, filePath string) (File, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return File{}, err
	}
	if filePath == "" {
		return File{}, errPathRequired()
	}
	p, err := cleanPath(filePath)
	if err != nil {
		return File{}, err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return File{}, err
	}
	defer st.Close()
	r, err := s.resolve(repo, st, spec)
	if err != nil {
		return File{}, err
	}
	notFound := stepline.Errorf(CodeFileDoesNotExist, "The specified file %s does not exist in the specified commit.", filePath)
	if p == "" {
		return File{}, notFound
	}
	tree, err := r.commit.Tree()
	if err != nil {
		return File{}, fmt.Errorf("read tree: %w", err)
	}
	entry, err := tree.FindEntry(p)
	if err != nil {
		return File{}, notFound
	}
	mode, ok := modeName(entry.Mode)
	if !ok {
		return File{}, notFound
	}
	blob, err := object.GetBlob(st, entry.Hash)
	if err != nil {
		return File{}, fmt.Errorf("read blob %s: %w", entry.Hash, err)
	}
	if blob.Size > FileSizeMax {
		return File{}, stepline.Errorf(CodeFileTooLarge, "The specified file exceeds the file size limit for "+
			"AWS CodeCommit. For more information about limits in AWS CodeCommit, see AWS CodeCommit User Guide.")
	}
	rd, err := blob.Reader()
	if err != nil {
		return File{}, fmt.Errorf("read blob %s: %w", entry.Hash, err)
	}
	defer rd.Close()
	content, err := io.ReadAll(rd)
	if err != nil {
		return File{}, fmt.Errorf("read blob %s: %w", entry.Hash, err)
	}
	return File{CommitID: r.commit.Hash.String(), BlobID: entry.Hash.String(), Path: p, Mode: mode,
		Size: blob.Size, Content: content}, nil
}

// FolderEntry is one entry of a folder: a file, symbolic link, subfolder or
// submodule. ID is the blob, tree or (for submodules) commit id.
type FolderEntry struct {
	ID           string
	AbsolutePath string
	RelativePath string
	Mode         string // files and symbolic links only
}

// Folder is one directory at a commit.
type Folder struct {
	CommitID      string
	Path          string
	TreeID        string
	SubFolders    []FolderEntry
	Files         []FolderEntry
	SymbolicLinks []FolderEntry
	SubModules    []FolderEntry
}

// GetFolder lists the folder at folderPath ("/" or "" for the root) in the commit
// spec names.
func (s *Service) GetFolder(ctx context.Context, repoName, spec, folderPath string) (Folder, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return Folder{}, err
	}
	if folderPath == "" {
		return Folder{}, errPathRequired()
	}
	p, err := cleanPath(folderPath)
	if err != nil {
		return Folder{}, err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return Folder{}, err
	}
	defer st.Close()
	r, err := s.resolve(repo, st, spec)
	if err != nil {
		return Folder{}, err
	}
	tree, err := r.commit.Tree()
	if err != nil {
		return Folder{}, fmt.Errorf("read tree: %w", err)
	}
	if p != "" {
		tree, err = tree.Tree(p)
		if errors.Is(err, object.ErrDirectoryNotFound) || errors.Is(err, object.ErrEntryNotFound) || errors.Is(err, object.ErrFileNotFound) {
			return Folder{}, stepline.Errorf(CodeFolderDoesNotExist, "The specified folder %s does not exist in the specified commit.", folderPath)
		}
		if err != nil {
			return Folder{}, fmt.Errorf("read tree %s: %w", p, err)
		}
	}
	out := Folder{CommitID: r.commit.Hash.String(), Path: p, TreeID: tree.Hash.String()}
	for _, e := range tree.Entries {
		fe := FolderEntry{ID: e.Hash.String(), AbsolutePath: path.Join(p, e.Name), RelativePath: e.Name}
		switch e.Mode {
		case filemode.Dir:
			out.SubFolders = append(out.SubFolders, fe)
		case filemode.Submodule:
			out.SubModules = append(out.SubModules, fe)
		case filemode.Symlink:
			fe.Mode = ModeSymlink
			out.SymbolicLinks = append(out.SymbolicLinks, fe)
		default:
			fe.Mode, _ = modeName(e.Mode)
			out.Files = append(out.Files, fe)
		}
	}
	return out, nil
}
