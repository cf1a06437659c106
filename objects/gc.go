package objects

import (
	"context"
	"fmt"
	"time"

	"stepline/store"
)

// CollectOrphans deletes blobs no record names that were written before
// writtenBefore: those left by a crash between a blob's write and its record's
// commit, or by a write whose outcome the store could not report. A blob just
// written is an orphan until its record commits, so writtenBefore must be earlier
// than the start of any upload still in flight on any node sharing the blobs: the
// start time of this process when run before serving (SQLite mode), or an hour ago
// when other nodes are serving (PostgreSQL mode). It returns how many it deleted.
//
// A blob changes records while a version moves between current and noncurrent, or
// a multipart upload completes, so one scan of the records could miss it; a blob is
// deleted only when two scans, one after the other, both find no record naming it.
func (s *Service) CollectOrphans(ctx context.Context, writtenBefore time.Time) (int, error) {
	named, err := s.namedBlobs(ctx)
	if err != nil {
		return 0, err
	}
	var candidates []string
	err = s.blobs.Walk(ctx, func(id string, written time.Time) error {
		if !named[id] && written.Before(writtenBefore) {
			candidates = append(candidates, id)
		}
		return nil
	})
	if err != nil || len(candidates) == 0 {
		return 0, err
	}
	named, err = s.namedBlobs(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range candidates {
		if named[id] {
			continue
		}
		if err := s.blobs.Delete(ctx, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// namedBlobs returns the ids of every blob a record names: parts of uploads in
// progress, current versions and noncurrent versions.
func (s *Service) namedBlobs(ctx context.Context) (map[string]bool, error) {
	named := map[string]bool{}
	recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindPart, AnyParent: true})
	if err != nil {
		return nil, fmt.Errorf("collect orphans: %w", err)
	}
	for _, r := range recs {
		var p UploadPart
		if err := decode(r, &p); err != nil {
			return nil, err
		}
		named[p.Blob] = true
	}
	for _, kind := range []string{kindVersion, kindObject} {
		recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kind, AnyParent: true})
		if err != nil {
			return nil, fmt.Errorf("collect orphans: %w", err)
		}
		for _, r := range recs {
			var o Object
			if err := decode(r, &o); err != nil {
				return nil, err
			}
			for _, p := range o.Parts {
				named[p.Blob] = true
			}
		}
	}
	return named, nil
}
