package repos_test

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/repos"
)

func TestArchiveCommitKeepsModesAndLinks(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	MustRepo(t, svc, "zip")
	ctx := t.Context()
	res, err := svc.CreateCommit(ctx, repos.CreateCommitParams{
		Repository: "zip", Branch: "main", Message: "tree",
		PutFiles: []repos.PutFileEntry{
			{Path: "README.md", Content: []byte("readme\n"), HasContent: true},
			{Path: "bin/build.sh", Content: []byte("#!/bin/sh\nmake\n"), HasContent: true, Mode: repos.ModeExecutable},
			{Path: "docs/latest", Content: []byte("../README.md"), HasContent: true, Mode: repos.ModeSymlink},
			{Path: "src/deep/big.txt", Content: bytes.Repeat([]byte("compressible "), 1000), HasContent: true},
		},
	})
	require.NoError(t, err)

	var buf bytes.Buffer
	require.NoError(t, svc.ArchiveCommit(ctx, "zip", res.CommitID, &buf))
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	got := map[string]fs.FileMode{}
	content := map[string]string{}
	for _, f := range zr.File {
		got[f.Name] = f.Mode()
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		content[f.Name] = string(b)
	}
	require.Equal(t, map[string]fs.FileMode{
		"README.md":        0o644,
		"bin/build.sh":     0o755,
		"docs/latest":      fs.ModeSymlink | 0o777,
		"src/deep/big.txt": 0o644,
	}, got)
	require.Equal(t, "#!/bin/sh\nmake\n", content["bin/build.sh"])
	require.Equal(t, "../README.md", content["docs/latest"], "a link is stored as its target")
	require.Len(t, content["src/deep/big.txt"], 13000)

	// A branch name works as well as a commit id; a missing commit is CodeCommit's error.
	buf.Reset()
	require.NoError(t, svc.ArchiveCommit(ctx, "zip", "main", &buf))
	err = svc.ArchiveCommit(ctx, "zip", "0123456789012345678901234567890123456789", io.Discard)
	requireCode(t, err, repos.CodeCommitDoesNotExist)
	err = svc.ArchiveCommit(ctx, "nope", "main", io.Discard)
	requireCode(t, err, repos.CodeRepositoryDoesNotExist)
}

func TestCommitMetadataForTheSourceAction(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	MustRepo(t, svc, "meta")
	ctx := t.Context()
	c, _, _, err := svc.PutFile(ctx, repos.PutFileParams{Repository: "meta", Branch: "main", Path: "a", Content: []byte("a"),
		Message: "Add a\n\nbody", Name: "Ada", Email: "ada@example.com"})
	require.NoError(t, err)
	md, err := svc.CommitMetadata(ctx, "meta", "main")
	require.NoError(t, err)
	require.Equal(t, repos.CommitMetadata{
		RepositoryName: "meta", BranchName: "main", CommitID: c, CommitMessage: "Add a\n\nbody",
		AuthorDisplayName: "Ada", AuthorEmail: "ada@example.com", AuthorDate: md.AuthorDate,
		CommitterDisplayName: "Ada", CommitterEmail: "ada@example.com", CommitterDate: md.CommitterDate,
	}, md)
	require.False(t, md.AuthorDate.IsZero())
	byID, err := svc.CommitMetadata(ctx, "meta", c)
	require.NoError(t, err)
	require.Empty(t, byID.BranchName)
	require.Equal(t, c, byID.CommitID)
}
