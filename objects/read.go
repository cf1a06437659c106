package objects

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
)

// Open returns a reader of length bytes of o starting at offset (length < 0: to the
// end). The bytes stream from the blobs; nothing is buffered whole.
func (s *Service) Open(ctx context.Context, o Object, offset, length int64) (io.ReadCloser, error) {
	if offset < 0 || offset > o.Size {
		return nil, fmt.Errorf("objects: offset %d outside object of %d bytes", offset, o.Size)
	}
	if length < 0 || offset+length > o.Size {
		length = o.Size - offset
	}
	return &partsReader{ctx: ctx, blobs: s.blobs, parts: o.Parts, skip: offset, left: length}, nil
}

// partsReader reads a range across an object's parts, opening one blob at a time.
type partsReader struct {
	ctx   context.Context
	blobs BlobStore
	parts []Part // parts not yet opened
	skip  int64  // bytes still to skip before the range starts
	left  int64  // bytes of the range still to read
	cur   Blob
	pos   int64 // read position in cur
	end   int64 // size of cur
}

func (r *partsReader) Read(p []byte) (int, error) {
	for r.left > 0 {
		if r.cur == nil {
			if err := r.next(); err != nil {
				return 0, err
			}
			continue
		}
		if r.pos >= r.end {
			_ = r.cur.Close()
			r.cur = nil
			continue
		}
		want := int64(len(p))
		if want > r.left {
			want = r.left
		}
		if want > r.end-r.pos {
			want = r.end - r.pos
		}
		n, err := r.cur.ReadAt(p[:want], r.pos)
		r.pos += int64(n)
		r.left -= int64(n)
		if err != nil && !errors.Is(err, io.EOF) {
			return n, fmt.Errorf("objects: read blob: %w", err)
		}
		if n == 0 && errors.Is(err, io.EOF) {
			return 0, fmt.Errorf("objects: blob shorter than recorded: %w", io.ErrUnexpectedEOF)
		}
		return n, nil
	}
	return 0, io.EOF
}

// next opens the part holding the next byte of the range.
func (r *partsReader) next() error {
	for len(r.parts) > 0 {
		p := r.parts[0]
		r.parts = r.parts[1:]
		if r.skip >= p.Size {
			r.skip -= p.Size
			continue
		}
		var b Blob
		if p.Blob == "" {
			b = inlineBlob{bytes.NewReader(p.Inline)}
		} else {
			var err error
			if b, err = r.blobs.Open(r.ctx, p.Blob); err != nil {
				return err
			}
		}
		r.cur, r.pos, r.end = b, r.skip, p.Size
		r.skip = 0
		return nil
	}
	return fmt.Errorf("objects: parts end before the object does: %w", io.ErrUnexpectedEOF)
}

// inlineBlob reads a part kept in its record.
type inlineBlob struct{ *bytes.Reader }

func (inlineBlob) Close() error { return nil }

func (r *partsReader) Close() error {
	if r.cur != nil {
		err := r.cur.Close()
		r.cur = nil
		return err
	}
	return nil
}
