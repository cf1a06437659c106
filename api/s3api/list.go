package s3api

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strconv"

	"stepline/objects"
)

// maxKeysDefault is S3's page size and its upper bound.
const maxKeysDefault = 1000

type listEntry struct {
	Key               string `xml:"Key"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	Size              int64  `xml:"Size"`
	Owner             *owner `xml:"Owner,omitempty"`
	StorageClass      string `xml:"StorageClass"`
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

type listBucketResult struct {
	XMLName               xml.Name       `xml:"ListBucketResult"`
	Xmlns                 string         `xml:"xmlns,attr"`
	Name                  string         `xml:"Name"`
	Prefix                string         `xml:"Prefix"`
	Marker                *string        `xml:"Marker"`
	NextMarker            string         `xml:"NextMarker,omitempty"`
	ContinuationToken     string         `xml:"ContinuationToken,omitempty"`
	NextContinuationToken string         `xml:"NextContinuationToken,omitempty"`
	StartAfter            string         `xml:"StartAfter,omitempty"`
	KeyCount              *int           `xml:"KeyCount"`
	MaxKeys               int            `xml:"MaxKeys"`
	Delimiter             string         `xml:"Delimiter,omitempty"`
	EncodingType          string         `xml:"EncodingType,omitempty"`
	IsTruncated           bool           `xml:"IsTruncated"`
	Contents              []listEntry    `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

// listInput reads the parameters ListObjects v1 and v2 share.
func listInput(r *request) (objects.ListParams, func(string) string, error) {
	p := objects.ListParams{Bucket: r.bucket, Prefix: r.query.Get("prefix"), Delimiter: r.query.Get("delimiter"), MaxKeys: maxKeysDefault}
	if v := r.query.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return p, nil, errInvalidArgument("Provided max-keys not an integer or within integer range", "max-keys", v)
		}
		p.MaxKeys = min(n, maxKeysDefault)
	}
	enc := func(s string) string { return s }
	switch et := r.query.Get("encoding-type"); et {
	case "":
	case "url":
		enc = urlEncode
	default:
		return p, nil, errInvalidArgument("Invalid Encoding Method specified in Request", "encoding-type", et)
	}
	return p, enc, nil
}

