package repos

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"stepline"
)

// Limits of CreateCommit and PutFile from CodeCommit's quotas page
// (https://docs.aws.amazon.com/codecommit/latest/userguide/limits.html).
const (
	fileEntriesMax    = 100
	commitMessageMax  = 100 * 1024
	authorNameMax     = 1024
	keepFileName      = ".gitkeep"
	defaultAuthorName = "stepline"
)

// PutFileEntry adds or replaces one file. Exactly one of Content and SourcePath
// is set; with SourcePath the file is copied (moved when IsMove) from the
// parent commit.
type PutFileEntry struct {
	Path       string
	Mode       string // NORMAL when empty
	Content    []byte
	HasContent bool // Content was given (it may be empty)
	SourcePath string
	IsMove     bool
}

// SetFileModeEntry changes one file's mode.
type SetFileModeEntry struct {
	Path string
	Mode string
}

// CreateCommitParams is the input of CreateCommit.
type CreateCommitParams struct {
	Repository       string
	Branch           string
	ParentCommitID   string
	AuthorName       string
	Email            string
	Message          string
	KeepEmptyFolders bool
	PutFiles         []PutFileEntry
	DeleteFiles      []string
	SetFileModes     []SetFileModeEntry
}

// FileChange is one file a commit added, updated or deleted.
type FileChange struct {
	Path   string
	BlobID string
	Mode   string
}

// CommitResult is what CreateCommit made.
type CommitResult struct {
	CommitID string
	TreeID   string
	Added    []FileChange
	Updated  []FileChange
	Deleted  []FileChange
}

// PutFileParams is the input of PutFile.
type PutFileParams struct {
	Repository     string
	Branch         string
	Path           string
	Content        []byte
	Mode           string
	ParentCommitID string
	Message        string
	Name           string
	Email          string
}

// PutFile commits one file to a branch and returns the commit, the file's blob
// and the new tree. In an empty repository it creates the branch.
func (s *Service) PutFile(ctx context.Context, p PutFileParams) (commitID, blobID, treeID string, err error) {
	if len(p.Content) == 0 {
		return "", "", "", stepline.Errorf(CodeFileContentRequired, "The file cannot be added because it is empty. "+
			"Empty files cannot be added to the repository with this API.")
	}
	res, err := s.commit(ctx, CreateCommitParams{
		Repository: p.Repository, Branch: p.Branch, ParentCommitID: p.ParentCommitID, AuthorName: p.Name,
		Email: p.Email, Message: p.Message,
		PutFiles: []PutFileEntry{{Path: p.Path, Mode: p.Mode, Content: p.Content, HasContent: true}},
	}, true)
	if err != nil {
		return "", "", "", err
	}
	for _, c := range append(res.Added, res.Updated...) {
		blobID = c.BlobID
	}
	return res.CommitID, blobID, res.TreeID, nil
}

// CreateCommit makes one commit of file additions, deletions and mode changes on
// a branch whose tip must be ParentCommitID (not needed for an empty repository).
func (s *Service) CreateCommit(ctx context.Context, p CreateCommitParams) (CommitResult, error) {
	return s.commit(ctx, p, false)
}

// commit is PutFile (putFile true) and CreateCommit.
func (s *Service) commit(ctx context.Context, p CreateCommitParams, putFile bool) (CommitResult, error) {
	repo, err := s.GetRepository(ctx, p.Repository)
	if err != nil {
		return CommitResult{}, err
	}
	ref, err := branchRef(p.Branch)
	if err != nil {
		return CommitResult{}, err
	}
	if err := checkCommitText(p); err != nil {
		return CommitResult{}, err
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return CommitResult{}, err
	}
	defer st.Close()
	lk := s.lock(repo.ID)
	lk.Lock()
	res, evs, err := s.commitLocked(ctx, repo, st, ref, p, putFile)
	lk.Unlock()
	if err != nil {
		return CommitResult{}, err
	}
	s.notify(ctx, evs)
	return res, nil
}

