package objects

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"stepline/store"
)

// kindSharedDir is the store record naming the blob directory of the nodes sharing
// a database. Key: sharedDirKey.
const (
	kindSharedDir = "blobdir"
	sharedDirKey  = "cluster"
)

// markerPrefix names the marker file that identifies a shared blob directory.
const markerPrefix = "stepline-cluster-"

// CheckSharedDir reports an error when dir is not the blob directory the other
// nodes sharing st use, so a node started without the shared --blob-dir (or with
// another one) says so instead of silently listing objects whose bytes it cannot
// read. The first node
// writes a marker file with a random id into dir and then records the id in the
// store; every later node must find that marker in its dir. Writing the marker
// before the record means a node that loses the race to create the record finds
// the winner's marker already there.
func CheckSharedDir(ctx context.Context, st store.Store, dir string) error {
	rec, err := st.RecordGet(ctx, kindSharedDir, sharedDirKey)
	if errors.Is(err, store.ErrNotFound) {
		id := newID(16)
		if err := writeMarker(dir, id); err != nil {
			return err
		}
		data, _ := json.Marshal(id)
		_, err = st.RecordPut(ctx, store.Record{Kind: kindSharedDir, Key: sharedDirKey, Sort: sharedDirKey, Data: data})
		if err == nil {
			return nil
		}
		_ = os.Remove(filepath.Join(dir, markerPrefix+id))
		if !errors.Is(err, store.ErrExists) {
			return fmt.Errorf("record shared blob directory: %w", err)
		}
		rec, err = st.RecordGet(ctx, kindSharedDir, sharedDirKey)
	}
	if err != nil {
		return fmt.Errorf("read shared blob directory: %w", err)
	}
	var id string
	if err := json.Unmarshal(rec.Data, &id); err != nil {
		return fmt.Errorf("read shared blob directory: %w", err)
	}
	name := markerPrefix + id
	if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("%s is not the blob directory of the other nodes sharing this database (it has no %s): "+
			"start every node with the same --blob-dir on a shared filesystem", dir, name)
	}
	return nil
}

// writeMarker writes dir's marker durably: temp file, fsync, rename, directory fsync.
func writeMarker(dir, id string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("shared blob directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".marker-*")
	if err != nil {
		return fmt.Errorf("shared blob directory: %w", err)
	}
	defer os.Remove(f.Name())
	_, err = f.WriteString("This directory holds the object blobs and git repositories of one stepline cluster.\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, markerPrefix+id))
	}
	if err != nil {
		return fmt.Errorf("shared blob directory: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
