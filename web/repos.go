package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"stepline"
	"stepline/repos"
)

// recentCommits is how many commits a repository page lists, following first parents
// from the ref shown.
const recentCommits = 15

// maxShownFile bounds the bytes of a file the console shows as text.
const maxShownFile = 512 << 10

// repoURL is the console page of a repository, at ref when given.
func repoURL(name, ref string) string {
	u := Prefix + "/repositories/" + url.PathEscape(name)
	if ref != "" {
		u += "?ref=" + url.QueryEscape(ref)
	}
	return u
}

// repoPathURL is the tree or file page of path at ref.
func repoPathURL(name, kind, ref, p string) string {
	return Prefix + "/repositories/" + url.PathEscape(name) + "/" + kind + "?" + url.Values{"ref": {ref}, "path": {p}}.Encode()
}

// repoService is the repository service, or a 404 saying it does not run.
func (c *Console) repoService() (*repos.Service, error) {
	if c.deps.Repos == nil {
		return nil, notFound("This server does not run the repository service.")
	}
	return c.deps.Repos, nil
}

// missing makes CodeCommit's "does not exist" errors (RepositoryDoesNotExistException,
// CommitDoesNotExistException, FileDoesNotExistException, ...) a 404 page with
// CodeCommit's message; other errors stay as they are.
func missing(err error) error {
	var se *stepline.Error
	if errors.As(err, &se) && strings.Contains(se.Code, "DoesNotExist") {
		return &httpError{Status: http.StatusNotFound, Message: se.Message}
	}
	return err
}

// repoRow is one repository of the list.
type repoRow struct {
	repos.Repository
	URL string
}

// repoList shows every repository.
func (c *Console) repoList(w http.ResponseWriter, r *http.Request) error {
	body := struct {
		Enabled bool
		Rows    []repoRow
	}{Enabled: c.deps.Repos != nil}
	if c.deps.Repos != nil {
		rs, err := c.deps.Repos.ListRepositories(r.Context(), repos.SortByName, false)
		if err != nil {
			return err
		}
		for _, rp := range rs {
			body.Rows = append(body.Rows, repoRow{Repository: rp, URL: repoURL(rp.Name, "")})
		}
	}
	return c.render(w, 0, "repositories", view{Title: "Repositories", Nav: "repositories", Crumbs: []crumb{{Text: "Repositories"}}, Body: body})
}

// branchRow is one branch with a link to its tree.
type branchRow struct {
	Name    string
	URL     string
	Current bool // the ref shown
	Default bool
}

// commitRow is one commit of the recent list.
type commitRow struct {
	ID      string
	Short   string
	Subject string
	Author  string
	When    string
	URL     string // the tree at the commit
}

// entryLink is a folder or file in a tree listing.
type entryLink struct {
	Name   string
	URL    string
	Folder bool
}

// repoView is a repository at a ref: branches, the tree at a path, a file, commits.
type repoView struct {
	Repo     repos.Repository
	Ref      string // the branch, tag or commit shown
	CommitID string
	Path     string
	Crumbs   []crumb // the folders from the root down to Path
	Branches []branchRow
	Entries  []entryLink
	Commits  []commitRow
	Empty    bool // no branch yet
	// A file's view.
	File    *repos.File
	Text    string
	Binary  bool
	TooBig  bool
	RawSize string
}

// repoPage shows a repository: its branches, the root of its tree at the ref (the
// default branch when none is given) and recent commits.
func (c *Console) repoPage(w http.ResponseWriter, r *http.Request) error {
	return c.repoTree(w, r, true)
}

// repoTreePage shows a folder of the tree at a ref.
func (c *Console) repoTreePage(w http.ResponseWriter, r *http.Request) error {
	return c.repoTree(w, r, false)
}

func (c *Console) repoTree(w http.ResponseWriter, r *http.Request, home bool) error {
	rs, err := c.repoService()
	if err != nil {
		return err
	}
	ctx := r.Context()
	v, err := c.repoBase(r, rs)
	if err != nil || v.Empty {
		if err != nil {
			return err
		}
		return c.renderRepo(w, v, "")
	}
	folder := v.Path
	if folder == "" {
		folder = "/"
	}
	f, err := rs.GetFolder(ctx, v.Repo.Name, v.CommitID, folder)
	if err != nil {
		return missing(err)
	}
	for _, e := range f.SubFolders {
		v.Entries = append(v.Entries, entryLink{Name: e.RelativePath + "/", URL: repoPathURL(v.Repo.Name, "tree", v.Ref, e.AbsolutePath), Folder: true})
	}
	files := slices.Concat(f.Files, f.SymbolicLinks)
	slices.SortFunc(files, func(a, b repos.FolderEntry) int { return strings.Compare(a.RelativePath, b.RelativePath) })
	for _, e := range files {
		v.Entries = append(v.Entries, entryLink{Name: e.RelativePath, URL: repoPathURL(v.Repo.Name, "file", v.Ref, e.AbsolutePath)})
	}
	if home {
		v.Commits = c.commitLog(r, rs, v.Repo.Name, v.CommitID, v.Ref)
	}
	return c.renderRepo(w, v, "")
}