func checkCommitText(p CreateCommitParams) error {
	switch {
	case len(p.Message) > commitMessageMax:
		return stepline.Errorf(CodeCommitMessageLengthExceeded, "The commit message exceeds the maximum length of 100 KB.")
	case utf8.RuneCountInString(p.AuthorName) > authorNameMax:
		return stepline.Errorf(CodeNameLengthExceeded, "The user name is not valid because it has exceeded the character limit for author names.")
	case p.Email != "" && (!strings.Contains(p.Email, "@") || strings.ContainsAny(p.Email, "<>\n")):
		return stepline.Errorf(CodeInvalidEmail, "The specified email address either contains one or more characters that are not allowed, or it exceeds the maximum number of characters allowed for an email address.")
	case strings.ContainsAny(p.AuthorName, "<>\n"):
		return stepline.Errorf(CodeNameLengthExceeded, "The user name is not valid.")
	}
	return nil
}

// parentTip checks ParentCommitID against the branch tip as CodeCommit does and
// returns the parent commit (nil for the first commit of an empty repository).
func parentTip(st *Storage, ref plumbing.ReferenceName, parentID string) (*object.Commit, plumbing.Hash, error) {
	tip, err := resolveRef(st, ref)
	if err != nil {
		return nil, tip, err
	}
	if tip.IsZero() {
		branches, err := listBranches(st)
		if err != nil {
			return nil, tip, err
		}
		if len(branches) > 0 {
			return nil, tip, errBranchDoesNotExist(ref.Short())
		}
		if parentID != "" {
			return nil, tip, stepline.Errorf(CodeParentCommitDoesNotExist, "The parent commit ID %s does not exist in the repository.", parentID)
		}
		return nil, tip, nil
	}
	if parentID == "" {
		return nil, tip, stepline.Errorf(CodeParentCommitIDRequired, "A parent commit ID is required. To view the full "+
			"commit ID of a branch in a repository, use GetBranch or a Git command (for example, git pull or git log).")
	}
	h, ok := parseHash(parentID)
	if !ok {
		return nil, tip, stepline.Errorf(CodeInvalidParentCommitID, "The parent commit ID %s is not valid.", parentID)
	}
	if _, err := commitAt(st, h); err != nil {
		return nil, tip, stepline.Errorf(CodeParentCommitDoesNotExist, "The parent commit ID %s does not exist in the repository.", parentID)
	}
	if h != tip {
		return nil, tip, errParentOutdated()
	}
	c, err := commitAt(st, tip)
	return c, tip, err
}

// commitLocked builds and stores the commit with the repository's lock held.
func (s *Service) commitLocked(ctx context.Context, repo Repository, st *Storage, ref plumbing.ReferenceName,
	p CreateCommitParams, putFile bool,
) (CommitResult, []RefEvent, error) {
	parent, tip, err := parentTip(st, ref, p.ParentCommitID)
	if err != nil {
		return CommitResult{}, nil, err
	}
	var files map[string]leaf
	if parent != nil {
		tree, err := parent.Tree()
		if err != nil {
			return CommitResult{}, nil, fmt.Errorf("read tree: %w", err)
		}
		if files, err = flatten(tree); err != nil {
			return CommitResult{}, nil, err
		}
	} else {
		files = map[string]leaf{}
	}
	ch := &changes{st: st, before: files, after: cloneLeaves(files)}
	if err := ch.apply(p, putFile); err != nil {
		return CommitResult{}, nil, err
	}
	res := ch.result()
	if len(res.Added)+len(res.Updated)+len(res.Deleted) == 0 {
		if putFile {
			return CommitResult{}, nil, stepline.Errorf(CodeSameFileContent, "The file could not be added because the "+
				"provided file contents are the same as the existing file. A commit was not created.")
		}
		return CommitResult{}, nil, stepline.Errorf(CodeNoChange, "The commit cannot be created because no changes "+
			"will be made to the repository as a result of this commit. A commit must contain at least one change.")
	}
	treeID, err := writeTree(st, ch.after)
	if err != nil {
		return CommitResult{}, nil, err
	}
	commitID, err := s.writeCommit(st, treeID, parent, p)
	if err != nil {
		return CommitResult{}, nil, err
	}
	if err := st.syncLoose(); err != nil {
		return CommitResult{}, nil, err
	}
	rs, evs, err := s.updateRefsLocked(ctx, repo, st, []RefUpdate{{Name: ref, Old: tip, New: commitID}}, true)
	if err != nil {
		return CommitResult{}, nil, err
	}
	if rs[0] != nil {
		return CommitResult{}, nil, errParentOutdated()
	}
	res.CommitID, res.TreeID = commitID.String(), treeID.String()
	return res, evs, nil
}

