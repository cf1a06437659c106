package codecommitapi

import (
	"context"

	"stepline/api/awsjson"
	"stepline/repos"
)

// Inputs without the generated Validate (see service.go).
type (
	getFileIn      GetFileInput
	getFolderIn    GetFolderInput
	putFileIn      PutFileInput
	createCommitIn CreateCommitInput
)

func (a *api) registerFile(s *awsjson.Service) {
	awsjson.Handle(s, "GetFile", a.getFile)
	awsjson.Handle(s, "GetFolder", a.getFolder)
	awsjson.Handle(s, "PutFile", a.putFile)
	awsjson.Handle(s, "CreateCommit", a.createCommit)
}

func (a *api) getFile(ctx context.Context, in *getFileIn) (*GetFileOutput, error) {
	f, err := a.svc.GetFile(ctx, in.RepositoryName, strOr(in.CommitSpecifier), in.FilePath)
	if err != nil {
		return nil, err
	}
	return &GetFileOutput{CommitId: f.CommitID, BlobId: f.BlobID, FilePath: f.Path, FileMode: f.Mode,
		FileSize: f.Size, FileContent: f.Content}, nil
}

func (a *api) getFolder(ctx context.Context, in *getFolderIn) (*GetFolderOutput, error) {
	f, err := a.svc.GetFolder(ctx, in.RepositoryName, strOr(in.CommitSpecifier), in.FolderPath)
	if err != nil {
		return nil, err
	}
	out := &GetFolderOutput{CommitId: f.CommitID, FolderPath: "/" + f.Path, TreeId: ptr(f.TreeID),
		SubFolders: []Folder{}, Files: []File{}, SymbolicLinks: []SymbolicLink{}, SubModules: []SubModule{}}
	for _, e := range f.SubFolders {
		out.SubFolders = append(out.SubFolders, Folder{TreeId: ptr(e.ID), AbsolutePath: ptr(e.AbsolutePath), RelativePath: ptr(e.RelativePath)})
	}
	for _, e := range f.Files {
		out.Files = append(out.Files, File{BlobId: ptr(e.ID), AbsolutePath: ptr(e.AbsolutePath), RelativePath: ptr(e.RelativePath), FileMode: ptr(e.Mode)})
	}
	for _, e := range f.SymbolicLinks {
		out.SymbolicLinks = append(out.SymbolicLinks, SymbolicLink{BlobId: ptr(e.ID), AbsolutePath: ptr(e.AbsolutePath), RelativePath: ptr(e.RelativePath), FileMode: ptr(e.Mode)})
	}
	for _, e := range f.SubModules {
		out.SubModules = append(out.SubModules, SubModule{CommitId: ptr(e.ID), AbsolutePath: ptr(e.AbsolutePath), RelativePath: ptr(e.RelativePath)})
	}
	return out, nil
}

func (a *api) putFile(ctx context.Context, in *putFileIn) (*PutFileOutput, error) {
	commitID, blobID, treeID, err := a.svc.PutFile(ctx, repos.PutFileParams{
		Repository: in.RepositoryName, Branch: in.BranchName, Path: in.FilePath, Content: in.FileContent,
		Mode: strOr(in.FileMode), ParentCommitID: strOr(in.ParentCommitId), Message: strOr(in.CommitMessage),
		Name: strOr(in.Name), Email: strOr(in.Email),
	})
	if err != nil {
		return nil, err
	}
	return &PutFileOutput{CommitId: commitID, BlobId: blobID, TreeId: treeID}, nil
}

func (a *api) createCommit(ctx context.Context, in *createCommitIn) (*CreateCommitOutput, error) {
	p := repos.CreateCommitParams{
		Repository: in.RepositoryName, Branch: in.BranchName, ParentCommitID: strOr(in.ParentCommitId),
		AuthorName: strOr(in.AuthorName), Email: strOr(in.Email), Message: strOr(in.CommitMessage),
		KeepEmptyFolders: in.KeepEmptyFolders != nil && *in.KeepEmptyFolders,
	}
	for _, e := range in.PutFiles {
		pe := repos.PutFileEntry{Path: e.FilePath, Mode: strOr(e.FileMode), Content: e.FileContent, HasContent: e.FileContent != nil}
		if e.SourceFile != nil {
			pe.SourcePath = e.SourceFile.FilePath
			pe.IsMove = e.SourceFile.IsMove != nil && *e.SourceFile.IsMove
		}
		p.PutFiles = append(p.PutFiles, pe)
	}
	for _, e := range in.DeleteFiles {
		p.DeleteFiles = append(p.DeleteFiles, e.FilePath)
	}
	for _, e := range in.SetFileModes {
		p.SetFileModes = append(p.SetFileModes, repos.SetFileModeEntry{Path: e.FilePath, Mode: e.FileMode})
	}
	res, err := a.svc.CreateCommit(ctx, p)
	if err != nil {
		return nil, err
	}
	return &CreateCommitOutput{CommitId: ptr(res.CommitID), TreeId: ptr(res.TreeID),
		FilesAdded: fileMeta(res.Added), FilesUpdated: fileMeta(res.Updated), FilesDeleted: fileMeta(res.Deleted)}, nil
}

// fileMeta renders changed files; CodeCommit sends empty lists, not nulls.
func fileMeta(cs []repos.FileChange) []FileMetadata {
	out := []FileMetadata{}
	for _, c := range cs {
		out = append(out, FileMetadata{AbsolutePath: ptr(c.Path), BlobId: ptr(c.BlobID), FileMode: ptr(c.Mode)})
	}
	return out
}
