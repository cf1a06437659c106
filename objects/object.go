package objects

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"stepline"
	"stepline/store"
)

// NullVersion is the version id of objects written while versioning is off or
// suspended.
const NullVersion = "null"

// MaxKeyLength is S3's limit on key length, in UTF-8 bytes.
const MaxKeyLength = 1024

// Part is one stretch of an object's bytes kept in one blob: a single PUT has one,
// a multipart object one per uploaded part, in order.
type Part struct {
	Blob   string // empty when the bytes are Inline
	Size   int64
	Inline []byte // small objects' bytes, kept in the record itself
}

// Headers are the content headers stored with an object and returned on GET.
type Headers struct {
	ContentType        string
	ContentEncoding    string
	ContentDisposition string
	ContentLanguage    string
	CacheControl       string
	Expires            string // as sent; S3 stores the header text
}

// Object is one version of an object, or a delete marker.
type Object struct {
	Bucket       string
	Key          string
	VersionID    string // NullVersion when written without versioning
	IsLatest     bool   // set by reads: whether this is the key's current version
	DeleteMarker bool
	Size         int64
	ETag         string // without quotes: MD5 hex, or "<md5 of md5s>-N" for multipart
	LastModified time.Time
	Stamp        int64 // orders versions of a key; increasing
	Headers      Headers
	Metadata     map[string]string // x-amz-meta-* without the prefix, lower case
	// ChecksumAlgorithm, Checksum and ChecksumType are the additional checksum the
	// client chose, if any; Checksum is base64, with "-N" for composite ones.
	ChecksumAlgorithm string
	Checksum          string
	ChecksumType      string
	PartsCount        int    // number of parts of a multipart object, else 0
	Parts             []Part // where the bytes are; empty for delete markers and empty objects
	Owner             string
}

// PutParams describe a PutObject.
type PutParams struct {
	Bucket   string
	Key      string
	Body     io.Reader
	Size     int64 // bytes the client announced; -1 when unknown
	Headers  Headers
	Metadata map[string]string
	// ChecksumAlgorithm is the additional checksum to compute and store ("" for none).
	ChecksumAlgorithm string
	// WantSHA256 asks for the body's SHA-256 in Digests, to check a signed payload.
	WantSHA256 bool
	// Verify, when set, is called with the body's digests after it has been read and
	// before anything is committed; an error aborts the PUT and nothing is stored. It
	// runs after the body, so checksums sent in trailers can be checked.
	Verify func(Digests) error
	// Condition, when set, vets the key's current object (nil for none) at commit
	// time; its error aborts the PUT and nothing is stored.
	Condition func(current *Object) error
	Owner     string
}

// ValidateKey checks an object key against S3's rules.
func ValidateKey(key string) error {
	if len(key) > MaxKeyLength {
		return &stepline.Error{Code: CodeKeyTooLong, Message: "Your key is too long", Status: http.StatusBadRequest,
			Fields: map[string]any{"Size": len(key), "MaxSizeAllowed": MaxKeyLength}}
	}
	if key == "" {
		return errInvalidArgument("Object key must not be empty", "key", key)
	}
	// The store keeps keys as text, so they must be valid UTF-8 without NUL, which
	// S3's XML could not carry either.
	if !utf8.ValidString(key) || strings.ContainsRune(key, 0) {
		return errInvalidArgument("Object key must be valid UTF-8", "key", key)
	}
	return nil
}

// PutObject stores a new object version from p.Body.
func (s *Service) PutObject(ctx context.Context, p PutParams) (Object, error) {
	if err := ValidateKey(p.Key); err != nil {
		return Object{}, err
	}
	b, err := s.Bucket(ctx, p.Bucket)
	if err != nil {
		return Object{}, err
	}
	part, d, err := s.writeBlob(ctx, p.Body, p.Size, p.WantSHA256, p.ChecksumAlgorithm, p.Verify)
	if err != nil {
		return Object{}, err
	}
	o := Object{Bucket: p.Bucket, Key: p.Key, Size: part.Size, ETag: hex.EncodeToString(d.MD5),
		Headers: p.Headers, Metadata: p.Metadata, Owner: p.Owner}
	if part.Size > 0 {
		o.Parts = []Part{part}
	}
	if p.ChecksumAlgorithm != "" {
		o.ChecksumAlgorithm, o.Checksum, o.ChecksumType = p.ChecksumAlgorithm, d.Checksum[p.ChecksumAlgorithm], ChecksumTypeFullObject
	}
	o, err = s.commit(ctx, b, o, p.Condition)
	if err != nil {
		s.discard(ctx, o.Parts, err)
		return Object{}, err
	}
	s.notify(ctx, ObjectEvent{Type: "ObjectCreated:Put", Bucket: o.Bucket, Key: o.Key, VersionID: o.VersionID, ETag: o.ETag, Size: o.Size, Time: o.LastModified})
	return o, nil
}

