package codecommitapi_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codecommit/types"
	"github.com/stretchr/testify/require"
)

func TestPutFileCreateCommitAndRead(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("files")})
	require.NoError(t, err)

	// The first PutFile of an empty repository creates the branch and needs no parent.
	put, err := b.client.PutFile(ctx, &codecommit.PutFileInput{
		RepositoryName: aws.String("files"), BranchName: aws.String("main"), FilePath: aws.String("/README.md"),
		FileContent: []byte("# hello\n"), CommitMessage: aws.String("first"), Name: aws.String("Ada"), Email: aws.String("ada@example.com"),
	})
	require.NoError(t, err)
	repo, err := b.client.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("files")})
	require.NoError(t, err)
	require.Equal(t, "main", aws.ToString(repo.RepositoryMetadata.DefaultBranch))

	_, err = b.client.PutFile(ctx, &codecommit.PutFileInput{
		RepositoryName: aws.String("files"), BranchName: aws.String("main"), FilePath: aws.String("b.txt"), FileContent: []byte("b"),
	})
	var parentRequired *types.ParentCommitIdRequiredException
	require.ErrorAs(t, err, &parentRequired)
	_, err = b.client.PutFile(ctx, &codecommit.PutFileInput{
		RepositoryName: aws.String("files"), BranchName: aws.String("main"), FilePath: aws.String("README.md"),
		FileContent: []byte("# hello\n"), ParentCommitId: put.CommitId,
	})
	var same *types.SameFileContentException
	require.ErrorAs(t, err, &same)
	_, err = b.client.PutFile(ctx, &codecommit.PutFileInput{
		RepositoryName: aws.String("files"), BranchName: aws.String("nobranch"), FilePath: aws.String("x"), FileContent: []byte("x"),
	})
	var noBranch *types.BranchDoesNotExistException
	require.ErrorAs(t, err, &noBranch)

	cc, err := b.client.CreateCommit(ctx, &codecommit.CreateCommitInput{
		RepositoryName: aws.String("files"), BranchName: aws.String("main"), ParentCommitId: put.CommitId,
		AuthorName: aws.String("Bob"), Email: aws.String("bob@example.com"), CommitMessage: aws.String("second"),
		PutFiles: []types.PutFileEntry{
			{FilePath: aws.String("bin/run.sh"), FileContent: []byte("#!/bin/sh\necho hi\n"), FileMode: types.FileModeTypeEnumExecutable},
			{FilePath: aws.String("link"), FileContent: []byte("README.md"), FileMode: types.FileModeTypeEnumSymlink},
			{FilePath: aws.String("docs/README.md"), SourceFile: &types.SourceFileSpecifier{FilePath: aws.String("README.md"), IsMove: true}},
		},
	})
	require.NoError(t, err)
	require.Len(t, cc.FilesAdded, 3)
	require.Len(t, cc.FilesDeleted, 1)
	require.Equal(t, "README.md", aws.ToString(cc.FilesDeleted[0].AbsolutePath))

	// A writer holding the old tip is told it is outdated.
	_, err = b.client.CreateCommit(ctx, &codecommit.CreateCommitInput{
		RepositoryName: aws.String("files"), BranchName: aws.String("main"), ParentCommitId: put.CommitId,
		DeleteFiles: []types.DeleteFileEntry{{FilePath: aws.String("link")}},
	})
	var outdated *types.ParentCommitIdOutdatedException
	require.ErrorAs(t, err, &outdated)
	_, err = b.client.CreateCommit(ctx, &codecommit.CreateCommitInput{
		RepositoryName: aws.String("files"), BranchName: aws.String("main"), ParentCommitId: cc.CommitId,
		SetFileModes: []types.SetFileModeEntry{{FilePath: aws.String("bin/run.sh"), FileMode: types.FileModeTypeEnumExecutable}},
	})
	var noChange *types.NoChangeException
	require.ErrorAs(t, err, &noChange)

	f, err := b.client.GetFile(ctx, &codecommit.GetFileInput{RepositoryName: aws.String("files"), FilePath: aws.String("bin/run.sh")})
	require.NoError(t, err)
	require.Equal(t, "#!/bin/sh\necho hi\n", string(f.FileContent))
	require.Equal(t, types.FileModeTypeEnumExecutable, f.FileMode)
	require.Equal(t, aws.ToString(cc.CommitId), aws.ToString(f.CommitId))
	_, err = b.client.GetFile(ctx, &codecommit.GetFileInput{RepositoryName: aws.String("files"), FilePath: aws.String("README.md")})
	var noFile *types.FileDoesNotExistException
	require.ErrorAs(t, err, &noFile)
	old, err := b.client.GetFile(ctx, &codecommit.GetFileInput{RepositoryName: aws.String("files"), FilePath: aws.String("README.md"), CommitSpecifier: put.CommitId})
	require.NoError(t, err)
	require.Equal(t, "# hello\n", string(old.FileContent))

	folder, err := b.client.GetFolder(ctx, &codecommit.GetFolderInput{RepositoryName: aws.String("files"), FolderPath: aws.String("/")})
	require.NoError(t, err)
	require.Equal(t, "/", aws.ToString(folder.FolderPath))
	require.Len(t, folder.SubFolders, 2)
	require.Equal(t, "bin", aws.ToString(folder.SubFolders[0].AbsolutePath))
	require.Len(t, folder.SymbolicLinks, 1)
	require.Empty(t, folder.Files)
	_, err = b.client.GetFolder(ctx, &codecommit.GetFolderInput{RepositoryName: aws.String("files"), FolderPath: aws.String("nowhere")})
	var noFolder *types.FolderDoesNotExistException
	require.ErrorAs(t, err, &noFolder)

	c, err := b.client.GetCommit(ctx, &codecommit.GetCommitInput{RepositoryName: aws.String("files"), CommitId: cc.CommitId})
	require.NoError(t, err)
	require.Equal(t, "second", aws.ToString(c.Commit.Message))
	require.Equal(t, []string{aws.ToString(put.CommitId)}, c.Commit.Parents)
	require.Equal(t, "Bob", aws.ToString(c.Commit.Author.Name))
	require.Regexp(t, `^\d+ [+-]\d{4}$`, aws.ToString(c.Commit.Author.Date))
	_, err = b.client.GetCommit(ctx, &codecommit.GetCommitInput{RepositoryName: aws.String("files"), CommitId: aws.String("nothex")})
	var badID *types.InvalidCommitIdException
	require.ErrorAs(t, err, &badID)

	blob, err := b.client.GetBlob(ctx, &codecommit.GetBlobInput{RepositoryName: aws.String("files"), BlobId: f.BlobId})
	require.NoError(t, err)
	require.Equal(t, f.FileContent, blob.Content)
	batch, err := b.client.BatchGetCommits(ctx, &codecommit.BatchGetCommitsInput{RepositoryName: aws.String("files"),
		CommitIds: []string{aws.ToString(put.CommitId), "0123456789012345678901234567890123456789"}})
	require.NoError(t, err)
	require.Len(t, batch.Commits, 1)
	require.Len(t, batch.Errors, 1)
	require.Equal(t, "CommitIdDoesNotExistException", aws.ToString(batch.Errors[0].ErrorCode))

	diff, err := b.client.GetDifferences(ctx, &codecommit.GetDifferencesInput{
		RepositoryName: aws.String("files"), BeforeCommitSpecifier: put.CommitId, AfterCommitSpecifier: aws.String("main"),
	})
	require.NoError(t, err)
	var kinds []string
	for _, d := range diff.Differences {
		kinds = append(kinds, string(d.ChangeType))
	}
	require.Equal(t, []string{"D", "A", "A", "A"}, kinds) // README.md, bin/run.sh, docs/README.md, link
	require.Equal(t, "100755", aws.ToString(diff.Differences[1].AfterBlob.Mode))

	p := codecommit.NewGetDifferencesPaginator(b.client, &codecommit.GetDifferencesInput{
		RepositoryName: aws.String("files"), AfterCommitSpecifier: aws.String("main"), MaxResults: aws.Int32(2),
	})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		n += len(out.Differences)
	}
	require.Equal(t, 3, n)
}

