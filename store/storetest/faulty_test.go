package storetest_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/store"
	"stepline/store/sqlite"
	"stepline/store/storetest"
)

func TestFaulty(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(":memory:")
	require.NoError(t, err)
	boom := errors.New("boom")
	f := &storetest.Faulty{Store: db, FailFunc: storetest.FailNth("RecordPut", 2, boom, false)}
	t.Cleanup(func() { require.NoError(t, f.Close()) })
	ctx := t.Context()

	_, err = f.RecordPut(ctx, store.Record{Kind: "k", Key: "a"})
	require.NoError(t, err)
	_, err = f.RecordPut(ctx, store.Record{Kind: "k", Key: "b"})
	require.ErrorIs(t, err, boom)
	_, err = f.RecordGet(ctx, "k", "b")
	require.ErrorIs(t, err, store.ErrNotFound, "a failed call writes nothing")
	_, err = f.RecordPut(ctx, store.Record{Kind: "k", Key: "b"})
	require.NoError(t, err)

	// A lost acknowledgement: the write lands, the caller sees an error.
	f.FailFunc = nil
	f.AckFunc = func(method string, err error) error {
		if method == "RecordPut" {
			return boom
		}
		return err
	}
	_, err = f.RecordPut(ctx, store.Record{Kind: "k", Key: "c"})
	require.ErrorIs(t, err, boom)
	_, err = f.RecordGet(ctx, "k", "c")
	require.NoError(t, err)
	require.NotNil(t, f.Wake())
}
