// Package s3deploy is the Amazon S3 deploy action (Deploy/AWS/S3/1), following
// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-S3Deploy.html:
// it puts the single input artifact into the bucket BucketName, either unzipped
// (Extract "true": every file of the zip becomes an object under the optional ObjectKey
// prefix) or as it is (Extract "false": one object named ObjectKey).
//
// Artifacts are streamed: the zip is spooled to a temporary file (archive/zip needs
// random access) and each file is copied from it into the bucket, so no artifact is
// held in memory. CacheControl is set on every object written. CannedACL and
// KMSEncryptionKeyARN are accepted for compatibility; the object store keeps no ACLs
// and does not encrypt with KMS, so they change nothing (docs/pipelines.md).
package s3deploy

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"os"
	"path"
	"strings"

	"stepline"
	"stepline/objects"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
)

// Bucket writes the deployed objects; ObjectStore adapts the objects package to it.
type Bucket interface {
	// PutObject stores body (size bytes, -1 when unknown) as bucket/key.
	PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64, h objects.Headers) error
}

// ObjectStore writes deployed objects through the object store, as a PutObject over
// the S3 API would.
type ObjectStore struct {
	S *objects.Service
}

var _ Bucket = ObjectStore{}

// PutObject stores one object.
func (o ObjectStore) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64, h objects.Headers) error {
	_, err := o.S.PutObject(ctx, objects.PutParams{Bucket: bucket, Key: key, Body: body, Size: size, Headers: h})
	return err
}

// Provider runs S3 deploy actions.
type Provider struct {
	// Artifacts reads the input artifact from the artifact store.
	Artifacts action.Artifacts
	// Bucket writes the deployed objects.
	Bucket Bucket
	// TempDir holds the spooled zip while it is extracted ("" for os.TempDir).
	TempDir string
}

var _ action.Provider = Provider{}

// Run deploys the input artifact. Whatever goes wrong with the artifact or the target
// bucket fails the action with a summary saying what; only a failure to spool the
// artifact locally is an error, so the job runs again.
func (p Provider) Run(ctx context.Context, job action.Job, _ func(plan.ActionResult)) (action.Outcome, error) {
	cfg := job.Configuration
	bucket := cfg["BucketName"]
	if len(job.InputArtifacts) != 1 {
		return action.Fail(fmt.Sprintf("The S3 deploy action needs exactly one input artifact, got %d", len(job.InputArtifacts))), nil
	}
	in := job.InputArtifacts[0]
	extract, ok := ParseExtract(cfg["Extract"])
	if !ok {
		return action.Fail(fmt.Sprintf("Extract must be true or false, not '%s'", cfg["Extract"])), nil
	}
	h := objects.Headers{CacheControl: cfg["CacheControl"]}
	rc, _, err := p.Artifacts.GetObject(ctx, in.Bucket, in.Key, in.ObjectVersion)
	if err != nil {
		return action.Fail(fmt.Sprintf("The input artifact %s could not be read from s3://%s/%s: %v", in.Name, in.Bucket, in.Key, err)), nil
	}
	defer rc.Close()
	if !extract {
		key := cfg["ObjectKey"]
		if err := p.Bucket.PutObject(ctx, bucket, key, rc, -1, h); err != nil {
			return action.Fail(putFailure(bucket, key, err)), nil
		}
		return succeeded(fmt.Sprintf("Uploaded the input artifact %s to s3://%s/%s", in.Name, bucket, key)), nil
	}
	f, size, err := p.spool(rc)
	if err != nil {
		return action.Outcome{}, err
	}
	defer func() { _ = f.Close(); _ = os.Remove(f.Name()) }()
	n, fail := p.extract(ctx, f, size, bucket, strings.TrimSuffix(cfg["ObjectKey"], "/"), h, in.Name)
	if fail != "" {
		return action.Fail(fail), nil
	}
	return succeeded(fmt.Sprintf("Extracted %d files of the input artifact %s to s3://%s/%s", n, in.Name, bucket, cfg["ObjectKey"])), nil
}

// ParseExtract reads the Extract configuration value; AWS's console writes "true" or
// "false", and the check ignores case as CloudFormation's booleans do.
func ParseExtract(v string) (extract, ok bool) {
	switch strings.ToLower(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

func succeeded(summary string) action.Outcome {
	return action.Outcome{Status: action.Succeeded, Result: plan.ActionResult{Summary: summary}}
}

// spool copies the artifact to a temporary file, for archive/zip's random access.
func (p Provider) spool(r io.Reader) (*os.File, int64, error) {
	f, err := os.CreateTemp(p.TempDir, "s3deploy-*.zip")
	if err != nil {
		return nil, 0, fmt.Errorf("spool artifact: %w", err)
	}
	n, err := io.Copy(f, r)
	if err != nil {
		_ = f.Close()
		_ = os.Remove(f.Name())
		return nil, 0, fmt.Errorf("spool artifact: %w", err)
	}
	return f, n, nil
}

// extract puts every file of the zip under prefix and returns how many it wrote, or a
// failure summary.
func (p Provider) extract(ctx context.Context, f io.ReaderAt, size int64, bucket, prefix string, h objects.Headers, name string) (int, string) {
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return 0, fmt.Sprintf("The input artifact %s is not a valid zip file and cannot be extracted: %v", name, err)
	}
	n := 0
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		key := strings.TrimPrefix(zf.Name, "/")
		if prefix != "" {
			key = prefix + "/" + key
		}
		if err := p.putEntry(ctx, zf, bucket, key, h); err != nil {
			return n, err.Error()
		}
		n++
	}
	return n, ""
}

func (p Provider) putEntry(ctx context.Context, zf *zip.File, bucket, key string, h objects.Headers) error {
	r, err := zf.Open()
	if err != nil {
		return fmt.Errorf("The file %s in the input artifact cannot be read: %v", zf.Name, err)
	}
	defer r.Close()
	h.ContentType = mime.TypeByExtension(path.Ext(key))
	size := int64(zf.UncompressedSize64)
	if zf.UncompressedSize64 > 1<<62 {
		size = -1
	}
	if err := p.Bucket.PutObject(ctx, bucket, key, r, size, h); err != nil {
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("The file %s in the input artifact cannot be read: %v", zf.Name, err)
		}
		return errors.New(putFailure(bucket, key, err))
	}
	return nil
}

func putFailure(bucket, key string, err error) string {
	var se *stepline.Error
	if errors.As(err, &se) {
		if se.Code == objects.CodeNoSuchBucket {
			return fmt.Sprintf("The bucket %s does not exist", bucket)
		}
		return fmt.Sprintf("Unable to upload s3://%s/%s: %s: %s", bucket, key, se.Code, se.Message)
	}
	return fmt.Sprintf("Unable to upload s3://%s/%s: %v", bucket, key, err)
}
