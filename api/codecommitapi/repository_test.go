package codecommitapi_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/codecommit"
	"github.com/aws/aws-sdk-go-v2/service/codecommit/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

// requireCode checks that err is the AWS error code with a message containing msg.
func requireCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	require.True(t, errors.As(err, &ae), "want %s, got %v", code, err)
	require.Equal(t, code, ae.ErrorCode())
	require.Contains(t, ae.ErrorMessage(), msg)
}

func TestRepositoryLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	created, err := b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{
		RepositoryName: aws.String("MyDemoRepo"), RepositoryDescription: aws.String("demo"),
	})
	require.NoError(t, err)
	md := created.RepositoryMetadata
	require.Equal(t, "MyDemoRepo", aws.ToString(md.RepositoryName))
	require.Equal(t, "arn:aws:codecommit:us-east-1:000000000000:MyDemoRepo", aws.ToString(md.Arn))
	require.Equal(t, b.srv.URL+"/git/MyDemoRepo", aws.ToString(md.CloneUrlHttp))
	require.Equal(t, "000000000000", aws.ToString(md.AccountId))
	require.Nil(t, md.DefaultBranch, "an empty repository has no default branch yet")
	require.NotEmpty(t, aws.ToString(md.RepositoryId))
	require.False(t, md.CreationDate.IsZero())

	_, err = b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("MyDemoRepo")})
	var exists *types.RepositoryNameExistsException
	require.ErrorAs(t, err, &exists)
	requireCode(t, err, "RepositoryNameExistsException", "Repository named MyDemoRepo already exists")

	_, err = b.client.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("nope")})
	var missing *types.RepositoryDoesNotExistException
	require.ErrorAs(t, err, &missing)
	requireCode(t, err, "RepositoryDoesNotExistException", "nope does not exist")

	for _, bad := range []string{"has space", "x.git", strings.Repeat("a", 101), "ünicode"} {
		_, err = b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String(bad)})
		requireCode(t, err, "InvalidRepositoryNameException", "The repository name is not valid.")
	}
	_, err = b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{
		RepositoryName: aws.String("long"), RepositoryDescription: aws.String(strings.Repeat("d", 1001)),
	})
	requireCode(t, err, "InvalidRepositoryDescriptionException", "1000 characters")

	_, err = b.client.UpdateRepositoryDescription(ctx, &codecommit.UpdateRepositoryDescriptionInput{
		RepositoryName: aws.String("MyDemoRepo"), RepositoryDescription: aws.String("new words"),
	})
	require.NoError(t, err)
	got, err := b.client.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("MyDemoRepo")})
	require.NoError(t, err)
	require.Equal(t, "new words", aws.ToString(got.RepositoryMetadata.RepositoryDescription))

	_, err = b.client.UpdateRepositoryName(ctx, &codecommit.UpdateRepositoryNameInput{OldName: aws.String("MyDemoRepo"), NewName: aws.String("Renamed")})
	require.NoError(t, err)
	renamed, err := b.client.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("Renamed")})
	require.NoError(t, err)
	require.Equal(t, aws.ToString(md.RepositoryId), aws.ToString(renamed.RepositoryMetadata.RepositoryId))
	require.Equal(t, "arn:aws:codecommit:us-east-1:000000000000:Renamed", aws.ToString(renamed.RepositoryMetadata.Arn))
	require.Equal(t, "new words", aws.ToString(renamed.RepositoryMetadata.RepositoryDescription))
	_, err = b.client.GetRepository(ctx, &codecommit.GetRepositoryInput{RepositoryName: aws.String("MyDemoRepo")})
	requireCode(t, err, "RepositoryDoesNotExistException", "MyDemoRepo does not exist")
	_, err = b.client.CreateRepository(ctx, &codecommit.CreateRepositoryInput{RepositoryName: aws.String("Other")})
	require.NoError(t, err)
	_, err = b.client.UpdateRepositoryName(ctx, &codecommit.UpdateRepositoryNameInput{OldName: aws.String("Renamed"), NewName: aws.String("Other")})
	requireCode(t, err, "RepositoryNameExistsException", "Other")
	_, err = b.client.UpdateRepositoryName(ctx, &codecommit.UpdateRepositoryNameInput{OldName: aws.String("Renamed"), NewName: aws.String("MyDemoRepo")})
	require.NoError(t, err)

	batch, err := b.client.BatchGetRepositories(ctx, &codecommit.BatchGetRepositoriesInput{
		RepositoryNames: []string{"MyDemoRepo", "ghost"},
	})
	require.NoError(t, err)
	require.Len(t, batch.Repositories, 1)
	require.Equal(t, []string{"ghost"}, batch.RepositoriesNotFound)

	del, err := b.client.DeleteRepository(ctx, &codecommit.DeleteRepositoryInput{RepositoryName: aws.String("MyDemoRepo")})
	require.NoError(t, err)
	require.Equal(t, aws.ToString(md.RepositoryId), aws.ToString(del.RepositoryId))
	del, err = b.client.DeleteRepository(ctx, &codecommit.DeleteRepositoryInput{RepositoryName: aws.String("MyDemoRepo")})
	require.NoError(t, err, "deleting a missing repository is not an error on CodeCommit")
	require.Nil(t, del.RepositoryId)
}

func TestListRepositoriesPagesAndSorts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	const n = 25
	for i := range n {
		_, err := b.svc.CreateRepository(ctx, repoParams(fmt.Sprintf("r%04d", i)))
		require.NoError(t, err)
	}
	var names []string
	p := codecommit.NewListRepositoriesPaginator(b.client, &codecommit.ListRepositoriesInput{Order: types.OrderEnumDescending})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		require.NoError(t, err)
		pages++
		for _, r := range out.Repositories {
			names = append(names, aws.ToString(r.RepositoryName))
		}
	}
	require.Equal(t, 3, pages)
	require.Len(t, names, n)
	require.Equal(t, "r0024", names[0])
	require.Equal(t, "r0000", names[n-1])

	_, err := b.client.ListRepositories(ctx, &codecommit.ListRepositoriesInput{NextToken: aws.String("forged")})
	requireCode(t, err, "InvalidContinuationTokenException", "not valid")
	_, err = b.client.ListRepositories(ctx, &codecommit.ListRepositoriesInput{SortBy: "size"})
	requireCode(t, err, "InvalidSortByException", "not valid")
}
