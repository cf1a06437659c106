package action

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"stepline"
	"stepline/objects"
)

// Objects adapts the object store to Artifacts.
type Objects struct {
	S *objects.Service
	// CreateBuckets makes a missing artifact bucket on first write. AWS requires the
	// bucket to exist; a local server is friendlier creating it, and the artifacts stay
	// reachable with `aws s3 cp` either way.
	CreateBuckets bool
}

var _ Artifacts = Objects{}

// GetObject reads a whole object version.
func (o Objects) GetObject(ctx context.Context, bucket, key, version string) (io.ReadCloser, ObjectInfo, error) {
	obj, err := o.S.GetObject(ctx, bucket, key, version)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	rc, err := o.S.Open(ctx, obj, 0, obj.Size)
	if err != nil {
		return nil, ObjectInfo{}, fmt.Errorf("open %s/%s: %w", bucket, key, err)
	}
	return rc, ObjectInfo{VersionID: obj.VersionID, ETag: obj.ETag, Metadata: obj.Metadata}, nil
}

// PutObject writes an object and returns its version id.
func (o Objects) PutObject(ctx context.Context, bucket, key string, body []byte) (string, error) {
	put := func() (objects.Object, error) {
		return o.S.PutObject(ctx, objects.PutParams{
			Bucket: bucket, Key: key, Body: bytes.NewReader(body), Size: int64(len(body)),
			Headers: objects.Headers{ContentType: "application/zip"},
		})
	}
	obj, err := put()
	var se *stepline.Error
	if err != nil && o.CreateBuckets && errors.As(err, &se) && se.Code == objects.CodeNoSuchBucket {
		if _, cerr := o.S.CreateBucket(ctx, bucket, "", ""); cerr != nil {
			return "", fmt.Errorf("create artifact bucket %s: %w", bucket, cerr)
		}
		obj, err = put()
	}
	if err != nil {
		return "", err
	}
	if obj.VersionID == objects.NullVersion {
		return "", nil
	}
	return obj.VersionID, nil
}