func (s *Service) writeCommit(st *Storage, tree plumbing.Hash, parent *object.Commit, p CreateCommitParams) (plumbing.Hash, error) {
	name := p.AuthorName
	if name == "" {
		name = defaultAuthorName
	}
	sig := object.Signature{Name: name, Email: p.Email, When: s.now().Truncate(time.Second)}
	c := &object.Commit{Author: sig, Committer: sig, Message: p.Message, TreeHash: tree}
	if parent != nil {
		c.ParentHashes = []plumbing.Hash{parent.Hash}
	}
	obj := st.NewEncodedObject()
	if err := c.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("encode commit: %w", err)
	}
	return st.SetEncodedObject(obj)
}

func cloneLeaves(m map[string]leaf) map[string]leaf {
	out := make(map[string]leaf, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// changes applies a commit's entries to a copy of the parent's files.
type changes struct {
	st     *Storage
	before map[string]leaf
	after  map[string]leaf
}

func (c *changes) apply(p CreateCommitParams, putFile bool) error {
	n := len(p.PutFiles) + len(p.DeleteFiles) + len(p.SetFileModes)
	switch {
	case n == 0:
		return stepline.Errorf(CodeFileEntryRequired, "The commit cannot be created because no files have been "+
			"specified as added, updated, or changed (PutFile or DeleteFile) for the commit.")
	case n > fileEntriesMax:
		return stepline.Errorf(CodeMaximumFileEntriesExceeded, "The number of specified files to change as part of "+
			"this commit exceeds the maximum number of files that can be changed in a single commit.")
	}
	seen := map[string]bool{}
	claim := func(raw string) (string, error) {
		if raw == "" {
			return "", errPathRequired()
		}
		q, err := cleanPath(raw)
		if err != nil {
			return "", err
		}
		if q == "" {
			return "", errInvalidPath(raw)
		}
		if seen[q] {
			return "", stepline.Errorf(CodeSamePathRequest, "The commit cannot be created because one or more "+
				"changes in this commit duplicate actions in the same file path. %s", raw)
		}
		seen[q] = true
		return q, nil
	}
	var emptied []string
	for _, d := range p.DeleteFiles {
		q, err := claim(d)
		if err != nil {
			return err
		}
		if _, ok := c.after[q]; !ok {
			return errFileDoesNotExist(d)
		}
		delete(c.after, q)
		emptied = append(emptied, path.Dir(q))
	}
	for _, e := range p.PutFiles {
		q, err := claim(e.Path)
		if err != nil {
			return err
		}
		moved, err := c.put(q, e, putFile)
		if err != nil {
			return err
		}
		if moved != "" {
			emptied = append(emptied, path.Dir(moved))
		}
	}
	for _, m := range p.SetFileModes {
		q, err := claim(m.Path)
		if err != nil {
			return err
		}
		mode, ok := gitMode(m.Mode)
		if !ok {
			return errInvalidFileMode()
		}
		l, ok := c.after[q]
		if !ok {
			return errFileDoesNotExist(m.Path)
		}
		l.Mode = mode
		c.after[q] = l
	}
	if p.KeepEmptyFolders {
		for _, d := range emptied {
			if d != "." && !isDir(c.after, d) {
				h, err := writeBlob(c.st, nil)
				if err != nil {
					return err
				}
				c.after[d+"/"+keepFileName] = leaf{Mode: filemode.Regular, Hash: h}
			}
		}
	}
	return nil
}

// put applies one PutFileEntry and returns the source path when it was a move.
func (c *changes) put(q string, e PutFileEntry, putFile bool) (string, error) {
	modeName := e.Mode
	if modeName == "" {
		modeName = ModeNormal
	}
	mode, ok := gitMode(modeName)
	if !ok {
		return "", errInvalidFileMode()
	}
	if d, ok := fileAncestor(c.after, q); ok {
		return "", stepline.Errorf(CodeDirNameConflictsWithFile, "A file cannot be added to the repository because "+
			"the specified path name has the same name as a file that already exists in this repository: %s", d)
	}
	if isDir(c.after, q) {
		return "", stepline.Errorf(CodeFileNameConflictsWithDir, "A file cannot be added to the repository because "+
			"the specified file name has the same name as a directory in this repository: %s", q)
	}
	var h plumbing.Hash
	var moved string
	switch {
	case e.HasContent && e.SourcePath != "":
		return "", stepline.Errorf(CodeFileContentAndSourceFile, "The commit cannot be created because both a "+
			"source file and file content have been specified for the same file: %s", e.Path)
	case e.HasContent:
		if len(e.Content) > FileSizeMax {
			return "", stepline.Errorf(CodeFileContentSizeLimit, "The file cannot be added because it is too large. "+
				"The maximum file size is 6 MB.")
		}
		var err error
		if h, err = writeBlob(c.st, e.Content); err != nil {
			return "", err
		}
	case e.SourcePath != "":
		src, err := cleanPath(e.SourcePath)
		if err != nil {
			return "", err
		}
		l, ok := c.before[src]
		if !ok {
			return "", errFileDoesNotExist(e.SourcePath)
		}
		h = l.Hash
		if e.Mode == "" {
			mode = l.Mode
		}
		if e.IsMove {
			delete(c.after, src)
			moved = src
		}
	default:
		return "", stepline.Errorf(CodeSourceFileOrContentRequired, "The commit cannot be created because no source "+
			"files or file content have been specified for the commit.")
	}
	if old, ok := c.after[q]; ok && old.Hash == h && old.Mode == mode && putFile {
		return "", stepline.Errorf(CodeSameFileContent, "The file could not be added because the provided file "+
			"contents are the same as the existing file. A commit was not created.")
	}
	c.after[q] = leaf{Mode: mode, Hash: h}
	return moved, nil
}

// result compares before and after.
func (c *changes) result() CommitResult {
	var r CommitResult
	change := func(p string, l leaf) FileChange {
		m, _ := modeName(l.Mode)
		return FileChange{Path: p, BlobID: l.Hash.String(), Mode: m}
	}
	for p, l := range c.after {
		old, ok := c.before[p]
		switch {
		case !ok:
			r.Added = append(r.Added, change(p, l))
		case old != l:
			r.Updated = append(r.Updated, change(p, l))
		}
	}
	for p, l := range c.before {
		if _, ok := c.after[p]; !ok {
			r.Deleted = append(r.Deleted, change(p, l))
		}
	}
	byPath := func(a, b FileChange) int { return strings.Compare(a.Path, b.Path) }
	slices.SortFunc(r.Added, byPath)
	slices.SortFunc(r.Updated, byPath)
	slices.SortFunc(r.Deleted, byPath)
	return r
}

func errFileDoesNotExist(p string) *stepline.Error {
	return stepline.Errorf(CodeFileDoesNotExist, "The specified file %s does not exist in the specified commit.", p)
}

func errInvalidFileMode() *stepline.Error {
	return stepline.Errorf(CodeInvalidFileMode, "The specified file mode permission is not valid. "+
		"For a list of valid file mode permissions, see PutFile.")
}
