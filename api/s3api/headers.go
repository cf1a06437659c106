package s3api

import (
	"net/http"
	"strings"

	"stepline"
	"stepline/objects"
)

// maxMetadataSize is S3's limit on user metadata: names and values, 2 KB.
const maxMetadataSize = 2048

// contentHeaders reads the content headers stored with an object. aws-chunked is
// a transfer detail, not the object's encoding, so it is dropped.
func contentHeaders(h http.Header) objects.Headers {
	var enc []string
	for _, e := range strings.Split(h.Get("Content-Encoding"), ",") {
		if e = strings.TrimSpace(e); e != "" && e != "aws-chunked" {
			enc = append(enc, e)
		}
	}
	return objects.Headers{
		ContentType:        h.Get("Content-Type"),
		ContentEncoding:    strings.Join(enc, ","),
		ContentDisposition: h.Get("Content-Disposition"),
		ContentLanguage:    h.Get("Content-Language"),
		CacheControl:       h.Get("Cache-Control"),
		Expires:            h.Get("Expires"),
	}
}

// userMetadata reads x-amz-meta-* headers, names lower-cased as S3 returns them.
func userMetadata(h http.Header) (map[string]string, error) {
	md := map[string]string{}
	size := 0
	for k, vs := range h {
		name, ok := strings.CutPrefix(strings.ToLower(k), "x-amz-meta-")
		if !ok {
			continue
		}
		v := strings.Join(vs, ",")
		md[name] = v
		size += len(name) + len(v)
	}
	if size > maxMetadataSize {
		return nil, &stepline.Error{Code: codeMetadataTooLarge, Status: http.StatusBadRequest,
			Message: "Your metadata headers exceed the maximum allowed metadata size",
			Fields:  map[string]any{"Size": size, "MaxSizeAllowed": maxMetadataSize}}
	}
	if len(md) == 0 {
		return nil, nil
	}
	return md, nil
}

// setObjectHeaders writes an object's headers on a GET or HEAD response.
func setObjectHeaders(w http.ResponseWriter, o objects.Object) {
	hd := w.Header()
	ct := o.Headers.ContentType
	if ct == "" {
		ct = "binary/octet-stream"
	}
	hd.Set("Content-Type", ct)
	setIf(hd, "Content-Encoding", o.Headers.ContentEncoding)
	setIf(hd, "Content-Disposition", o.Headers.ContentDisposition)
	setIf(hd, "Content-Language", o.Headers.ContentLanguage)
	setIf(hd, "Cache-Control", o.Headers.CacheControl)
	setIf(hd, "Expires", o.Headers.Expires)
	hd.Set("ETag", quote(o.ETag))
	hd.Set("Last-Modified", httpTime(o.LastModified))
	hd.Set("Accept-Ranges", "bytes")
	setVersionHeader(hd, o.VersionID)
	for k, v := range o.Metadata {
		hd["x-amz-meta-"+k] = []string{v}
	}
}

func setVersionHeader(hd http.Header, version string) {
	if version != "" && version != objects.NullVersion {
		hd.Set("x-amz-version-id", version)
	}
}

func setIf(hd http.Header, k, v string) {
	if v != "" {
		hd.Set(k, v)
	}
}

// setChecksumHeaders writes the stored checksum, as S3 does for full-object reads
// with x-amz-checksum-mode: ENABLED and on writes.
func setChecksumHeaders(hd http.Header, o objects.Object) {
	if o.ChecksumAlgorithm == "" || o.Checksum == "" {
		return
	}
	hd.Set("x-amz-checksum-"+strings.ToLower(o.ChecksumAlgorithm), o.Checksum)
	setIf(hd, "x-amz-checksum-type", o.ChecksumType)
}
