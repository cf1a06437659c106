package web

import (
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"stepline/objects"
)

// bucketPageSize is how many keys and folders a bucket page lists.
const bucketPageSize = 100

// bucketURL is the console page of a bucket, at a folder (prefix) when given.
func bucketURL(bucket, prefix string) string {
	u := Prefix + "/buckets/" + url.PathEscape(bucket)
	if prefix != "" {
		u += "?prefix=" + url.QueryEscape(prefix)
	}
	return u
}

// objectURL is the console page of an object (a version of it, when versionID is set).
func objectURL(bucket, key, versionID string) string {
	q := url.Values{"key": {key}}
	if versionID != "" {
		q.Set("versionId", versionID)
	}
	return Prefix + "/buckets/" + url.PathEscape(bucket) + "/object?" + q.Encode()
}

// objectService is the object store, or a 404 saying it does not run.
func (c *Console) objectService() (*objects.Service, error) {
	if c.deps.Objects == nil {
		return nil, notFound("This server does not run the object store.")
	}
	return c.deps.Objects, nil
}

// bucketRow is one bucket of the list.
type bucketRow struct {
	objects.Bucket
	URL string
}

// bucketList shows every bucket.
func (c *Console) bucketList(w http.ResponseWriter, r *http.Request) error {
	body := struct {
		Enabled bool
		Rows    []bucketRow
	}{Enabled: c.deps.Objects != nil}
	if c.deps.Objects != nil {
		bs, err := c.deps.Objects.ListBuckets(r.Context())
		if err != nil {
			return err
		}
		for _, b := range bs {
			body.Rows = append(body.Rows, bucketRow{Bucket: b, URL: bucketURL(b.Name, "")})
		}
	}
	return c.render(w, 0, "buckets", view{Title: "Buckets", Nav: "buckets", Crumbs: []crumb{{Text: "Buckets"}}, Body: body})
}

// entryRow is a folder or an object in a bucket listing.
type entryRow struct {
	Name      string // the part after the folder's prefix
	URL       string
	Folder    bool
	Size      string
	Modified  time.Time
	VersionID string
	Delete    bool // a delete marker, in the versions listing
	Latest    bool
}

// bucketView is a bucket's page: one folder's entries, or every version under it.
type bucketView struct {
	Bucket   objects.Bucket
	Prefix   string
	Crumbs   []crumb // the folders from the bucket down to Prefix
	Entries  []entryRow
	Versions bool // listing versions
	Next     string
	NextVer  string
	Paged    bool
	Query    string // prefix and versions, for the pager's links
	PlainURL string // the folder without versions
}

// bucketPage lists a folder of a bucket: sub-folders first, then objects, a page at a
// time; with versions=1, every version and delete marker under the folder.
func (c *Console) bucketPage(w http.ResponseWriter, r *http.Request) error {
	objs, err := c.objectService()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	b, err := objs.Bucket(r.Context(), r.PathValue("bucket"))
	if err != nil {
		return err
	}
	v := bucketView{Bucket: b, Prefix: q.Get("prefix"), Versions: q.Get("versions") == "1"}
	after, afterVer := q.Get("after"), q.Get("afterVersion")
	v.Paged = after != ""
	p := objects.ListParams{Bucket: b.Name, Prefix: v.Prefix, Delimiter: "/", After: after, AfterVersion: afterVer, MaxKeys: bucketPageSize}
	var res objects.ListResult
	if v.Versions {
		res, err = objs.ListObjectVersions(r.Context(), p)
	} else {
		res, err = objs.ListObjects(r.Context(), p)
	}
	if err != nil {
		return err
	}
	for _, cp := range res.CommonPrefixes {
		link := bucketURL(b.Name, cp)
		if v.Versions {
			link += "&versions=1"
		}
		v.Entries = append(v.Entries, entryRow{Name: strings.TrimPrefix(cp, v.Prefix), URL: link, Folder: true})
	}
	for _, o := range res.Objects {
		v.Entries = append(v.Entries, entryRow{Name: strings.TrimPrefix(o.Key, v.Prefix), URL: objectURL(b.Name, o.Key, versionParam(v.Versions, o)),
			Size: formatSize(o.Size), Modified: o.LastModified, VersionID: o.VersionID, Delete: o.DeleteMarker, Latest: o.IsLatest})
	}
	if res.IsTruncated {
		v.Next, v.NextVer = res.NextMarker, res.NextVersion
	}
	qs := url.Values{}
	if v.Prefix != "" {
		qs.Set("prefix", v.Prefix)
	}
	if v.Versions {
		qs.Set("versions", "1")
	}
	v.Query = qs.Encode()
	v.Crumbs = folderCrumbs(b.Name, v.Prefix)
	v.PlainURL = bucketURL(b.Name, v.Prefix)
	title := b.Name
	if v.Prefix != "" {
		title = b.Name + "/" + v.Prefix
	}
	crumbs := append([]crumb{{Text: "Buckets", Href: Prefix + "/buckets"}}, v.Crumbs...)
	return c.render(w, 0, "bucket", view{Title: title, Nav: "buckets", Crumbs: crumbs, Body: v})
}

// versionParam is the version an object link names: in a versions listing each row
// is one version; in the plain listing the link shows the current one.
func versionParam(versions bool, o objects.Object) string {
	if versions {
		return o.VersionID
	}
	return ""
}

