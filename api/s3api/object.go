package s3api

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"stepline"
	"stepline/objects"
)

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
func (h *Handler) putObject(w http.ResponseWriter, r *request) error {
	md, err := userMetadata(r.Header)
	if err != nil {
		return err
	}
	if _, err := h.objects.Bucket(r.Context(), r.bucket); err != nil {
		return err
	}
	cond, err := putCondition(r)
	if err != nil {
		return err
	}
	p, err := readPayload(r, true)
	if err != nil {
		return err
	}
	o, err := h.objects.PutObject(r.Context(), objects.PutParams{Condition: cond,
		Bucket: r.bucket, Key: r.key, Body: p.body, Size: p.size, Headers: contentHeaders(r.Header), Metadata: md,
		ChecksumAlgorithm: p.alg, WantSHA256: p.wantSHA256, Verify: p.verify, Owner: r.id.Account,
	})
	if err != nil {
		return p.fail(err)
	}
	hd := w.Header()
	hd.Set("ETag", quote(o.ETag))
	setVersionHeader(hd, o.VersionID)
	setChecksumHeaders(hd, o)
	w.WriteHeader(http.StatusOK)
	return nil
}

// putCondition reads a conditional write: If-None-Match: * (create only) or
// If-Match: <etag> (replace only that version).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
func putCondition(r *request) (func(*objects.Object) error, error) {
	none, match := r.Header.Get("If-None-Match"), r.Header.Get("If-Match")
	switch {
	case none == "" && match == "":
		return nil, nil
	case none != "" && strings.TrimSpace(none) != "*":
		return nil, errNotImplemented("If-None-Match")
	}
	return func(cur *objects.Object) error {
		if none != "" && cur != nil {
			return errPrecondition("If-None-Match")
		}
		if match != "" {
			if cur == nil {
				return &stepline.Error{Code: objects.CodeNoSuchKey, Status: http.StatusNotFound,
					Message: "The specified key does not exist.", Fields: map[string]any{"Key": r.key}}
			}
			if m := strings.TrimSpace(match); m != "*" && strings.Trim(m, `"`) != cur.ETag {
				return errPrecondition("If-Match")
			}
		}
		return nil
	}, nil
}

