package s3api

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"stepline/objects"
)

// copySource parses x-amz-copy-source: "bucket/key" or "/bucket/key", URL-encoded,
// with an optional "?versionId=".
func copySource(v string) (bucket, key, version string, err error) {
	path, query, _ := strings.Cut(v, "?")
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	path = strings.TrimPrefix(path, "/")
	bucket, key, ok := strings.Cut(path, "/")
	if query != "" {
		q, err := url.ParseQuery(query)
		if err == nil {
			version = q.Get("versionId")
		}
	}
	if !ok || bucket == "" || key == "" {
		return "", "", "", errInvalidArgument("Invalid copy source object key", "x-amz-copy-source", v)
	}
	return bucket, key, version, nil
}

type copyObjectResult struct {
	XMLName        xml.Name `xml:"CopyObjectResult"`
	Xmlns          string   `xml:"xmlns,attr"`
	ETag           string   `xml:"ETag"`
	LastModified   string   `xml:"LastModified"`
	ChecksumCRC32  string   `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C string   `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64  string   `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1   string   `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256 string   `xml:"ChecksumSHA256,omitempty"`
	ChecksumType   string   `xml:"ChecksumType,omitempty"`
}

// checksumFields spreads one checksum over the per-algorithm elements S3 uses.
type checksumFields struct {
	CRC32, CRC32C, CRC64NVME, SHA1, SHA256 string
}

func checksumsOf(alg, v string) checksumFields {
	var c checksumFields
	switch alg {
	case objects.ChecksumCRC32:
		c.CRC32 = v
	case objects.ChecksumCRC32C:
		c.CRC32C = v
	case objects.ChecksumCRC64NVME:
		c.CRC64NVME = v
	case objects.ChecksumSHA1:
		c.SHA1 = v
	case objects.ChecksumSHA256:
		c.SHA256 = v
	}
	return c
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
func (h *Handler) copyObject(w http.ResponseWriter, r *request) error {
	sb, sk, sv, err := copySource(r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return err
	}
	directive := r.Header.Get("x-amz-metadata-directive")
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return errInvalidArgument("Unknown metadata directive.", "x-amz-metadata-directive", directive)
	}
	if d := r.Header.Get("x-amz-tagging-directive"); d == "REPLACE" {
		return errNotImplemented("x-amz-tagging-directive")
	}
	md, err := userMetadata(r.Header)
	if err != nil {
		return err
	}
	alg := ""
	if a := r.Header.Get("x-amz-checksum-algorithm"); a != "" {
		if alg = objects.NormalizeChecksumAlgorithm(a); alg == "" {
			return errInvalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")
		}
	}
	o, src, err := h.objects.CopyObject(r.Context(), objects.CopyParams{
		SrcBucket: sb, SrcKey: sk, SrcVersion: sv, Bucket: r.bucket, Key: r.key,
		ReplaceMetadata: directive == "REPLACE", Headers: contentHeaders(r.Header), Metadata: md,
		ChecksumAlgorithm: alg, Owner: r.id.Account,
		Check: func(src objects.Object) error { return checkConditions(r.Header, "x-amz-copy-source-", src) },
	})
	if err != nil {
		return err
	}
	setVersionHeader(w.Header(), o.VersionID)
	if src.VersionID != objects.NullVersion {
		w.Header().Set("x-amz-copy-source-version-id", src.VersionID)
	}
	c := checksumsOf(o.ChecksumAlgorithm, o.Checksum)
	return writeXML(w, copyObjectResult{Xmlns: xmlns, ETag: quote(o.ETag), LastModified: isoTime(o.LastModified),
		ChecksumCRC32: c.CRC32, ChecksumCRC32C: c.CRC32C, ChecksumCRC64: c.CRC64NVME, ChecksumSHA1: c.SHA1, ChecksumSHA256: c.SHA256,
		ChecksumType: o.ChecksumType})
}

type copyPartResult struct {
	XMLName      xml.Name `xml:"CopyPartResult"`
	Xmlns        string   `xml:"xmlns,attr"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPartCopy.html
func (h *Handler) uploadPartCopy(w http.ResponseWriter, r *request) error {
	n, err := partNumber(r)
	if err != nil {
		return err
	}
	sb, sk, sv, err := copySource(r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return err
	}
	if _, err := h.objects.Upload(r.Context(), r.bucket, r.key, r.query.Get("uploadId")); err != nil {
		return err
	}
	src, err := h.objects.GetObject(r.Context(), sb, sk, sv)
	if err != nil {
		return err
	}
	if err := checkConditions(r.Header, "x-amz-copy-source-", src); err != nil {
		return err
	}
	offset, length := int64(0), src.Size
	if rg := r.Header.Get("x-amz-copy-source-range"); rg != "" {
		var ok bool
		offset, length, ok, err = parseRange(rg, src.Size)
		if err != nil || !ok || !strings.Contains(rg, "-") || strings.HasPrefix(strings.TrimPrefix(rg, "bytes="), "-") {
			return errInvalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are "+
				"the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", rg)
		}
	}
	p, err := h.objects.CopyPart(r.Context(), src, offset, length, r.bucket, r.key, r.query.Get("uploadId"), n)
	if err != nil {
		return err
	}
	if src.VersionID != objects.NullVersion {
		w.Header().Set("x-amz-copy-source-version-id", src.VersionID)
	}
	return writeXML(w, copyPartResult{Xmlns: xmlns, ETag: quote(p.ETag), LastModified: isoTime(p.LastModified)})
}

// partNumber reads ?partNumber= of UploadPart and UploadPartCopy.
func partNumber(r *request) (int, error) {
	v := r.query.Get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > objects.MaxPartNumber {
		return 0, errInvalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", v)
	}
	return n, nil
}