// repoFilePage shows one file at a ref: text as text, anything else by size only.
func (c *Console) repoFilePage(w http.ResponseWriter, r *http.Request) error {
	rs, err := c.repoService()
	if err != nil {
		return err
	}
	v, err := c.repoBase(r, rs)
	if err != nil {
		return err
	}
	if v.Empty {
		return notFound("The repository has no commits yet.")
	}
	f, err := rs.GetFile(r.Context(), v.Repo.Name, v.CommitID, v.Path)
	if err != nil {
		return missing(err)
	}
	v.File, v.RawSize = &f, formatSize(f.Size)
	switch {
	case len(f.Content) > maxShownFile:
		v.TooBig = true
	case !utf8.Valid(f.Content) || slices.Contains(f.Content, 0):
		v.Binary = true
	default:
		v.Text = string(f.Content)
	}
	return c.renderRepo(w, v, "file")
}

// repoBase reads the repository, its branches and the commit the ref names.
func (c *Console) repoBase(r *http.Request, rs *repos.Service) (repoView, error) {
	ctx := r.Context()
	repo, err := rs.GetRepository(ctx, r.PathValue("repo"))
	if err != nil {
		return repoView{}, missing(err)
	}
	q := r.URL.Query()
	v := repoView{Repo: repo, Ref: q.Get("ref"), Path: strings.Trim(q.Get("path"), "/")}
	if v.Ref == "" {
		v.Ref = repo.DefaultBranch
	}
	names, err := rs.ListBranches(ctx, repo.Name)
	if err != nil {
		return v, err
	}
	slices.Sort(names)
	for _, b := range names {
		v.Branches = append(v.Branches, branchRow{Name: b, URL: repoURL(repo.Name, b), Current: b == v.Ref, Default: b == repo.DefaultBranch})
	}
	if v.Ref == "" {
		v.Empty = true
		return v, nil
	}
	meta, err := rs.CommitMetadata(ctx, repo.Name, v.Ref)
	if err != nil {
		return v, missing(err)
	}
	v.CommitID = meta.CommitID
	v.Crumbs = []crumb{{Text: repo.Name, Href: repoPathURL(repo.Name, "tree", v.Ref, "")}}
	at := ""
	for part := range strings.SplitSeq(v.Path, "/") {
		if part == "" {
			continue
		}
		at = strings.TrimPrefix(at+"/"+part, "/")
		v.Crumbs = append(v.Crumbs, crumb{Text: part, Href: repoPathURL(repo.Name, "tree", v.Ref, at)})
	}
	v.Crumbs[len(v.Crumbs)-1].Href = ""
	return v, nil
}

// commitLog follows first parents from id; a commit that cannot be read ends the list.
func (c *Console) commitLog(r *http.Request, rs *repos.Service, repo, id, ref string) []commitRow {
	var out []commitRow
	for id != "" && len(out) < recentCommits {
		cm, err := rs.GetCommit(r.Context(), repo, id)
		if err != nil {
			break
		}
		subject, _, _ := strings.Cut(strings.TrimSpace(cm.Message), "\n")
		out = append(out, commitRow{ID: cm.ID, Short: cm.ID[:min(7, len(cm.ID))], Subject: subject,
			Author: cm.Author.Name, When: formatTime(cm.Author.When), URL: repoPathURL(repo, "tree", cm.ID, "")})
		id = ""
		if len(cm.Parents) > 0 {
			id = cm.Parents[0]
		}
	}
	return out
}

func (c *Console) renderRepo(w http.ResponseWriter, v repoView, kind string) error {
	crumbs := []crumb{{Text: "Repositories", Href: Prefix + "/repositories"}}
	if len(v.Crumbs) == 0 {
		crumbs = append(crumbs, crumb{Text: v.Repo.Name})
	} else {
		crumbs = append(crumbs, v.Crumbs...)
	}
	title := v.Repo.Name
	if v.Path != "" {
		title = v.Repo.Name + "/" + v.Path
	}
	page := "repository"
	if kind == "file" {
		page = "repository_file"
	}
	return c.render(w, 0, page, view{Title: title, Nav: "repositories", Crumbs: crumbs, Body: v})
}
