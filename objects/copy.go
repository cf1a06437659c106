package objects

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
)

// CopyParams describe a CopyObject.
type CopyParams struct {
	SrcBucket, SrcKey, SrcVersion string
	Bucket, Key                   string
	// ReplaceMetadata takes Headers and Metadata from here (MetadataDirective
	// REPLACE) instead of from the source (COPY).
	ReplaceMetadata bool
	Headers         Headers
	Metadata        map[string]string
	// ChecksumAlgorithm is the checksum of the copy; "" keeps the source's.
	ChecksumAlgorithm string
	// Check, when set, vets the source (If-Match and the other copy-source
	// conditions) before any byte is copied.
	Check func(Object) error
	Owner string
}

// CopyObject copies an object version to another key. The bytes are copied into a
// new blob, streaming, so deleting either object never affects the other.
func (s *Service) CopyObject(ctx context.Context, p CopyParams) (dst Object, src Object, err error) {
	if err := ValidateKey(p.Key); err != nil {
		return Object{}, Object{}, err
	}
	src, err = s.GetObject(ctx, p.SrcBucket, p.SrcKey, p.SrcVersion)
	if err != nil {
		return Object{}, Object{}, err
	}
	if p.Check != nil {
		if err := p.Check(src); err != nil {
			return Object{}, src, err
		}
	}
	b, err := s.Bucket(ctx, p.Bucket)
	if err != nil {
		return Object{}, src, err
	}
	alg := p.ChecksumAlgorithm
	if alg == "" {
		alg = src.ChecksumAlgorithm
	}
	// S3 refuses a copy onto itself that changes nothing.
	// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
	if p.SrcBucket == p.Bucket && p.SrcKey == p.Key && p.SrcVersion == "" && !p.ReplaceMetadata && alg == src.ChecksumAlgorithm {
		return Object{}, src, errInvalidRequest("This copy request is illegal because it is trying to copy an object to itself " +
			"without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	}
	r, err := s.Open(ctx, src, 0, -1)
	if err != nil {
		return Object{}, src, err
	}
	defer r.Close()
	part, d, err := s.writeBlob(ctx, r, src.Size, false, alg, nil)
	if err != nil {
		return Object{}, src, fmt.Errorf("copy %s: %w", p.SrcKey, err)
	}
	o := Object{Bucket: p.Bucket, Key: p.Key, Size: part.Size, ETag: hex.EncodeToString(d.MD5), Owner: p.Owner,
		Headers: src.Headers, Metadata: maps.Clone(src.Metadata)}
	if p.ReplaceMetadata {
		o.Headers, o.Metadata = p.Headers, p.Metadata
	}
	if part.Size > 0 {
		o.Parts = []Part{part}
	}
	if alg != "" {
		o.ChecksumAlgorithm, o.Checksum, o.ChecksumType = alg, d.Checksum[alg], ChecksumTypeFullObject
	}
	o, err = s.commit(ctx, b, o, nil)
	if err != nil {
		s.discard(ctx, o.Parts, err)
		return Object{}, src, err
	}
	s.notify(ctx, ObjectEvent{Type: "ObjectCreated:Copy", Bucket: o.Bucket, Key: o.Key, VersionID: o.VersionID, ETag: o.ETag, Size: o.Size, Time: o.LastModified})
	return o, src, nil
}

// CopyPart copies a range of an object version into part number n of an upload
// (UploadPartCopy).
func (s *Service) CopyPart(ctx context.Context, src Object, offset, length int64, bucket, key, upload string, n int) (UploadPart, error) {
	r, err := s.Open(ctx, src, offset, length)
	if err != nil {
		return UploadPart{}, err
	}
	defer r.Close()
	size := length
	if size < 0 {
		size = src.Size - offset
	}
	return s.PutPart(ctx, PartParams{Bucket: bucket, Key: key, UploadID: upload, Number: n, Body: io.Reader(r), Size: size})
}
