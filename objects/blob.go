package objects

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// BlobStore keeps object bytes. Blobs are immutable: written once, read many times,
// deleted when no record names them. Ids are chosen by the BlobStore.
type BlobStore interface {
	// Create streams r into a new blob and returns its id and size once the bytes are
	// durable. When r fails, nothing is left behind and the error is returned.
	Create(ctx context.Context, r io.Reader) (id string, size int64, err error)
	// Open returns the blob's bytes for random access.
	Open(ctx context.Context, id string) (Blob, error)
	// Delete removes a blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, id string) error
	// Walk calls fn with the id and write time of every blob, for garbage collection.
	Walk(ctx context.Context, fn func(id string, written time.Time) error) error
	// RemoveTemp removes writes in progress last written before before: those of
	// uploads cut off by a crash. A write still in progress on any node sharing the
	// blobs keeps its temp file's write time recent, so it is left alone. It returns
	// how many it removed.
	RemoveTemp(ctx context.Context, before time.Time) (int, error)
}

// Blob is an open blob.
type Blob interface {
	io.ReaderAt
	io.Closer
}

// ErrBlobNotFound is returned by Open when the blob does not exist.
var ErrBlobNotFound = errors.New("objects: blob not found")

// FSBlobs is a BlobStore in a directory: each blob is one file under a two-hex-digit
// fan-out directory, written to tmp/ first, fsynced and renamed into place, so a
// reader never sees a partial blob. Readers keep an open file readable after Delete
// (POSIX unlink semantics), so a GET racing an overwrite finishes with the old bytes.
type FSBlobs struct {
	dir string // immutable
}

var _ BlobStore = (*FSBlobs)(nil)

// OpenFSBlobs returns the blob store in dir, creating it when missing. It removes
// nothing: the directory may be shared with other nodes whose uploads are in
// flight, so temp files left by a crash go through RemoveTemp (CollectOrphans),
// which judges them by age.
func OpenFSBlobs(dir string) (*FSBlobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		return nil, fmt.Errorf("objects: blob dir: %w", err)
	}
	return &FSBlobs{dir: dir}, nil
}

// RemoveTemp implements BlobStore.
func (b *FSBlobs) RemoveTemp(ctx context.Context, before time.Time) (int, error) {
	entries, err := os.ReadDir(filepath.Join(b.dir, "tmp"))
	if err != nil {
		return 0, fmt.Errorf("objects: blob temp dir: %w", err)
	}
	n := 0
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			continue // finished meanwhile, or still being written
		}
		if err := os.Remove(filepath.Join(b.dir, "tmp", e.Name())); err == nil {
			n++
		}
	}
	return n, nil
}

func (b *FSBlobs) path(id string) (string, error) {
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		return "", fmt.Errorf("objects: bad blob id %q", id)
	}
	return filepath.Join(b.dir, id[:2], id), nil
}

// Create implements BlobStore.
func (b *FSBlobs) Create(ctx context.Context, r io.Reader) (string, int64, error) {
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	id := hex.EncodeToString(raw[:])
	tmp, err := os.CreateTemp(filepath.Join(b.dir, "tmp"), id+"-*")
	if err != nil {
		return "", 0, fmt.Errorf("objects: create blob: %w", err)
	}
	fail := func(err error) (string, int64, error) {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return "", 0, err
	}
	// A large buffer, and no ReadFrom (which would copy 32 KiB at a time), keeps
	// the syscalls per GiB low.
	n, err := io.CopyBuffer(struct{ io.Writer }{tmp}, ctxReader{ctx: ctx, r: r}, make([]byte, copyBuffer))
	if err != nil {
		return fail(err)
	}
	if err := tmp.Sync(); err != nil {
		return fail(fmt.Errorf("objects: sync blob: %w", err))
	}
	if err := tmp.Close(); err != nil {
		return fail(fmt.Errorf("objects: close blob: %w", err))
	}
	dst, _ := b.path(id)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fail(fmt.Errorf("objects: blob dir: %w", err))
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fail(fmt.Errorf("objects: rename blob: %w", err))
	}
	// The rename must survive power loss before a record names the blob.
	if d, err := os.Open(filepath.Dir(dst)); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return id, n, nil
}

// Open implements BlobStore.
func (b *FSBlobs) Open(_ context.Context, id string) (Blob, error) {
	p, err := b.path(id)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrBlobNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("objects: open blob: %w", err)
	}
	return f, nil
}

// Delete implements BlobStore.
func (b *FSBlobs) Delete(_ context.Context, id string) error {
	p, err := b.path(id)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("objects: delete blob: %w", err)
	}
	return nil
}

// Walk implements BlobStore.
func (b *FSBlobs) Walk(ctx context.Context, fn func(id string, written time.Time) error) error {
	dirs, err := os.ReadDir(b.dir)
	if err != nil {
		return fmt.Errorf("objects: walk blobs: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		files, err := os.ReadDir(filepath.Join(b.dir, d.Name()))
		if err != nil {
			return fmt.Errorf("objects: walk blobs: %w", err)
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, err := b.path(f.Name()); err != nil {
				continue
			}
			info, err := f.Info()
			if err != nil {
				continue // deleted meanwhile
			}
			if err := fn(f.Name(), info.ModTime()); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyBuffer is the size of writes to blob files.
const copyBuffer = 1 << 20

// ctxReader stops a copy when the request's context ends, so an abandoned upload
// does not keep writing.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