func TestBranches(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("br")})
	require.NoError(t, err)
	put, err := b.client.PutFile(ctx, &codecommit.PutFileInput{
		RepositoryName: aws.String("br"), BranchName: aws.String("main"), FilePath: aws.String("a"), FileContent: []byte("a"),
	})
	require.NoError(t, err)
	for i := range 12 {
		_, err = b.client.CreateBranch(ctx, &codecommit.CreateBranchInput{
			RepositoryName: aws.String("br"), BranchName: aws.String("feature/" + string(rune('a'+i))), CommitId: put.CommitId,
		})
		require.NoError(t, err)
	}
	_, err = b.client.CreateBranch(ctx, &codecommit.CreateBranchInput{RepositoryName: aws.String("br"), BranchName: aws.String("main"), CommitId: put.CommitId})
	var exists *types.BranchNameExistsException
	require.ErrorAs(t, err, &exists)
	_, err = b.client.CreateBranch(ctx, &codecommit.CreateBranchInput{RepositoryName: aws.String("br"), BranchName: aws.String("bad..name"), CommitId: put.CommitId})
	var badName *types.InvalidBranchNameException
	require.ErrorAs(t, err, &badName)
	_, err = b.client.CreateBranch(ctx, &codecommit.CreateBranchInput{RepositoryName: aws.String("br"), BranchName: aws.String("x"),
		CommitId: aws.String("0123456789012345678901234567890123456789")})
	var noCommit *types.CommitDoesNotExistException
	require.ErrorAs(t, err, &noCommit)

	var names []string
	p := codecommit.NewListBranchesPaginator(b.client, &codecommit.ListBranchesInput{RepositoryName: aws.String("br")})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		names = append(names, out.Branches...)
	}
	require.Len(t, names, 13)
	require.Equal(t, "feature/a", names[0])
	require.Equal(t, "main", names[12])

	got, err := b.client.GetBranch(ctx, &codecommit.GetBranchInput{RepositoryName: aws.String("br"), BranchName: aws.String("feature/c")})
	require.NoError(t, err)
	require.Equal(t, aws.ToString(put.CommitId), aws.ToString(got.Branch.CommitId))
	_, err = b.client.GetBranch(ctx, &codecommit.GetBranchInput{RepositoryName: aws.String("br"), BranchName: aws.String("nope")})
	var noBranch *types.BranchDoesNotExistException
	require.ErrorAs(t, err, &noBranch)

	del, err := b.client.DeleteBranch(ctx, &codecommit.DeleteBranchInput{RepositoryName: aws.String("br"), BranchName: aws.String("feature/c")})
	require.NoError(t, err)
	require.Equal(t, "feature/c", aws.ToString(del.DeletedBranch.BranchName))
	_, err = b.client.DeleteBranch(ctx, &codecommit.DeleteBranchInput{RepositoryName: aws.String("br"), BranchName: aws.String("main")})
	var isDefault *types.DefaultBranchCannotBeDeletedException
	require.ErrorAs(t, err, &isDefault)

	_, err = b.client.UpdateDefaultBranch(ctx, &codecommit.UpdateDefaultBranchInput{RepositoryName: aws.String("br"), DefaultBranchName: aws.String("feature/a")})
	require.NoError(t, err)
	repo, err := b.client.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("br")})
	require.NoError(t, err)
	require.Equal(t, "feature/a", aws.ToString(repo.RepositoryMetadata.DefaultBranch))
}
