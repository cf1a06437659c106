package objects

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"stepline"
	"stepline/store"
)

// Record kinds this package keeps in the store.
const (
	kindBucket  = "s3bucket"  // Key: bucket name
	kindObject  = "s3object"  // Key: bucket/key, Parent: bucket, Sort: key; the current version
	kindVersion = "s3version" // Key: bucket/key#version, Parent: bucket/key, Sort: newest first
	kindUpload  = "s3upload"  // Key: upload id, Parent: bucket, Sort: key
	kindPart    = "s3part"    // Key: upload id/part, Parent: upload id, Sort: part number
)

// Config configures a Service.
type Config struct {
	Store store.Store
	Blobs BlobStore
	// Now is the clock; nil means time.Now. Times are truncated to the millisecond,
	// the precision S3 reports.
	Now    func() time.Time
	Logger *slog.Logger
	// Region is the location of buckets created without a LocationConstraint.
	Region string
	// InlineMax is the largest body kept in its record instead of a blob; 0 means
	// InlineMaxDefault, negative means always use blobs.
	InlineMax int
}

// InlineMaxDefault keeps bodies up to 4 KiB in their records: small artifacts then
// cost one group-committed store write, and listings stay cheap to decode.
const InlineMaxDefault = 4096

// Service is the object store. It is safe for concurrent use.
type Service struct {
	st        store.Store // immutable
	blobs     BlobStore   // immutable
	now       func() time.Time
	log       *slog.Logger
	region    string
	inlineMax int

	mu        sync.Mutex
	listeners []func(context.Context, ObjectEvent) // guarded by mu
	lastStamp int64                                // guarded by mu; keeps version stamps increasing
}

// New returns a Service over cfg's store and blobs.
func New(cfg Config) *Service {
	s := &Service{st: cfg.Store, blobs: cfg.Blobs, now: cfg.Now, log: cfg.Logger, region: cfg.Region}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.inlineMax = cfg.InlineMax
	if s.inlineMax == 0 {
		s.inlineMax = InlineMaxDefault
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	return s
}

// ObjectEvent tells subscribers that an object version was created.
type ObjectEvent struct {
	Type      string // "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload"
	Bucket    string
	Key       string
	VersionID string
	ETag      string
	Size      int64
	Time      time.Time
}

// OnObjectCreated subscribes fn to object creations, so the pipeline engine can start
// executions when a source object changes. fn runs synchronously after the object is
// committed, on the writer's goroutine: it must be quick and must not call back into
// the Service for the same key.
func (s *Service) OnObjectCreated(fn func(context.Context, ObjectEvent)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listeners = append(s.listeners, fn)
}

func (s *Service) notify(ctx context.Context, ev ObjectEvent) {
	s.mu.Lock()
	ls := append([]func(context.Context, ObjectEvent){}, s.listeners...)
	s.mu.Unlock()
	for _, fn := range ls {
		fn(ctx, ev)
	}
}

// stamp returns the time of a new version: the clock truncated to the millisecond,
// and an increasing nanosecond stamp that orders versions even within one millisecond.
func (s *Service) stamp() (time.Time, int64) {
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := now.UnixNano()
	if n <= s.lastStamp {
		n = s.lastStamp + 1
	}
	s.lastStamp = n
	return now.Truncate(time.Millisecond), n
}

// newID returns a random id of 2*n hex digits.
func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// getDoc reads a record and decodes its JSON document into v.
func (s *Service) getDoc(ctx context.Context, kind, key string, v any) (int64, error) {
	r, err := s.st.RecordGet(ctx, kind, key)
	if err != nil {
		return 0, err
	}
	if err := json.Unmarshal(r.Data, v); err != nil {
		return 0, fmt.Errorf("objects: decode %s %s: %w", kind, key, err)
	}
	return r.Version, nil
}

// putDoc writes a record whose document is v's JSON.
func (s *Service) putDoc(ctx context.Context, r store.Record, v any) (int64, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return 0, fmt.Errorf("objects: encode %s: %w", r.Kind, err)
	}
	r.Data = data
	out, err := s.st.RecordPut(ctx, r)
	if err != nil {
		return 0, err
	}
	return out.Version, nil
}

// discard deletes the blobs of a write that failed to commit, when the failure
// is known to have written nothing (a refusal such as a failed condition). After
// a store error the record may have committed all the same, so the blobs stay,
// for CollectOrphans to judge.
func (s *Service) discard(ctx context.Context, parts []Part, err error) {
	var se *stepline.Error
	if errors.As(err, &se) {
		s.deleteBlobs(ctx, parts)
		return
	}
	s.log.Warn("objects: write failed; its blobs are left for CollectOrphans", "err", err)
}

// deleteBlobs removes blobs no record names any more. A failure only leaves an
// orphan for CollectOrphans, so it is logged, not returned.
func (s *Service) deleteBlobs(ctx context.Context, parts []Part) {
	for _, p := range parts {
		if p.Blob == "" {
			continue
		}
		if err := s.blobs.Delete(context.WithoutCancel(ctx), p.Blob); err != nil {
			s.log.Warn("objects: delete blob", "blob", p.Blob, "err", err)
		}
	}
}
