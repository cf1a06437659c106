package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

func testRecord(t *testing.T, open Open) {
	t.Run("CreateGet", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		r, err := b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "a", Parent: "p", Sort: "s", Data: []byte(`{"x":1}`)})
		require.NoError(t, err)
		require.Equal(t, int64(1), r.Version)
		got, err := b.s.RecordGet(b.ctx, "k", "a")
		require.NoError(t, err)
		require.Equal(t, r, got)
	})
	t.Run("CreateExists", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		_, err := b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "a", Data: []byte(`1`)})
		require.NoError(t, err)
		_, err = b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "a", Data: []byte(`2`)})
		require.ErrorIs(t, err, store.ErrExists)
		got, err := b.s.RecordGet(b.ctx, "k", "a")
		require.NoError(t, err)
		require.Equal(t, []byte(`1`), got.Data)
		// The same key in another kind is another record.
		_, err = b.s.RecordPut(b.ctx, store.Record{Kind: "k2", Key: "a"})
		require.NoError(t, err)
	})
	t.Run("GetNotFound", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		_, err := b.s.RecordGet(b.ctx, "k", "missing")
		require.ErrorIs(t, err, store.ErrNotFound)
	})
	t.Run("ReplaceVersions", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		r, err := b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "a", Parent: "p", Sort: "1"})
		require.NoError(t, err)
		r.Sort, r.Parent, r.Data = "2", "q", []byte(`{"v":2}`)
		r2, err := b.s.RecordPut(b.ctx, r)
		require.NoError(t, err)
		require.Equal(t, int64(2), r2.Version)
		got, err := b.s.RecordGet(b.ctx, "k", "a")
		require.NoError(t, err)
		require.Equal(t, r2, got)

		_, err = b.s.RecordPut(b.ctx, r) // still Version 1: stale
		require.ErrorIs(t, err, store.ErrConflict)
		r.Version = 7
		_, err = b.s.RecordPut(b.ctx, r)
		require.ErrorIs(t, err, store.ErrConflict)
		_, err = b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "gone", Version: 3})
		require.ErrorIs(t, err, store.ErrNotFound)
		got, err = b.s.RecordGet(b.ctx, "k", "a")
		require.NoError(t, err)
		require.Equal(t, r2, got)
	})
	t.Run("Delete", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		r, err := b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "a"})
		require.NoError(t, err)
		require.ErrorIs(t, b.s.RecordDelete(b.ctx, "k", "a", 2), store.ErrConflict)
		require.ErrorIs(t, b.s.RecordDelete(b.ctx, "k", "missing", 0), store.ErrNotFound)
		require.ErrorIs(t, b.s.RecordDelete(b.ctx, "other", "a", 0), store.ErrNotFound)
		require.NoError(t, b.s.RecordDelete(b.ctx, "k", "a", r.Version))
		_, err = b.s.RecordGet(b.ctx, "k", "a")
		require.ErrorIs(t, err, store.ErrNotFound)
		require.ErrorIs(t, b.s.RecordDelete(b.ctx, "k", "a", 0), store.ErrNotFound)

		_, err = b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "b"})
		require.NoError(t, err)
		require.NoError(t, b.s.RecordDelete(b.ctx, "k", "b", 0), "version 0 deletes any version")
		// A deleted key can be created again, starting over at version 1.
		r, err = b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "b"})
		require.NoError(t, err)
		require.Equal(t, int64(1), r.Version)
	})
	t.Run("EmptyDataIsNil", func(t *testing.T) {
		t.Parallel()
		b := setup(t, open)
		_, err := b.s.RecordPut(b.ctx, store.Record{Kind: "k", Key: "a", Data: []byte{}})
		require.NoError(t, err)
		got, err := b.s.RecordGet(b.ctx, "k", "a")
		require.NoError(t, err)
		require.Nil(t, got.Data)
	})
	t.Run("List", func(t *testing.T) { testRecordList(t, open) })
}

