package objects

import (
	"context"
	"fmt"
	"sync"
	"time"

	"stepline/store"
)

// CollectOrphans deletes blobs no record names that were written before
// writtenBefore: those left by a crash between a blob's write and its record's
// commit, or by a write whose outcome the store could not report; and temp files
// of uploads last written before writtenBefore (cut off by a crash). A blob just
// written is an orphan until its record commits, so writtenBefore must be earlier
// than the last write of any upload still in flight on any node sharing the blobs:
// the start time of this process when run before serving (SQLite mode), or now
// minus a grace period (OrphanGraceDefault) when other nodes are serving
// (PostgreSQL mode). It returns how many blobs and temp files it deleted.
//
// A blob changes records while a version moves between current and noncurrent, or
// a multipart upload completes, so one scan of the records could miss it; a blob is
// deleted only when two scans, one after the other, both find no record naming it.
func (s *Service) CollectOrphans(ctx context.Context, writtenBefore time.Time) (int, error) {
	temps, err := s.blobs.RemoveTemp(ctx, writtenBefore)
	if err != nil {
		return 0, err
	}
	n, err := s.collectBlobs(ctx, writtenBefore)
	return temps + n, err
}

// collectBlobs is CollectOrphans for finished blobs.
func (s *Service) collectBlobs(ctx context.Context, writtenBefore time.Time) (int, error) {
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

// OrphanGraceDefault is how long an unnamed blob or a temp file is left alone when
// nodes share the blob directory: an upload in flight on another node writes its
// temp file continuously and names its blob within moments of the rename, so an
// hour is far beyond both, and beyond the clock skew between nodes and a network
// filesystem's server (whose clock sets the write times).
const OrphanGraceDefault = time.Hour

// OrphanCollector runs CollectOrphans periodically beside serving nodes that share
// one blob directory (PostgreSQL mode), deleting only what is older than Grace.
type OrphanCollector struct {
	Service *Service
	// Grace is the age below which nothing is deleted, and the interval between
	// runs; 0 means OrphanGraceDefault.
	Grace time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu   sync.Mutex
	stop chan struct{} // guarded by mu; closed by Stop
	done chan struct{} // guarded by mu; closed when the loop ends
}

// Start runs the first collection in the background and then one every Grace, until
// Stop or ctx ends.
func (c *OrphanCollector) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stop != nil {
		return nil
	}
	grace, now := c.Grace, c.Now
	if grace <= 0 {
		grace = OrphanGraceDefault
	}
	if now == nil {
		now = time.Now
	}
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	stop, done := c.stop, c.done
	go func() {
		defer close(done)
		t := time.NewTicker(grace)
		defer t.Stop()
		for {
			n, err := c.Service.CollectOrphans(ctx, now().Add(-grace))
			switch {
			case err != nil && ctx.Err() == nil:
				c.Service.log.Warn("objects: collect orphans", "err", err)
			case n > 0:
				c.Service.log.Info("objects: collected orphaned blobs", "count", n)
			}
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// Stop ends the loop and waits for a collection in progress. It is idempotent.
func (c *OrphanCollector) Stop() {
	c.mu.Lock()
	stop, done := c.stop, c.done
	c.stop = nil
	c.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-done
}
