package objects

import (
	"context"
	"fmt"

	"stepline/store"
)

// CollectOrphans deletes blobs no record names: those left by a crash between a
// blob's write and its record's commit, or by a failed delete. It must not run
// while uploads are in flight on any node sharing the blobs, because a blob just
// written is an orphan until its record commits; run it at start-up before serving
// (SQLite mode), or with an age threshold the caller enforces through keep.
// It returns how many blobs it deleted.
func (s *Service) CollectOrphans(ctx context.Context, keep func(id string) bool) (int, error) {
	named := map[string]bool{}
	mark := func(parts []Part) {
		for _, p := range parts {
			named[p.Blob] = true
		}
	}
	for _, kind := range []string{kindObject, kindVersion} {
		recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kind, AnyParent: true})
		if err != nil {
			return 0, fmt.Errorf("collect orphans: %w", err)
		}
		for _, r := range recs {
			var o Object
			if err := decode(r, &o); err != nil {
				return 0, err
			}
			mark(o.Parts)
		}
	}
	recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindPart, AnyParent: true})
	if err != nil {
		return 0, fmt.Errorf("collect orphans: %w", err)
	}
	for _, r := range recs {
		var p UploadPart
		if err := decode(r, &p); err != nil {
			return 0, err
		}
		named[p.Blob] = true
	}
	var orphans []string
	err = s.blobs.Walk(ctx, func(id string) error {
		if !named[id] && (keep == nil || !keep(id)) {
			orphans = append(orphans, id)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, id := range orphans {
		if err := s.blobs.Delete(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(orphans), nil
}
