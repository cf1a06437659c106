package objects

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"stepline"
	"stepline/store"
)

// Multipart limits, from https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html
const (
	MaxPartNumber = 10000
	MinPartSize   = 5 << 20 // every part but the last
)

// Upload is a multipart upload in progress.
type Upload struct {
	ID                string
	Bucket            string
	Key               string
	Initiated         time.Time
	Headers           Headers
	Metadata          map[string]string
	ChecksumAlgorithm string
	ChecksumType      string
	Owner             string
}

// UploadPart is one uploaded part.
type UploadPart struct {
	Number       int
	ETag         string // MD5 hex, without quotes
	Size         int64
	LastModified time.Time
	Checksum     string // base64, of the upload's checksum algorithm
	Blob         string
	Inline       []byte // a small part's bytes, when Blob is empty
}

// CreateMultipartUpload starts an upload of u.Key in u.Bucket.
func (s *Service) CreateMultipartUpload(ctx context.Context, u Upload) (Upload, error) {
	if err := ValidateKey(u.Key); err != nil {
		return Upload{}, err
	}
	if _, err := s.Bucket(ctx, u.Bucket); err != nil {
		return Upload{}, err
	}
	if u.ChecksumType == "" && u.ChecksumAlgorithm != "" {
		u.ChecksumType = ChecksumTypeComposite
		if u.ChecksumAlgorithm == ChecksumCRC64NVME {
			u.ChecksumType = ChecksumTypeFullObject
		}
	}
	if u.ChecksumType == ChecksumTypeFullObject && (u.ChecksumAlgorithm == ChecksumSHA1 || u.ChecksumAlgorithm == ChecksumSHA256) {
		return Upload{}, errInvalidRequest("The FULL_OBJECT checksum type cannot be used with the " + strings.ToLower(u.ChecksumAlgorithm) + " checksum algorithm.")
	}
	var stamp int64
	u.Initiated, stamp = s.stamp()
	u.ID = fmt.Sprintf("%016x%s", stamp, newID(8))
	if _, err := s.putDoc(ctx, store.Record{Kind: kindUpload, Key: u.ID, Parent: u.Bucket, Sort: u.Key}, u); err != nil {
		return Upload{}, fmt.Errorf("create upload: %w", err)
	}
	return u, nil
}

// Upload returns an upload in progress of key in bucket.
func (s *Service) Upload(ctx context.Context, bucket, key, id string) (Upload, error) {
	if _, err := s.Bucket(ctx, bucket); err != nil {
		return Upload{}, err
	}
	var u Upload
	_, err := s.getDoc(ctx, kindUpload, id, &u)
	if errors.Is(err, store.ErrNotFound) || err == nil && (u.Bucket != bucket || u.Key != key) {
		return Upload{}, errNoSuchUpload(id)
	}
	if err != nil {
		return Upload{}, fmt.Errorf("get upload: %w", err)
	}
	return u, nil
}

func partKey(upload string, n int) string { return fmt.Sprintf("%s/%05d", upload, n) }

// PartParams describe an UploadPart.
type PartParams struct {
	Bucket, Key, UploadID string
	Number                int
	Body                  io.Reader
	Size                  int64
	WantSHA256            bool
	Verify                func(Digests) error
	// ChecksumAlgorithm is computed for the part when the upload has none: S3
	// checks a checksum sent with a part even then.
	ChecksumAlgorithm string
}

// PutPart stores one part, replacing an earlier upload of the same number.
func (s *Service) PutPart(ctx context.Context, p PartParams) (UploadPart, error) {
	if p.Number < 1 || p.Number > MaxPartNumber {
		return UploadPart{}, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", fmt.Sprint(p.Number))
	}
	u, err := s.Upload(ctx, p.Bucket, p.Key, p.UploadID)
	if err != nil {
		return UploadPart{}, err
	}
	alg := u.ChecksumAlgorithm
	if alg == "" {
		alg = p.ChecksumAlgorithm
	}
	blob, d, err := s.writeBlob(ctx, p.Body, p.Size, p.WantSHA256, alg, p.Verify)
	if err != nil {
		return UploadPart{}, err
	}
	now, _ := s.stamp()
	part := UploadPart{Number: p.Number, ETag: hex.EncodeToString(d.MD5), Size: blob.Size, LastModified: now,
		Checksum: d.Checksum[alg], Blob: blob.Blob, Inline: blob.Inline}
	if err := s.savePart(ctx, u.ID, part); err != nil {
		s.deleteBlobs(ctx, []Part{{Blob: blob.Blob}})
		return UploadPart{}, err
	}
	return part, nil
}