// writeBlob streams body into a new blob, hashing it, and checks its size and
// digests before returning. On any failure no blob is left.
func (s *Service) writeBlob(ctx context.Context, body io.Reader, size int64, wantSHA256 bool, alg string, verify func(Digests) error) (Part, Digests, error) {
	if body == nil {
		body = strings.NewReader("")
	}
	h := newHasher(body, wantSHA256, []string{alg})
	head, rest, err := readHead(h, s.inlineMax)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Part{}, Digests{}, errIncompleteBody()
		}
		return Part{}, Digests{}, fmt.Errorf("write object: %w", err)
	}
	var part Part
	if !rest {
		// Small bodies live in the record: one group-committed write instead of a
		// file, its fsync and its directory's fsync.
		part = Part{Size: int64(len(head)), Inline: head}
	} else {
		id, n, err := s.blobs.Create(ctx, io.MultiReader(bytes.NewReader(head), h))
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return Part{}, Digests{}, errIncompleteBody()
			}
			return Part{}, Digests{}, fmt.Errorf("write object: %w", err)
		}
		part = Part{Blob: id, Size: n}
	}
	n := part.Size
	d := h.digests()
	if size >= 0 && n != size {
		s.deleteBlobs(ctx, []Part{part})
		return Part{}, Digests{}, errIncompleteBody()
	}
	if verify != nil {
		if err := verify(d); err != nil {
			s.deleteBlobs(ctx, []Part{part})
			return Part{}, Digests{}, err
		}
	}
	return part, d, nil
}

// readHead reads up to max bytes of r. more reports that r has bytes beyond them,
// which then go to a blob; a body that ends within max is kept inline.
func readHead(r io.Reader, max int) (head []byte, more bool, err error) {
	if max < 0 {
		return nil, true, nil
	}
	buf := make([]byte, max+1)
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return nil, false, nil
			}
			return buf[:n], false, nil
		}
		if err != nil {
			return nil, false, err
		}
	}
	return buf[:n], true, nil
}

func objectKey(bucket, key string) string { return bucket + "/" + key }

// versionKey is unambiguous because version ids never contain "#".
func versionKey(bucket, key, version string) string { return bucket + "/" + key + "#" + version }

// versionSort orders a key's versions newest first.
func versionSort(o Object) string {
	return fmt.Sprintf("%016x", uint64(math.MaxInt64-o.Stamp))
}

func decode(r store.Record, v any) error {
	if err := json.Unmarshal(r.Data, v); err != nil {
		return fmt.Errorf("objects: decode %s %s: %w", r.Kind, r.Key, err)
	}
	return nil
}

// commit makes o the current version of its key, as the bucket's versioning says:
// without versioning it replaces the current object; with versioning enabled the
// current version becomes noncurrent; with versioning suspended o takes the "null"
// version's place wherever it is. It returns o as stored. Blobs of replaced
// versions are deleted after the metadata no longer names them.
//
// cond, when set, vets the key's current object (nil when there is none or it is a
// delete marker) inside the optimistic loop, so a conditional write (If-None-Match,
// If-Match) holds against concurrent writers.
func (s *Service) commit(ctx context.Context, b Bucket, o Object, cond func(*Object) error) (Object, error) {
	// Once the bytes are in, the write finishes even if the client goes away: a
	// store error after cancellation could not tell whether the record committed.
	ctx = context.WithoutCancel(ctx)
	o.LastModified, o.Stamp = s.stamp()
	if b.Versioning == VersioningEnabled {
		o.VersionID = fmt.Sprintf("%016x%s", o.Stamp, newID(8))
	} else {
		o.VersionID = NullVersion
	}
	for {
		var cur Object
		ver, err := s.getDoc(ctx, kindObject, objectKey(o.Bucket, o.Key), &cur)
		if errors.Is(err, store.ErrNotFound) {
			ver = 0
		} else if err != nil {
			return o, fmt.Errorf("put %s: %w", o.Key, err)
		}
		if cond != nil {
			visible := &cur
			if ver == 0 || cur.DeleteMarker {
				visible = nil
			}
			if err := cond(visible); err != nil {
				return o, err
			}
		}
		var garbage []Part
		if ver != 0 {
			if cur.VersionID == NullVersion && b.Versioning != VersioningEnabled {
				garbage = cur.Parts
			} else if err := s.keepNoncurrent(ctx, cur); err != nil {
				return o, err
			}
			if b.Versioning == VersioningSuspended && cur.VersionID != NullVersion {
				old, err := s.dropVersion(ctx, o.Bucket, o.Key, NullVersion)
				if err != nil {
					return o, err
				}
				garbage = append(garbage, old...)
			}
		}
		_, err = s.putDoc(ctx, store.Record{Kind: kindObject, Key: objectKey(o.Bucket, o.Key), Parent: o.Bucket, Sort: o.Key, Version: ver}, o)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrExists) || errors.Is(err, store.ErrNotFound) {
			continue // someone else changed the key; decide again
		}
		if err != nil {
			return o, fmt.Errorf("put %s: %w", o.Key, err)
		}
		s.deleteBlobs(ctx, garbage)
		o.IsLatest = true
		return o, nil
	}
}

