package objects

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"stepline"
	"stepline/store"
)

// Versioning states of a bucket, as S3 names them. A bucket that never had
// versioning enabled has the empty state.
const (
	VersioningEnabled   = "Enabled"
	VersioningSuspended = "Suspended"
)

// Bucket is a bucket's metadata.
type Bucket struct {
	Name       string
	Region     string // LocationConstraint; "us-east-1" buckets report an empty location on the wire
	Owner      string // account id
	Created    time.Time
	Versioning string // "", VersioningEnabled or VersioningSuspended
}

// ValidBucketName reports whether name follows the general purpose bucket naming
// rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
func ValidBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	first, last := name[0], name[len(name)-1]
	if first == '.' || first == '-' || last == '.' || last == '-' || strings.Contains(name, "..") {
		return false
	}
	if net.ParseIP(name) != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, suf := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, suf) {
			return false
		}
	}
	return true
}

// CreateBucket creates a bucket in region ("" means the Service's region). Creating
// a bucket the caller already owns is BucketAlreadyOwnedByYou, except in us-east-1
// where AWS answers 200 for the legacy behaviour.
func (s *Service) CreateBucket(ctx context.Context, name, region, owner string) (Bucket, error) {
	if !ValidBucketName(name) {
		return Bucket{}, errInvalidBucketName(name)
	}
	if region == "" {
		region = s.region
	}
	b := Bucket{Name: name, Region: region, Owner: owner, Created: s.now().UTC().Truncate(time.Millisecond)}
	_, err := s.putDoc(ctx, store.Record{Kind: kindBucket, Key: name, Sort: name}, b)
	if errors.Is(err, store.ErrExists) {
		old, gerr := s.Bucket(ctx, name)
		if gerr == nil && old.Region == "us-east-1" && region == "us-east-1" {
			return old, nil
		}
		return Bucket{}, &stepline.Error{Code: CodeBucketAlreadyOwnedByYou, Status: http.StatusConflict,
			Message: "Your previous request to create the named bucket succeeded and you already own it.", Fields: map[string]any{"BucketName": name}}
	}
	if err != nil {
		return Bucket{}, fmt.Errorf("create bucket %s: %w", name, err)
	}
	return b, nil
}

// Bucket returns a bucket's metadata, NoSuchBucket when it does not exist.
func (s *Service) Bucket(ctx context.Context, name string) (Bucket, error) {
	b, _, err := s.bucket(ctx, name)
	return b, err
}

func (s *Service) bucket(ctx context.Context, name string) (Bucket, int64, error) {
	var b Bucket
	if !ValidBucketName(name) {
		return b, 0, errNoSuchBucket(name)
	}
	v, err := s.getDoc(ctx, kindBucket, name, &b)
	if errors.Is(err, store.ErrNotFound) {
		return b, 0, errNoSuchBucket(name)
	}
	if err != nil {
		return b, 0, fmt.Errorf("get bucket %s: %w", name, err)
	}
	return b, v, nil
}

// ListBuckets returns every bucket, ordered by name.
func (s *Service) ListBuckets(ctx context.Context) ([]Bucket, error) {
	recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindBucket})
	if err != nil {
		return nil, fmt.Errorf("list buckets: %w", err)
	}
	out := make([]Bucket, 0, len(recs))
	for _, r := range recs {
		var b Bucket
		if err := decode(r, &b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// DeleteBucket deletes an empty bucket. A bucket holding any version or delete
// marker is BucketNotEmpty, as on AWS; unfinished multipart uploads are aborted.
func (s *Service) DeleteBucket(ctx context.Context, name string) error {
	if _, _, err := s.bucket(ctx, name); err != nil {
		return err
	}
	recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindObject, Parent: name, Limit: 1})
	if err != nil {
		return fmt.Errorf("delete bucket %s: %w", name, err)
	}
	if len(recs) > 0 {
		return &stepline.Error{Code: CodeBucketNotEmpty, Status: http.StatusConflict,
			Message: "The bucket you tried to delete is not empty", Fields: map[string]any{"BucketName": name}}
	}
	ups, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindUpload, Parent: name})
	if err != nil {
		return fmt.Errorf("delete bucket %s: %w", name, err)
	}
	for _, u := range ups {
		var up Upload
		if err := decode(u, &up); err == nil {
			_ = s.AbortMultipartUpload(ctx, name, up.Key, up.ID)
		}
	}
	if err := s.st.RecordDelete(ctx, kindBucket, name, 0); err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("delete bucket %s: %w", name, err)
	}
	return nil
}

// SetVersioning sets a bucket's versioning to VersioningEnabled or VersioningSuspended.
func (s *Service) SetVersioning(ctx context.Context, name, status string) error {
	if status != VersioningEnabled && status != VersioningSuspended {
		return &stepline.Error{Code: "MalformedXML", Status: http.StatusBadRequest,
			Message: "The XML you provided was not well-formed or did not validate against our published schema"}
	}
	for {
		b, v, err := s.bucket(ctx, name)
		if err != nil {
			return err
		}
		b.Versioning = status
		_, err = s.putDoc(ctx, store.Record{Kind: kindBucket, Key: name, Sort: name, Version: v}, b)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("set versioning %s: %w", name, err)
		}
		return nil
	}
}