// savePart records a part, deleting the blob of the part it replaces.
func (s *Service) savePart(ctx context.Context, upload string, part UploadPart) error {
	for {
		var old UploadPart
		ver, err := s.getDoc(ctx, kindPart, partKey(upload, part.Number), &old)
		if errors.Is(err, store.ErrNotFound) {
			ver = 0
		} else if err != nil {
			return fmt.Errorf("put part: %w", err)
		}
		_, err = s.putDoc(ctx, store.Record{Kind: kindPart, Key: partKey(upload, part.Number), Parent: upload,
			Sort: fmt.Sprintf("%05d", part.Number), Version: ver}, part)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("put part: %w", err)
		}
		if ver != 0 && old.Blob != "" {
			s.deleteBlobs(ctx, []Part{{Blob: old.Blob}})
		}
		return nil
	}
}

// ListParts returns up to max parts of an upload after part number `after`, and
// whether there are more.
func (s *Service) ListParts(ctx context.Context, bucket, key, id string, after, max int) (Upload, []UploadPart, bool, error) {
	u, err := s.Upload(ctx, bucket, key, id)
	if err != nil {
		return Upload{}, nil, false, err
	}
	lp := store.RecordListParams{Kind: kindPart, Parent: id}
	if after > 0 {
		lp.AfterSort, lp.AfterKey = fmt.Sprintf("%05d", after), partKey(id, after)
	}
	if max > 0 {
		lp.Limit = max + 1
	}
	recs, err := s.st.RecordList(ctx, lp)
	if err != nil {
		return Upload{}, nil, false, fmt.Errorf("list parts: %w", err)
	}
	more := max > 0 && len(recs) > max
	if more {
		recs = recs[:max]
	}
	parts := make([]UploadPart, 0, len(recs))
	for _, r := range recs {
		var p UploadPart
		if err := decode(r, &p); err != nil {
			return Upload{}, nil, false, err
		}
		parts = append(parts, p)
	}
	return u, parts, more, nil
}

// CompletePart names a part in CompleteMultipartUpload.
type CompletePart struct {
	Number   int
	ETag     string // quotes optional
	Checksum string // the client's checksum of the part, if it sent one
}

// CompleteMultipartUpload joins the named parts into the object. The parts' blobs
// become the object's parts as they are: no byte is copied.
func (s *Service) CompleteMultipartUpload(ctx context.Context, bucket, key, id string, want []CompletePart, checksum string) (Object, error) {
	u, err := s.Upload(ctx, bucket, key, id)
	if err != nil {
		return Object{}, err
	}
	b, err := s.Bucket(ctx, bucket)
	if err != nil {
		return Object{}, err
	}
	if len(want) == 0 {
		return Object{}, &stepline.Error{Code: "MalformedXML", Status: http.StatusBadRequest,
			Message: "The XML you provided was not well-formed or did not validate against our published schema"}
	}
	_, have, _, err := s.ListParts(ctx, bucket, key, id, 0, 0)
	if err != nil {
		return Object{}, err
	}
	byNum := map[int]UploadPart{}
	for _, p := range have {
		byNum[p.Number] = p
	}
	o := Object{Bucket: bucket, Key: key, Headers: u.Headers, Metadata: u.Metadata, Owner: u.Owner, PartsCount: len(want)}
	md5s := md5.New()
	sums := newChecksum(u.ChecksumAlgorithm)
	var full []partCRC
	used := map[string]bool{}
	for i, w := range want {
		if i > 0 && w.Number <= want[i-1].Number {
			return Object{}, &stepline.Error{Code: CodeInvalidPartOrder, Status: http.StatusBadRequest,
				Message: "The list of parts was not in ascending order. Parts must be ordered by part number.", Fields: map[string]any{"UploadId": id}}
		}
		p, ok := byNum[w.Number]
		if !ok || strings.Trim(w.ETag, `"`) != p.ETag || w.Checksum != "" && w.Checksum != p.Checksum {
			return Object{}, &stepline.Error{Code: CodeInvalidPart, Status: http.StatusBadRequest,
				Message: "One or more of the specified parts could not be found.  The part may not have been uploaded, " +
					"or the specified entity tag may not have matched the part's entity tag.",
				Fields: map[string]any{"UploadId": id, "PartNumber": w.Number, "ETag": w.ETag}}
		}
		if i < len(want)-1 && p.Size < MinPartSize {
			return Object{}, &stepline.Error{Code: CodeEntityTooSmall, Status: http.StatusBadRequest,
				Message: "Your proposed upload is smaller than the minimum allowed size",
				Fields:  map[string]any{"ProposedSize": p.Size, "MinSizeAllowed": MinPartSize, "PartNumber": w.Number, "ETag": p.ETag}}
		}
		raw, _ := hex.DecodeString(p.ETag)
		md5s.Write(raw)
		if sums != nil {
			c, _ := base64.StdEncoding.DecodeString(p.Checksum)
			sums.Write(c)
			full = append(full, partCRC{sum: c, size: p.Size})
		}
		o.Size += p.Size
		if p.Size > 0 {
			o.Parts = append(o.Parts, Part{Blob: p.Blob, Size: p.Size, Inline: p.Inline})
			used[p.Blob] = true
		}
	}
	o.ETag = fmt.Sprintf("%s-%d", hex.EncodeToString(md5s.Sum(nil)), len(want))
	if sums != nil {
		o.ChecksumAlgorithm, o.ChecksumType = u.ChecksumAlgorithm, u.ChecksumType
		if u.ChecksumType == ChecksumTypeFullObject {
			o.Checksum = combineCRC(u.ChecksumAlgorithm, full)
		} else {
			o.Checksum = fmt.Sprintf("%s-%d", base64.StdEncoding.EncodeToString(sums.Sum(nil)), len(want))
		}
		if checksum != "" && checksum != o.Checksum && checksum != strings.Split(o.Checksum, "-")[0] {
			return Object{}, &stepline.Error{Code: CodeBadDigest, Status: http.StatusBadRequest,
				Message: "The " + strings.ToLower(u.ChecksumAlgorithm) + " you specified did not match the calculated checksum."}
		}
	}
	// The upload record goes first: once it is gone no retry can complete twice,
	// and a crash before the object commits leaves only orphan blobs.
	if err := s.st.RecordDelete(ctx, kindUpload, id, 0); errors.Is(err, store.ErrNotFound) {
		return Object{}, errNoSuchUpload(id)
	} else if err != nil {
		return Object{}, fmt.Errorf("complete upload: %w", err)
	}
	var unused []Part
	for _, p := range have {
		if !used[p.Blob] && p.Blob != "" {
			unused = append(unused, Part{Blob: p.Blob})
		}
	}
	o, err = s.commit(ctx, b, o, nil)
	if err != nil {
		return Object{}, err
	}
	s.deleteParts(ctx, id, have)
	s.deleteBlobs(ctx, unused)
	s.notify(ctx, ObjectEvent{Type: "ObjectCreated:CompleteMultipartUpload", Bucket: bucket, Key: key, VersionID: o.VersionID, ETag: o.ETag, Size: o.Size, Time: o.LastModified})
	return o, nil
}