// folderCrumbs are the bucket and each folder down to prefix, the last without a link.
func folderCrumbs(bucket, prefix string) []crumb {
	out := []crumb{{Text: bucket, Href: bucketURL(bucket, "")}}
	at := ""
	for part := range strings.SplitSeq(strings.TrimSuffix(prefix, "/"), "/") {
		if part == "" {
			continue
		}
		at += part + "/"
		out = append(out, crumb{Text: part, Href: bucketURL(bucket, at)})
	}
	out[len(out)-1].Href = ""
	return out
}

// objectView is an object's details.
type objectView struct {
	Object   objects.Object
	Size     string
	Metadata []configEntry
	Download string
	Versions []entryRow // the key's versions, newest first, for versioned buckets
	Zip      []zipEntry // the files of a zip (an artifact), when the object is one
	ZipMore  bool       // more files than Zip lists
}

// zipEntry is one file inside a zip object.
type zipEntry struct {
	Name string
	Size string
}

// Artifacts are zips; the object page lists what is inside one up to these bounds, so
// a person can check an artifact without downloading it.
const (
	maxZipListBytes = 8 << 20
	maxZipEntries   = 500
)

// objectPage shows one object's (or one version's) details with a download link and,
// in a versioned bucket, the key's versions.
func (c *Console) objectPage(w http.ResponseWriter, r *http.Request) error {
	objs, err := c.objectService()
	if err != nil {
		return err
	}
	bucket, key, ver := r.PathValue("bucket"), r.URL.Query().Get("key"), r.URL.Query().Get("versionId")
	if key == "" {
		return notFound("Name an object with ?key=.")
	}
	o, err := objs.GetObject(r.Context(), bucket, key, ver)
	if err != nil {
		return err
	}
	b, err := objs.Bucket(r.Context(), bucket)
	if err != nil {
		return err
	}
	v := objectView{Object: o, Size: formatSize(o.Size)}
	q := url.Values{"key": {key}}
	if ver != "" {
		q.Set("versionId", ver)
	}
	v.Download = Prefix + "/buckets/" + url.PathEscape(bucket) + "/download?" + q.Encode()
	for _, k := range slices.Sorted(maps.Keys(o.Metadata)) {
		v.Metadata = append(v.Metadata, configEntry{k, o.Metadata[k]})
	}
	if b.Versioning != "" {
		res, err := objs.ListObjectVersions(r.Context(), objects.ListParams{Bucket: bucket, Prefix: key, MaxKeys: bucketPageSize})
		if err != nil {
			return err
		}
		for _, ov := range res.Objects {
			if ov.Key != key {
				continue
			}
			v.Versions = append(v.Versions, entryRow{Name: ov.Key, URL: objectURL(bucket, key, ov.VersionID), Size: formatSize(ov.Size),
				Modified: ov.LastModified, VersionID: ov.VersionID, Delete: ov.DeleteMarker, Latest: ov.IsLatest})
		}
	}
	v.Zip, v.ZipMore = c.zipEntries(r, objs, o)
	dir := ""
	if i := strings.LastIndexByte(key, '/'); i >= 0 {
		dir = key[:i+1]
	}
	fc := folderCrumbs(bucket, dir)
	fc[len(fc)-1].Href = bucketURL(bucket, dir)
	crumbs := append([]crumb{{Text: "Buckets", Href: Prefix + "/buckets"}}, fc...)
	crumbs = append(crumbs, crumb{Text: strings.TrimPrefix(key, dir)})
	return c.render(w, 0, "object", view{Title: key, Nav: "buckets", Crumbs: crumbs, Body: v})
}

// zipEntries lists the files of an object that is a zip (by its first bytes, since
// artifact keys have no extension); nil for anything else, a large object, or a zip
// that cannot be read.
func (c *Console) zipEntries(r *http.Request, objs *objects.Service, o objects.Object) ([]zipEntry, bool) {
	if o.DeleteMarker || o.Size < 4 || o.Size > maxZipListBytes {
		return nil, false
	}
	body, err := objs.Open(r.Context(), o, 0, -1)
	if err != nil {
		return nil, false
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, maxZipListBytes))
	if err != nil || !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, false
	}
	var out []zipEntry
	for _, f := range zr.File {
		if len(out) == maxZipEntries {
			return out, true
		}
		out = append(out, zipEntry{Name: f.Name, Size: formatSize(int64(f.UncompressedSize64))})
	}
	return out, false
}

// objectDownload sends an object's bytes as an attachment, never rendered inline: the
// console's origin must not serve stored HTML or scripts as pages.
func (c *Console) objectDownload(w http.ResponseWriter, r *http.Request) error {
	objs, err := c.objectService()
	if err != nil {
		return err
	}
	bucket, key, ver := r.PathValue("bucket"), r.URL.Query().Get("key"), r.URL.Query().Get("versionId")
	if key == "" {
		return notFound("Name an object with ?key=.")
	}
	o, err := objs.GetObject(r.Context(), bucket, key, ver)
	if err != nil {
		return err
	}
	body, err := objs.Open(r.Context(), o, 0, -1)
	if err != nil {
		return err
	}
	defer body.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(key)}))
	w.Header().Set("Content-Length", strconv.FormatInt(o.Size, 10))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.Copy(w, body)
	return nil
}

// formatSize shows a byte count for reading.
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	f, suffix := float64(n), "B"
	for _, s := range []string{"KB", "MB", "GB", "TB"} {
		if f < unit {
			break
		}
		f, suffix = f/unit, s
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " " + suffix
}
