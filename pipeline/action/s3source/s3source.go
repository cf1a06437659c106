// Package s3source is the Amazon S3 source action (Source/AWS/S3/1): it takes the
// object S3Bucket/S3ObjectKey as the pipeline's source artifact, following
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3.html.
// The revision is the object's version id; ETag and VersionId are output variables,
// and the user metadata codepipeline-artifact-revision-summary the revision summary.
package s3source

import (
	"context"
	"fmt"
	"io"

	"stepline/pipeline/action"
	"stepline/pipeline/plan"
)

// Provider copies the source object into the artifact store.
type Provider struct {
	Objects action.Artifacts
}

var _ action.Provider = Provider{}

// MaxSourceBytes is S3 source's artifact size limit (5 GB on AWS); jobs read the object
// into memory, so the limit here is lower.
const MaxSourceBytes = 1 << 30

// Run copies the latest version of the source object to the output artifact.
func (p Provider) Run(ctx context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
	bucket, key, version := job.Configuration["S3Bucket"], job.Configuration["S3ObjectKey"], ""
	if r := job.SourceRevision; r != nil {
		switch r.RevisionType {
		case "S3_OBJECT_VERSION_ID":
			version = r.RevisionValue
		case "S3_OBJECT_KEY":
			key = r.RevisionValue
		}
	}
	rc, info, err := p.Objects.GetObject(ctx, bucket, key, version)
	if err != nil {
		return action.Fail(fmt.Sprintf("The object %s in bucket %s could not be read: %v", key, bucket, err)), nil
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, MaxSourceBytes+1))
	if err != nil {
		return action.Outcome{}, fmt.Errorf("read source %s/%s: %w", bucket, key, err)
	}
	if len(data) > MaxSourceBytes {
		return action.Fail(fmt.Sprintf("The object %s in bucket %s is larger than %d bytes", key, bucket, MaxSourceBytes)), nil
	}
	res := plan.ActionResult{
		Summary:         info.Metadata["codepipeline-artifact-revision-summary"],
		OutputVariables: map[string]string{"ETag": info.ETag, "VersionId": info.VersionID},
	}
	for _, loc := range job.OutputArtifacts {
		ver, err := p.Objects.PutObject(ctx, loc.Bucket, loc.Key, data)
		if err != nil {
			return action.Fail(fmt.Sprintf("Unable to upload the artifact %s to bucket %s: %v", loc.Name, loc.Bucket, err)), nil
		}
		loc.ObjectVersion, loc.Revision = ver, info.VersionID
		res.OutputArtifacts = append(res.OutputArtifacts, loc)
	}
	return action.Outcome{Status: action.Succeeded, Result: res}, nil
}