// deleteParts removes an upload's part records (not their blobs).
func (s *Service) deleteParts(ctx context.Context, id string, parts []UploadPart) {
	for _, p := range parts {
		if err := s.st.RecordDelete(ctx, kindPart, partKey(id, p.Number), 0); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.log.Warn("objects: delete part record", "upload", id, "part", p.Number, "err", err)
		}
	}
}

// AbortMultipartUpload discards an upload and its parts.
func (s *Service) AbortMultipartUpload(ctx context.Context, bucket, key, id string) error {
	if _, err := s.Upload(ctx, bucket, key, id); err != nil {
		return err
	}
	_, parts, _, err := s.ListParts(ctx, bucket, key, id, 0, 0)
	if err != nil {
		return err
	}
	if err := s.st.RecordDelete(ctx, kindUpload, id, 0); errors.Is(err, store.ErrNotFound) {
		return errNoSuchUpload(id)
	} else if err != nil {
		return fmt.Errorf("abort upload: %w", err)
	}
	s.deleteParts(ctx, id, parts)
	for _, p := range parts {
		if p.Blob != "" {
			s.deleteBlobs(ctx, []Part{{Blob: p.Blob}})
		}
	}
	return nil
}

// ListUploadsParams select uploads in progress.
type ListUploadsParams struct {
	Bucket         string
	Prefix         string
	KeyMarker      string
	UploadIDMarker string
	MaxUploads     int
}

// ListMultipartUploads lists uploads in progress by key, then initiation time, and
// says whether there are more.
func (s *Service) ListMultipartUploads(ctx context.Context, p ListUploadsParams) ([]Upload, bool, error) {
	if _, err := s.Bucket(ctx, p.Bucket); err != nil {
		return nil, false, err
	}
	lp := store.RecordListParams{Kind: kindUpload, Parent: p.Bucket, Prefix: p.Prefix}
	if p.KeyMarker != "" {
		// Without an upload id marker, listing starts after every upload of the key.
		lp.AfterSort, lp.AfterKey = p.KeyMarker, "g"
		if p.UploadIDMarker != "" {
			lp.AfterKey = p.UploadIDMarker
		}
	}
	if p.MaxUploads > 0 {
		lp.Limit = p.MaxUploads + 1
	}
	recs, err := s.st.RecordList(ctx, lp)
	if err != nil {
		return nil, false, fmt.Errorf("list uploads: %w", err)
	}
	more := p.MaxUploads > 0 && len(recs) > p.MaxUploads
	if more {
		recs = recs[:p.MaxUploads]
	}
	out := make([]Upload, 0, len(recs))
	for _, r := range recs {
		var u Upload
		if err := decode(r, &u); err != nil {
			return nil, false, err
		}
		out = append(out, u)
	}
	return out, more, nil
}