// keepNoncurrent records o as a noncurrent version. Writing it twice is harmless:
// the record is the same.
func (s *Service) keepNoncurrent(ctx context.Context, o Object) error {
	o.IsLatest = false
	_, err := s.putDoc(ctx, store.Record{Kind: kindVersion, Key: versionKey(o.Bucket, o.Key, o.VersionID),
		Parent: objectKey(o.Bucket, o.Key), Sort: versionSort(o)}, o)
	if err != nil && !errors.Is(err, store.ErrExists) {
		return fmt.Errorf("keep version %s of %s: %w", o.VersionID, o.Key, err)
	}
	return nil
}

// dropVersion deletes a noncurrent version's record and returns its parts, whose
// blobs the caller deletes once its own write has committed.
func (s *Service) dropVersion(ctx context.Context, bucket, key, version string) ([]Part, error) {
	var old Object
	_, err := s.getDoc(ctx, kindVersion, versionKey(bucket, key, version), &old)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("drop version %s of %s: %w", version, key, err)
	}
	if err := s.st.RecordDelete(ctx, kindVersion, versionKey(bucket, key, version), 0); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("drop version %s of %s: %w", version, key, err)
	}
	return old.Parts, nil
}

// ValidVersionID reports whether id could be a version id this store made.
func ValidVersionID(id string) bool {
	if id == NullVersion {
		return true
	}
	return len(id) == 32 && strings.Trim(id, "0123456789abcdef") == ""
}

func errInvalidVersion(id string) *stepline.Error {
	return errInvalidArgument("Invalid version id specified", "versionId", id)
}

// GetObject returns the metadata of a key's current version, or of the version
// given. A current delete marker is NoSuchKey; asking for a delete marker by id is
// MethodNotAllowed, as on AWS. Either error carries the x-amz-delete-marker and
// x-amz-version-id headers in its Fields.
func (s *Service) GetObject(ctx context.Context, bucket, key, version string) (Object, error) {
	if version != "" && !ValidVersionID(version) {
		return Object{}, errInvalidVersion(version)
	}
	if _, err := s.Bucket(ctx, bucket); err != nil {
		return Object{}, err
	}
	var cur Object
	_, err := s.getDoc(ctx, kindObject, objectKey(bucket, key), &cur)
	switch {
	case errors.Is(err, store.ErrNotFound) && version == "":
		return Object{}, errNoSuchKey(key)
	case errors.Is(err, store.ErrNotFound):
		return Object{}, errNoSuchVersion(key, version)
	case err != nil:
		return Object{}, fmt.Errorf("get %s: %w", key, err)
	}
	cur.IsLatest = true
	o := cur
	if version != "" && version != cur.VersionID {
		_, err := s.getDoc(ctx, kindVersion, versionKey(bucket, key, version), &o)
		if errors.Is(err, store.ErrNotFound) {
			return Object{}, errNoSuchVersion(key, version)
		}
		if err != nil {
			return Object{}, fmt.Errorf("get %s: %w", key, err)
		}
		o.IsLatest = false
	}
	if o.DeleteMarker {
		if version == "" {
			e := errNoSuchKey(key)
			e.Fields["x-amz-delete-marker"] = "true"
			e.Fields["x-amz-version-id"] = o.VersionID
			return Object{}, e
		}
		return Object{}, &stepline.Error{Code: CodeMethodNotAllowed, Message: "The specified method is not allowed against this resource.",
			Status: http.StatusMethodNotAllowed, Fields: map[string]any{"Method": "GET", "ResourceType": "DeleteMarker",
				"x-amz-delete-marker": "true", "x-amz-version-id": o.VersionID, "Allow": "DELETE"}}
	}
	return o, nil
}

// DeleteResult says what DeleteObject did.
type DeleteResult struct {
	VersionID    string // the version deleted or the delete marker created
	DeleteMarker bool   // a delete marker was created, or the version deleted was one
}

