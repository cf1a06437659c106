package objects

import (
	"context"
	"fmt"
	"strings"

	"stepline/store"
)

// ListParams select keys of a bucket, as ListObjects and ListObjectVersions take them.
type ListParams struct {
	Bucket    string
	Prefix    string
	Delimiter string
	After     string // start after this key (marker, start-after or continuation)
	MaxKeys   int    // 0 means none: only IsTruncated is meaningful
	// AfterVersion, with After, starts listing versions after this version of After
	// (ListObjectVersions' version-id-marker).
	AfterVersion string
}

// ListResult is one page of a listing. Entries and CommonPrefixes each stay in key
// order; together they hold at most MaxKeys items.
type ListResult struct {
	Objects        []Object
	CommonPrefixes []string
	IsTruncated    bool
	// NextMarker is the last key or common prefix returned, where the next page
	// starts; NextVersion goes with it for version listings.
	NextMarker  string
	NextVersion string
}

// maxUTF8 sorts after any valid UTF-8 text that starts the same way, up to the
// practical limits of keys, so a listing can jump past a rolled-up prefix.
const maxUTF8 = "\U0010FFFF\U0010FFFF\U0010FFFF\U0010FFFF"

// listBatch is how many records a listing reads from the store at a time.
const listBatch = 1000

// listBatchAfterJump is the smaller read after skipping a rolled-up prefix.
const listBatchAfterJump = 16

// walkKeys calls fn with the current version of each key of the bucket under
// prefix after `after`, in key order, rolling keys up into common prefixes at the
// delimiter. fn returns false to stop.
func (s *Service) walkKeys(ctx context.Context, p ListParams, inclusive bool, fn func(o *Object, prefix string) bool) error {
	after := p.After
	// A marker that is itself a rolled-up prefix was returned whole already.
	if p.Delimiter != "" && strings.HasPrefix(after, p.Prefix) && strings.HasSuffix(after, p.Delimiter) &&
		strings.Index(after[len(p.Prefix):], p.Delimiter) == len(after)-len(p.Prefix)-len(p.Delimiter) {
		after += maxUTF8
		inclusive = false
	}
	if p.Prefix != "" && after < p.Prefix {
		after, inclusive = "", false
	}
	batch := listBatch
	for {
		lp := store.RecordListParams{Kind: kindObject, Parent: p.Bucket, Prefix: p.Prefix, Limit: batch}
		if after != "" {
			lp.AfterSort, lp.AfterKey = after, objectKey(p.Bucket, after)
			if inclusive {
				// The cursor is exclusive; "bucket/" sorts before "bucket/<after>".
				lp.AfterKey = objectKey(p.Bucket, "")
			}
		}
		recs, err := s.st.RecordList(ctx, lp)
		if err != nil {
			return fmt.Errorf("list %s: %w", p.Bucket, err)
		}
		inclusive = false
		jumped := false
		for _, r := range recs {
			// Sort is the key, so rolled-up keys are never decoded.
			key := r.Sort
			after = key
			if p.Delimiter != "" {
				if i := strings.Index(key[len(p.Prefix):], p.Delimiter); i >= 0 {
					cp := key[:len(p.Prefix)+i+len(p.Delimiter)]
					if !fn(nil, cp) {
						return nil
					}
					// Skip the rest of the prefix in the store, not here.
					after = cp + maxUTF8
					jumped = true
					break
				}
			}
			var o Object
			if err := decode(r, &o); err != nil {
				return err
			}
			o.IsLatest = true
			if !fn(&o, "") {
				return nil
			}
		}
		if !jumped && len(recs) < batch {
			return nil
		}
		// After a jump the next record is likely another prefix: read few.
		batch = listBatch
		if jumped {
			batch = listBatchAfterJump
		}
	}
}

// ListObjects lists the current versions of a bucket's keys, leaving out keys whose
// current version is a delete marker.
func (s *Service) ListObjects(ctx context.Context, p ListParams) (ListResult, error) {
	if _, err := s.Bucket(ctx, p.Bucket); err != nil {
		return ListResult{}, err
	}
	var res ListResult
	n := 0
	err := s.walkKeys(ctx, p, false, func(o *Object, cp string) bool {
		if o != nil && o.DeleteMarker {
			return true
		}
		if n >= p.MaxKeys {
			res.IsTruncated = true
			return false
		}
		n++
		if o == nil {
			res.CommonPrefixes = append(res.CommonPrefixes, cp)
			res.NextMarker = cp
		} else {
			o.Parts = nil
			res.Objects = append(res.Objects, *o)
			res.NextMarker = o.Key
		}
		return true
	})
	return res, err
}

// ListObjectVersions lists every version and delete marker of a bucket's keys, each
// key's versions newest first.
func (s *Service) ListObjectVersions(ctx context.Context, p ListParams) (ListResult, error) {
	if _, err := s.Bucket(ctx, p.Bucket); err != nil {
		return ListResult{}, err
	}
	var res ListResult
	var ferr error
	n := 0
	skipping := p.AfterVersion != "" && p.After != ""
	err := s.walkKeys(ctx, p, skipping, func(o *Object, cp string) bool {
		if o == nil {
			if n >= p.MaxKeys {
				res.IsTruncated = true
				return false
			}
			n++
			res.CommonPrefixes = append(res.CommonPrefixes, cp)
			res.NextMarker, res.NextVersion = cp, ""
			return true
		}
		versions, err := s.keyVersions(ctx, *o)
		if err != nil {
			ferr = err
			return false
		}
		for _, v := range versions {
			if skipping {
				if v.Key == p.After && v.VersionID != p.AfterVersion {
					continue
				}
				skipping = false
				if v.Key == p.After {
					continue
				}
			}
			if n >= p.MaxKeys {
				res.IsTruncated = true
				return false
			}
			n++
			v.Parts = nil
			res.Objects = append(res.Objects, v)
			res.NextMarker, res.NextVersion = v.Key, v.VersionID
		}
		skipping = false
		return true
	})
	if ferr != nil {
		return ListResult{}, ferr
	}
	return res, err
}

// keyVersions returns the versions of cur's key newest first, cur first.
func (s *Service) keyVersions(ctx context.Context, cur Object) ([]Object, error) {
	out := []Object{cur}
	recs, err := s.st.RecordList(ctx, store.RecordListParams{Kind: kindVersion, Parent: objectKey(cur.Bucket, cur.Key)})
	if err != nil {
		return nil, fmt.Errorf("list versions of %s: %w", cur.Key, err)
	}
	for _, r := range recs {
		var o Object
		if err := decode(r, &o); err != nil {
			return nil, err
		}
		if o.VersionID == cur.VersionID {
			continue // a promotion's leftover, see deleteVersion
		}
		out = append(out, o)
	}
	return out, nil
}