// getObject serves GetObject (body true) and HeadObject.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
func (h *Handler) getObject(w http.ResponseWriter, r *request, body bool) error {
	o, err := h.objects.GetObject(r.Context(), r.bucket, r.key, r.query.Get("versionId"))
	if err != nil {
		return err
	}
	if err := checkConditions(r.Header, "", o); err != nil {
		if err == errNotModified {
			w.Header().Set("ETag", quote(o.ETag))
			w.Header().Set("Last-Modified", httpTime(o.LastModified))
		}
		return err
	}
	setObjectHeaders(w, o)
	for _, name := range []string{"Content-Type", "Content-Language", "Expires", "Cache-Control", "Content-Disposition", "Content-Encoding"} {
		if v := r.query.Get("response-" + strings.ToLower(name)); v != "" {
			w.Header().Set(name, v)
		}
	}
	offset, length, status := int64(0), o.Size, http.StatusOK
	if pn := r.query.Get("partNumber"); pn != "" {
		n, err := strconv.Atoi(pn)
		if err != nil || n < 1 || n > objects.MaxPartNumber {
			return errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", pn)
		}
		offset, length, err = partRange(o, n)
		if err != nil {
			return err
		}
		if o.PartsCount > 0 {
			w.Header().Set("x-amz-mp-parts-count", strconv.Itoa(o.PartsCount))
			status = http.StatusPartialContent
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", offset, offset+length-1, o.Size))
		}
	} else if rg := r.Header.Get("Range"); rg != "" {
		start, n, ok, err := parseRange(rg, o.Size)
		if err != nil {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes */%d", o.Size))
			return err
		}
		if ok {
			offset, length, status = start, n, http.StatusPartialContent
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, start+n-1, o.Size))
		}
	}
	if status == http.StatusOK && strings.EqualFold(r.Header.Get("x-amz-checksum-mode"), "ENABLED") {
		setChecksumHeaders(w.Header(), o)
	}
	w.Header().Set("Content-Length", strconv.FormatInt(length, 10))
	if !body || length == 0 {
		w.WriteHeader(status)
		return nil
	}
	rd, err := h.objects.Open(r.Context(), o, offset, length)
	if err != nil {
		return err
	}
	defer rd.Close()
	w.WriteHeader(status)
	buf := make([]byte, 256<<10)
	if _, err := io.CopyBuffer(writerOnly{w}, rd, buf); err != nil {
		// The status is sent; all that is left is to cut the response short so the
		// client sees a length mismatch rather than a complete object.
		h.log.Warn("s3: get object body", "bucket", r.bucket, "key", r.key, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// writerOnly hides ReadFrom so io.CopyBuffer uses the large buffer given.
type writerOnly struct{ io.Writer }

// partRange returns where part n of o lies. A single-part object has only part 1.
func partRange(o objects.Object, n int) (int64, int64, error) {
	if o.PartsCount == 0 {
		if n == 1 {
			return 0, o.Size, nil
		}
	} else if n <= len(o.Parts) {
		var off int64
		for _, p := range o.Parts[:n-1] {
			off += p.Size
		}
		return off, o.Parts[n-1].Size, nil
	}
	return 0, 0, &stepline.Error{Code: "InvalidPartNumber", Status: http.StatusRequestedRangeNotSatisfiable,
		Message: "The requested partnumber is not satisfiable", Fields: map[string]any{"PartNumberRequested": n, "ActualPartCount": max(o.PartsCount, 1)}}
}

// parseRange reads a single "bytes=" range. ok is false when the header is to be
// ignored (malformed or several ranges), as S3 then returns the whole object; an
// unsatisfiable range is InvalidRange.
func parseRange(h string, size int64) (start, n int64, ok bool, err error) {
	spec, found := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false, nil
	}
	a, b, found := strings.Cut(spec, "-")
	if !found {
		return 0, 0, false, nil
	}
	invalid := &stepline.Error{Code: codeInvalidRange, Status: http.StatusRequestedRangeNotSatisfiable,
		Message: "The requested range is not satisfiable", Fields: map[string]any{"RangeRequested": h, "ActualObjectSize": size}}
	if a == "" {
		suffix, err := strconv.ParseInt(b, 10, 64)
		if err != nil || suffix < 0 {
			return 0, 0, false, nil
		}
		if suffix == 0 || size == 0 {
			return 0, 0, false, invalid
		}
		suffix = min(suffix, size)
		return size - suffix, suffix, true, nil
	}
	first, err := strconv.ParseInt(a, 10, 64)
	if err != nil || first < 0 {
		return 0, 0, false, nil
	}
	last := size - 1
	if b != "" {
		last, err = strconv.ParseInt(b, 10, 64)
		if err != nil || last < first {
			return 0, 0, false, nil
		}
		last = min(last, size-1)
	}
	if first >= size {
		return 0, 0, false, invalid
	}
	return first, last - first + 1, true, nil
}

// checkConditions applies If-Match, If-None-Match, If-Modified-Since and
// If-Unmodified-Since (with prefix "x-amz-copy-source-" for copies) in RFC 7232's
// order, as S3 does: a true If-Match overrides a false If-Unmodified-Since, and a
// false If-None-Match overrides a true If-Modified-Since.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html
func checkConditions(hd http.Header, prefix string, o objects.Object) error {
	get := func(n string) string { return hd.Get(prefix + n) }
	etagIn := func(list string) bool {
		for _, e := range strings.Split(list, ",") {
			e = strings.TrimSpace(e)
			if e == "*" || strings.Trim(e, `"`) == o.ETag {
				return true
			}
		}
		return false
	}
	since := func(v string) (time.Time, bool) {
		t, err := http.ParseTime(v)
		return t, err == nil
	}
	modified := o.LastModified.Truncate(time.Second)
	notModified := errNotModified
	if prefix != "" {
		notModified = errPrecondition(prefix + "If-None-Match")
	}
	if v := get("If-Match"); v != "" {
		if !etagIn(v) {
			return errPrecondition("If-Match")
		}
	} else if v := get("If-Unmodified-Since"); v != "" {
		if t, ok := since(v); ok && modified.After(t) {
			return errPrecondition("If-Unmodified-Since")
		}
	}
	if v := get("If-None-Match"); v != "" {
		if etagIn(v) {
			return notModified
		}
	} else if v := get("If-Modified-Since"); v != "" {
		if t, ok := since(v); ok && !modified.After(t) {
			if prefix != "" {
				return errPrecondition(prefix + "If-Modified-Since")
			}
			return notModified
		}
	}
	return nil
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html
func (h *Handler) deleteObject(w http.ResponseWriter, r *request) error {
	res, err := h.objects.DeleteObject(r.Context(), r.bucket, r.key, r.query.Get("versionId"))
	if err != nil {
		return err
	}
	if res.DeleteMarker {
		w.Header().Set("x-amz-delete-marker", "true")
	}
	setVersionHeader(w.Header(), res.VersionID)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
