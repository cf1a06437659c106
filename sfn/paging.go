package sfn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"stepline"
	"stepline/store"
)

// PageSizeDefault is the page size AWS uses when maxResults is 0 or absent.
const PageSizeDefault = 100

// Page asks for one page of a list: at most Max items (0: PageSizeDefault) after the
// position NextToken names (empty: from the start).
type Page struct {
	Max       int
	NextToken string
}

// size is the number of items the page may hold.
func (pg Page) size() int {
	if pg.Max <= 0 {
		return PageSizeDefault
	}
	return pg.Max
}

// TokenMaxAge is how long a nextToken stays valid: AWS's list tokens expire after
// 24 hours, and using one later is InvalidToken (API_ListStateMachines, nextToken).
const TokenMaxAge = 24 * time.Hour

// pageToken is the cursor a nextToken carries: the (Sort, Key) of the last record
// returned and when the token was issued. It is opaque to callers.
type pageToken struct {
	S string `json:"s"`
	K string `json:"k"`
	T int64  `json:"t"` // unix seconds
}

func encodeToken(r store.Record, now time.Time) string {
	b, _ := json.Marshal(pageToken{S: r.Sort, K: r.Key, T: now.Unix()}) // cannot fail: strings and a number
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeToken reverses encodeToken; anything else, or a token older than
// TokenMaxAge, is AWS's InvalidToken.
func decodeToken(tok string, now time.Time) (pageToken, error) {
	var t pageToken
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil || t.K == "" || now.Sub(time.Unix(t.T, 0)) > TokenMaxAge {
		return t, stepline.Errorf("InvalidToken", "Invalid Token: '%s'", tok)
	}
	return t, nil
}

// listPage reads one page of records and the token for the next one ("" at the end).
func (s *Service) listPage(ctx context.Context, p store.RecordListParams, pg Page) ([]store.Record, string, error) {
	size := pg.size()
	if pg.NextToken != "" {
		t, err := decodeToken(pg.NextToken, s.now())
		if err != nil {
			return nil, "", err
		}
		p.AfterSort, p.AfterKey = t.S, t.K
	}
	// One more than asked tells whether another page exists without a second query.
	p.Limit = size + 1
	recs, err := s.store.RecordList(ctx, p)
	if err != nil {
		return nil, "", fmt.Errorf("list %s: %w", p.Kind, err)
	}
	if len(recs) <= size {
		return recs, "", nil
	}
	recs = recs[:size]
	return recs, encodeToken(recs[size-1], s.now()), nil
}

// decodeAll decodes the Data of each record into T.
func decodeAll[T any](recs []store.Record) ([]T, error) {
	out := make([]T, 0, len(recs))
	for _, r := range recs {
		var v T
		if err := json.Unmarshal(r.Data, &v); err != nil {
			return nil, fmt.Errorf("decode %s %s: %w", r.Kind, r.Key, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// pageSlice pages a list already in memory and sorted by key: the token names the key
// of the last item returned.
func pageSlice[T any](items []T, pg Page, now time.Time, key func(T) string) ([]T, string, error) {
	size := pg.size()
	start := 0
	if pg.NextToken != "" {
		t, err := decodeToken(pg.NextToken, now)
		if err != nil {
			return nil, "", err
		}
		for start < len(items) && key(items[start]) <= t.K {
			start++
		}
	}
	items = items[start:]
	if len(items) <= size {
		return items, "", nil
	}
	items = items[:size]
	k := key(items[size-1])
	return items, encodeToken(store.Record{Sort: k, Key: k}, now), nil
}