func entries(res objects.ListResult, enc func(string) string, withOwner bool, r *request) ([]listEntry, []commonPrefix) {
	var out []listEntry
	for _, o := range res.Objects {
		e := listEntry{Key: enc(o.Key), LastModified: isoTime(o.LastModified), ETag: quote(o.ETag), Size: o.Size,
			StorageClass: "STANDARD", ChecksumAlgorithm: o.ChecksumAlgorithm, ChecksumType: o.ChecksumType}
		if withOwner {
			e.Owner = r.owner()
		}
		out = append(out, e)
	}
	var cps []commonPrefix
	for _, cp := range res.CommonPrefixes {
		cps = append(cps, commonPrefix{Prefix: enc(cp)})
	}
	return out, cps
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
func (h *Handler) listObjectsV2(w http.ResponseWriter, r *request) error {
	p, enc, err := listInput(r)
	if err != nil {
		return err
	}
	token := r.query.Get("continuation-token")
	startAfter := r.query.Get("start-after")
	p.After = startAfter
	if r.query.Has("continuation-token") {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || token == "" {
			return errInvalidArgument("The continuation token provided is incorrect", "continuation-token", token)
		}
		p.After = string(raw)
	}
	res, err := h.objects.ListObjects(r.Context(), p)
	if err != nil {
		return err
	}
	out := listBucketResult{Xmlns: xmlns, Name: r.bucket, Prefix: enc(p.Prefix), MaxKeys: p.MaxKeys, Delimiter: enc(p.Delimiter),
		IsTruncated: res.IsTruncated, ContinuationToken: token, StartAfter: enc(startAfter)}
	if r.query.Get("encoding-type") != "" {
		out.EncodingType = "url"
	}
	out.Contents, out.CommonPrefixes = entries(res, enc, r.query.Get("fetch-owner") == "true", r)
	n := len(out.Contents) + len(out.CommonPrefixes)
	out.KeyCount = &n
	if res.IsTruncated {
		out.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(res.NextMarker))
	}
	return writeXML(w, out)
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjects.html: NextMarker
// is returned only when a delimiter was given.
func (h *Handler) listObjectsV1(w http.ResponseWriter, r *request) error {
	p, enc, err := listInput(r)
	if err != nil {
		return err
	}
	marker := r.query.Get("marker")
	p.After = marker
	res, err := h.objects.ListObjects(r.Context(), p)
	if err != nil {
		return err
	}
	m := enc(marker)
	out := listBucketResult{Xmlns: xmlns, Name: r.bucket, Prefix: enc(p.Prefix), Marker: &m, MaxKeys: p.MaxKeys,
		Delimiter: enc(p.Delimiter), IsTruncated: res.IsTruncated}
	if r.query.Get("encoding-type") != "" {
		out.EncodingType = "url"
	}
	out.Contents, out.CommonPrefixes = entries(res, enc, true, r)
	if res.IsTruncated && p.Delimiter != "" {
		out.NextMarker = enc(res.NextMarker)
	}
	return writeXML(w, out)
}

type listVersionsResult struct {
	XMLName             xml.Name       `xml:"ListVersionsResult"`
	Xmlns               string         `xml:"xmlns,attr"`
	Name                string         `xml:"Name"`
	Prefix              string         `xml:"Prefix"`
	KeyMarker           string         `xml:"KeyMarker"`
	VersionIDMarker     string         `xml:"VersionIdMarker"`
	NextKeyMarker       string         `xml:"NextKeyMarker,omitempty"`
	NextVersionIDMarker string         `xml:"NextVersionIdMarker,omitempty"`
	MaxKeys             int            `xml:"MaxKeys"`
	Delimiter           string         `xml:"Delimiter,omitempty"`
	EncodingType        string         `xml:"EncodingType,omitempty"`
	IsTruncated         bool           `xml:"IsTruncated"`
	Entries             []versionEntry `xml:""`
	CommonPrefixes      []commonPrefix `xml:"CommonPrefixes"`
}

// versionEntry is a <Version> or a <DeleteMarker>, by XMLName, so the two stay in
// one ordered list as S3 sends them.
type versionEntry struct {
	XMLName           xml.Name
	Key               string `xml:"Key"`
	VersionID         string `xml:"VersionId"`
	IsLatest          bool   `xml:"IsLatest"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag,omitempty"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
	Size              *int64 `xml:"Size,omitempty"`
	StorageClass      string `xml:"StorageClass,omitempty"`
	Owner             *owner `xml:"Owner"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
func (h *Handler) listObjectVersions(w http.ResponseWriter, r *request) error {
	p, enc, err := listInput(r)
	if err != nil {
		return err
	}
	p.After, p.AfterVersion = r.query.Get("key-marker"), r.query.Get("version-id-marker")
	if p.AfterVersion != "" && p.After == "" {
		return errInvalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", p.AfterVersion)
	}
	res, err := h.objects.ListObjectVersions(r.Context(), p)
	if err != nil {
		return err
	}
	out := listVersionsResult{Xmlns: xmlns, Name: r.bucket, Prefix: enc(p.Prefix), KeyMarker: enc(p.After), VersionIDMarker: p.AfterVersion,
		MaxKeys: p.MaxKeys, Delimiter: enc(p.Delimiter), IsTruncated: res.IsTruncated}
	if r.query.Get("encoding-type") != "" {
		out.EncodingType = "url"
	}
	for _, o := range res.Objects {
		e := versionEntry{Key: enc(o.Key), VersionID: o.VersionID, IsLatest: o.IsLatest, LastModified: isoTime(o.LastModified), Owner: r.owner()}
		if o.DeleteMarker {
			e.XMLName.Local = "DeleteMarker"
		} else {
			size := o.Size
			e.XMLName.Local = "Version"
			e.ETag, e.Size, e.StorageClass = quote(o.ETag), &size, "STANDARD"
			e.ChecksumAlgorithm, e.ChecksumType = o.ChecksumAlgorithm, o.ChecksumType
		}
		out.Entries = append(out.Entries, e)
	}
	for _, cp := range res.CommonPrefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{Prefix: enc(cp)})
	}
	if res.IsTruncated {
		out.NextKeyMarker, out.NextVersionIDMarker = enc(res.NextMarker), res.NextVersion
	}
	return writeXML(w, out)
}