// DeleteObject deletes a key (creating a delete marker when the bucket is
// versioned) or, with version set, removes that version for good. Deleting what
// does not exist succeeds, as on AWS.
func (s *Service) DeleteObject(ctx context.Context, bucket, key, version string) (DeleteResult, error) {
	if version != "" && !ValidVersionID(version) {
		return DeleteResult{}, errInvalidVersion(version)
	}
	b, err := s.Bucket(ctx, bucket)
	if err != nil {
		return DeleteResult{}, err
	}
	if version != "" {
		return s.deleteVersion(ctx, bucket, key, version)
	}
	if b.Versioning == "" {
		ctx = context.WithoutCancel(ctx) // as in commit: no half-known outcome
		for {
			var cur Object
			ver, err := s.getDoc(ctx, kindObject, objectKey(bucket, key), &cur)
			if errors.Is(err, store.ErrNotFound) {
				return DeleteResult{}, nil
			}
			if err != nil {
				return DeleteResult{}, fmt.Errorf("delete %s: %w", key, err)
			}
			err = s.st.RecordDelete(ctx, kindObject, objectKey(bucket, key), ver)
			if errors.Is(err, store.ErrConflict) {
				continue
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return DeleteResult{}, fmt.Errorf("delete %s: %w", key, err)
			}
			s.deleteBlobs(ctx, cur.Parts)
			return DeleteResult{}, nil
		}
	}
	o, err := s.commit(ctx, b, Object{Bucket: bucket, Key: key, DeleteMarker: true}, nil)
	if err != nil {
		return DeleteResult{}, err
	}
	return DeleteResult{VersionID: o.VersionID, DeleteMarker: true}, nil
}

// deleteVersion removes one version. Removing the current version makes the newest
// noncurrent one current.
func (s *Service) deleteVersion(ctx context.Context, bucket, key, version string) (DeleteResult, error) {
	ctx = context.WithoutCancel(ctx) // as in commit: no half-known outcome
	for {
		var cur Object
		ver, err := s.getDoc(ctx, kindObject, objectKey(bucket, key), &cur)
		if errors.Is(err, store.ErrNotFound) {
			return DeleteResult{VersionID: version}, nil
		}
		if err != nil {
			return DeleteResult{}, fmt.Errorf("delete %s: %w", key, err)
		}
		if cur.VersionID != version {
			var old Object
			_, err := s.getDoc(ctx, kindVersion, versionKey(bucket, key, version), &old)
			if errors.Is(err, store.ErrNotFound) {
				return DeleteResult{VersionID: version}, nil
			}
			if err != nil {
				return DeleteResult{}, fmt.Errorf("delete %s: %w", key, err)
			}
			parts, err := s.dropVersion(ctx, bucket, key, version)
			if err != nil {
				return DeleteResult{}, err
			}
			s.deleteBlobs(ctx, parts)
			return DeleteResult{VersionID: version, DeleteMarker: old.DeleteMarker}, nil
		}
		next, found, err := s.newestNoncurrent(ctx, bucket, key, version)
		if err != nil {
			return DeleteResult{}, err
		}
		if found {
			_, err = s.putDoc(ctx, store.Record{Kind: kindObject, Key: objectKey(bucket, key), Parent: bucket, Sort: key, Version: ver}, next)
		} else {
			err = s.st.RecordDelete(ctx, kindObject, objectKey(bucket, key), ver)
		}
		if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return DeleteResult{}, fmt.Errorf("delete %s: %w", key, err)
		}
		if found {
			// The promoted version is current now; its noncurrent record is a
			// duplicate readers already ignore, removed here.
			if err := s.st.RecordDelete(ctx, kindVersion, versionKey(bucket, key, next.VersionID), 0); err != nil && !errors.Is(err, store.ErrNotFound) {
				s.log.Warn("objects: drop promoted version record", "key", key, "err", err)
			}
		}
		s.deleteBlobs(ctx, cur.Parts)
		return DeleteResult{VersionID: version, DeleteMarker: cur.DeleteMarker}, nil
	}
}

// newestNoncurrent returns the newest noncurrent version of a key other than skip.
func (s *Service) newestNoncurrent(ctx context.Context, bucket, key, skip string) (Object, bool, error) {
	recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindVersion, Parent: objectKey(bucket, key), Limit: 2})
	if err != nil {
		return Object{}, false, fmt.Errorf("list versions of %s: %w", key, err)
	}
	for _, r := range recs {
		var o Object
		if err := decode(r, &o); err != nil {
			return Object{}, false, err
		}
		if o.VersionID != skip {
			return o, true, nil
		}
	}
	return Object{}, false, nil
}
