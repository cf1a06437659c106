// Package codecommit is the CodeCommit source action (Source/AWS/CodeCommit/1),
// following https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeCommit.html:
// it zips the tree at the tip of BranchName (CODE_ZIP) as the source artifact, with the
// commit id as revision and the commit's fields as output variables.
package codecommit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/repos"
)

// Repositories is the part of the repository service the action reads; *repos.Service
// has it.
type Repositories interface {
	GetBranch(ctx context.Context, repoName, branch string) (repos.Branch, error)
	GetCommit(ctx context.Context, repoName, id string) (repos.Commit, error)
	ArchiveCommit(ctx context.Context, repoName, commitID string, w io.Writer) error
}

var _ Repositories = (*repos.Service)(nil)

// Provider runs CodeCommit source actions.
type Provider struct {
	Repos     Repositories
	Artifacts action.Artifacts
}

var _ action.Provider = Provider{}

// Run archives the branch tip into the output artifact.
func (p Provider) Run(ctx context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
	repo, branch := job.Configuration["RepositoryName"], job.Configuration["BranchName"]
	if f := job.Configuration["OutputArtifactFormat"]; f != "" && f != "CODE_ZIP" {
		return action.Fail(fmt.Sprintf("OutputArtifactFormat %s is not supported by this server; use CODE_ZIP", f)), nil
	}
	commitID := ""
	if r := job.SourceRevision; r != nil && r.RevisionType == "COMMIT_ID" {
		commitID = r.RevisionValue
	} else {
		b, err := p.Repos.GetBranch(ctx, repo, branch)
		if err != nil {
			return action.Fail(fmt.Sprintf("Could not read branch %s of repository %s: %v", branch, repo, err)), nil
		}
		commitID = b.CommitID
	}
	c, err := p.Repos.GetCommit(ctx, repo, commitID)
	if err != nil {
		return action.Fail(fmt.Sprintf("Could not read commit %s of repository %s: %v", commitID, repo, err)), nil
	}
	var buf bytes.Buffer
	if err := p.Repos.ArchiveCommit(ctx, repo, c.ID, &buf); err != nil {
		return action.Fail(fmt.Sprintf("Could not archive commit %s of repository %s: %v", c.ID, repo, err)), nil
	}
	res := plan.ActionResult{
		Summary: firstLine(c.Message),
		OutputVariables: map[string]string{
			"CommitId": c.ID, "CommitMessage": c.Message, "RepositoryName": repo, "BranchName": branch,
			"AuthorDate": c.Author.When.UTC().Format(time.RFC3339), "CommitterDate": c.Committer.When.UTC().Format(time.RFC3339),
		},
	}
	for _, loc := range job.OutputArtifacts {
		ver, err := p.Artifacts.PutObject(ctx, loc.Bucket, loc.Key, buf.Bytes())
		if err != nil {
			return action.Fail(fmt.Sprintf("Unable to upload the artifact %s to bucket %s: %v", loc.Name, loc.Bucket, err)), nil
		}
		// The source revision of a CodeCommit artifact is the commit id.
		loc.ObjectVersion, loc.Revision = ver, c.ID
		res.OutputArtifacts = append(res.OutputArtifacts, loc)
	}
	return action.Outcome{Status: action.Succeeded, Result: res}, nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