func testRecordList(t *testing.T, open Open) {
	t.Parallel()
	b := setup(t, open)
	put := func(kind, key, parent, sort string) {
		_, err := b.s.RecordPut(b.ctx, store.Record{Kind: kind, Key: key, Parent: parent, Sort: sort})
		require.NoError(t, err)
	}
	// Sorts tie on purpose: keys break the tie.
	put("v", "k5", "p1", "0002")
	put("v", "k1", "p1", "0001")
	put("v", "k3", "p1", "0002")
	put("v", "k2", "p1", "0010")
	put("v", "k4", "p2", "0001")
	put("v", "k6", "p2", "a%_b")
	put("v", "k7", "p2", "a%c")
	put("other", "k8", "p1", "0001")

	list := func(p store.RecordListParams) []string {
		t.Helper()
		p.Kind = "v"
		rs, err := b.s.RecordList(b.ctx, p)
		require.NoError(t, err)
		keys := []string{}
		for _, r := range rs {
			keys = append(keys, r.Key)
		}
		return keys
	}
	require.Equal(t, []string{"k1", "k3", "k5", "k2"}, list(store.RecordListParams{Parent: "p1"}))
	require.Equal(t, []string{"k2", "k5", "k3", "k1"}, list(store.RecordListParams{Parent: "p1", Descending: true}))
	require.Equal(t, []string{"k1", "k4", "k3", "k5", "k2", "k6", "k7"}, list(store.RecordListParams{AnyParent: true}))
	require.Equal(t, []string{}, list(store.RecordListParams{Parent: "nobody"}))
	require.Equal(t, []string{"k1", "k3"}, list(store.RecordListParams{Parent: "p1", Limit: 2}))

	t.Run("Prefix", func(t *testing.T) {
		require.Equal(t, []string{"k1", "k3", "k5"}, list(store.RecordListParams{Parent: "p1", Prefix: "000"}))
		require.Equal(t, []string{"k2"}, list(store.RecordListParams{Parent: "p1", Prefix: "001"}))
		// LIKE's wildcards are plain characters in a prefix.
		require.Equal(t, []string{"k6"}, list(store.RecordListParams{Parent: "p2", Prefix: "a%_"}))
		require.Equal(t, []string{"k6", "k7"}, list(store.RecordListParams{Parent: "p2", Prefix: "a%"}))
		require.Equal(t, []string{}, list(store.RecordListParams{Parent: "p2", Prefix: "a_"}))
		require.Equal(t, []string{"k4", "k1"}, list(store.RecordListParams{AnyParent: true, Prefix: "0001", Descending: true}))
	})
	t.Run("Cursor", func(t *testing.T) {
		require.Equal(t, []string{"k5", "k2"},
			list(store.RecordListParams{Parent: "p1", AfterSort: "0002", AfterKey: "k3"}))
		require.Equal(t, []string{"k3", "k5", "k2"},
			list(store.RecordListParams{Parent: "p1", AfterSort: "0001", AfterKey: "k1"}))
		require.Equal(t, []string{"k3", "k1"},
			list(store.RecordListParams{Parent: "p1", AfterSort: "0002", AfterKey: "k5", Descending: true}))
		require.Equal(t, []string{"k3"},
			list(store.RecordListParams{Parent: "p1", AfterSort: "0001", AfterKey: "k1", Prefix: "0002", Limit: 1}))
	})
	t.Run("Pages", func(t *testing.T) {
		// Walking with the cursor visits every record once, in order, both ways.
		for _, desc := range []bool{false, true} {
			var got []string
			p := store.RecordListParams{Kind: "v", AnyParent: true, Limit: 2, Descending: desc}
			for {
				rs, err := b.s.RecordList(b.ctx, p)
				require.NoError(t, err)
				if len(rs) == 0 {
					break
				}
				for _, r := range rs {
					got = append(got, r.Key)
				}
				last := rs[len(rs)-1]
				p.AfterSort, p.AfterKey = last.Sort, last.Key
			}
			want := list(store.RecordListParams{AnyParent: true, Descending: desc})
			require.Equal(t, want, got)
		}
	})
}
