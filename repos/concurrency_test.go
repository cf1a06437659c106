package repos_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/repos"
)

func TestPutFileRaceOneWinsPerParent(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	MustRepo(t, svc, "race")
	ctx := t.Context()
	base, _, _, err := svc.PutFile(ctx, repos.PutFileParams{Repository: "race", Branch: "main", Path: "f", Content: []byte("0")})
	require.NoError(t, err)

	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, _, _, errs[i] = svc.PutFile(ctx, repos.PutFileParams{Repository: "race", Branch: "main", Path: "f",
				Content: []byte(fmt.Sprint(i + 1)), ParentCommitID: base})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		requireCode(t, err, repos.CodeParentCommitIDOutdated)
	}
	require.Equal(t, 1, wins)
}

func TestRetryingWritersLoseNothing(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	MustRepo(t, svc, "chain")
	ctx := t.Context()
	_, _, _, err := svc.PutFile(ctx, repos.PutFileParams{Repository: "chain", Branch: "main", Path: "seed", Content: []byte("s")})
	require.NoError(t, err)
	var mu sync.Mutex
	var events []repos.RefEvent
	svc.OnReferenceUpdated(func(_ context.Context, ev repos.RefEvent) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
	})

	const n = 6
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for {
				br, err := svc.GetBranch(ctx, "chain", "main")
				if err != nil {
					t.Error(err)
					return
				}
				_, err = svc.CreateCommit(ctx, repos.CreateCommitParams{Repository: "chain", Branch: "main", ParentCommitID: br.CommitID,
					PutFiles: []repos.PutFileEntry{{Path: fmt.Sprintf("w%d", i), Content: []byte("x"), HasContent: true}}})
				var se *stepline.Error
				if errors.As(err, &se) && se.Code == repos.CodeParentCommitIDOutdated {
					continue
				}
				if err != nil {
					t.Error(err)
				}
				return
			}
		})
	}
	wg.Wait()
	folder, err := svc.GetFolder(ctx, "chain", "main", "/")
	require.NoError(t, err)
	require.Len(t, folder.Files, n+1, "every writer's file is in the final tree")

	// Events chain: each one's old commit is the previous one's new commit.
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, events, n)
	for i := 1; i < n; i++ {
		require.Equal(t, events[i-1].NewCommit, events[i].OldCommit)
	}
	br, err := svc.GetBranch(ctx, "chain", "main")
	require.NoError(t, err)
	require.Equal(t, br.CommitID, events[n-1].NewCommit)
}

func TestCreateCommitRules(t *testing.T) {
	t.Parallel()
	svc := MustService(t)
	MustRepo(t, svc, "rules")
	ctx := t.Context()
	first, err := svc.CreateCommit(ctx, repos.CreateCommitParams{Repository: "rules", Branch: "main",
		PutFiles: []repos.PutFileEntry{{Path: "dir/a", Content: []byte("a"), HasContent: true}}})
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		p    repos.CreateCommitParams
		code string
	}{
		{"NoEntries", repos.CreateCommitParams{}, repos.CodeFileEntryRequired},
		{"DotDot", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: "../x", Content: []byte("x"), HasContent: true}}}, repos.CodeInvalidPath},
		{"GitDir", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: ".git/config", Content: []byte("x"), HasContent: true}}}, repos.CodeInvalidPath},
		{"SamePath", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: "x", Content: []byte("1"), HasContent: true}, {Path: "/x", Content: []byte("2"), HasContent: true}}}, repos.CodeSamePathRequest},
		{"FileUnderFile", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: "dir/a/b", Content: []byte("x"), HasContent: true}}}, repos.CodeDirNameConflictsWithFile},
		{"FileOverDir", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: "dir", Content: []byte("x"), HasContent: true}}}, repos.CodeFileNameConflictsWithDir},
		{"DeleteMissing", repos.CreateCommitParams{DeleteFiles: []string{"nope"}}, repos.CodeFileDoesNotExist},
		{"BadMode", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: "m", Content: []byte("x"), HasContent: true, Mode: "RWX"}}}, repos.CodeInvalidFileMode},
		{"NoContent", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: "m"}}}, repos.CodeSourceFileOrContentRequired},
		{"Both", repos.CreateCommitParams{PutFiles: []repos.PutFileEntry{{Path: "m", HasContent: true, SourcePath: "dir/a"}}}, repos.CodeFileContentAndSourceFile},
		{"BadEmail", repos.CreateCommitParams{Email: "no-at-sign", DeleteFiles: []string{"dir/a"}}, repos.CodeInvalidEmail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.p.Repository, tc.p.Branch, tc.p.ParentCommitID = "rules", "main", first.CommitID
			_, err := svc.CreateCommit(ctx, tc.p)
			requireCode(t, err, tc.code)
		})
	}

	// Deleting the last file of a folder keeps the folder when asked.
	res, err := svc.CreateCommit(ctx, repos.CreateCommitParams{Repository: "rules", Branch: "main", ParentCommitID: first.CommitID,
		DeleteFiles: []string{"dir/a"}, KeepEmptyFolders: true})
	require.NoError(t, err)
	f, err := svc.GetFile(ctx, "rules", res.CommitID, "dir/.gitkeep")
	require.NoError(t, err)
	require.Empty(t, f.Content)
}
