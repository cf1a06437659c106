package s3api

import (
	"cmp"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"

	"stepline/objects"
)

type initiateResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	Xmlns    string   `xml:"xmlns,attr"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
func (h *Handler) createMultipartUpload(w http.ResponseWriter, r *request) error {
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
	typ := strings.ToUpper(r.Header.Get("x-amz-checksum-type"))
	if typ != "" && typ != objects.ChecksumTypeComposite && typ != objects.ChecksumTypeFullObject {
		return errInvalidRequest("Value for x-amz-checksum-type header is invalid.")
	}
	if typ != "" && alg == "" {
		return errInvalidRequest("The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.")
	}
	u, err := h.objects.CreateMultipartUpload(r.Context(), objects.Upload{Bucket: r.bucket, Key: r.key, Headers: contentHeaders(r.Header),
		Metadata: md, ChecksumAlgorithm: alg, ChecksumType: typ, Owner: r.id.Account})
	if err != nil {
		return err
	}
	if u.ChecksumAlgorithm != "" {
		w.Header().Set("x-amz-checksum-algorithm", u.ChecksumAlgorithm)
		w.Header().Set("x-amz-checksum-type", u.ChecksumType)
	}
	return writeXML(w, initiateResult{Xmlns: xmlns, Bucket: r.bucket, Key: r.key, UploadID: u.ID})
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html
func (h *Handler) uploadPart(w http.ResponseWriter, r *request) error {
	n, err := partNumber(r)
	if err != nil {
		return err
	}
	u, err := h.objects.Upload(r.Context(), r.bucket, r.key, r.query.Get("uploadId"))
	if err != nil {
		return err
	}
	p, err := readPayload(r, true)
	if err != nil {
		return err
	}
	if p.alg != "" && u.ChecksumAlgorithm != "" && p.alg != u.ChecksumAlgorithm {
		return errInvalidRequest("Checksum Type mismatch occurred, expected checksum Type: " + strings.ToLower(u.ChecksumAlgorithm) +
			", actual checksum Type: " + strings.ToLower(p.alg))
	}
	part, err := h.objects.PutPart(r.Context(), objects.PartParams{Bucket: r.bucket, Key: r.key, UploadID: u.ID, Number: n,
		Body: p.body, Size: p.size, WantSHA256: p.wantSHA256, Verify: p.verify, ChecksumAlgorithm: p.alg})
	if err != nil {
		return p.fail(err)
	}
	w.Header().Set("ETag", quote(part.ETag))
	if alg := cmp.Or(u.ChecksumAlgorithm, p.alg); part.Checksum != "" {
		w.Header().Set("x-amz-checksum-"+strings.ToLower(alg), part.Checksum)
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

type completeRequest struct {
	XMLName xml.Name `xml:"CompleteMultipartUpload"`
	Parts   []struct {
		PartNumber        int    `xml:"PartNumber"`
		ETag              string `xml:"ETag"`
		ChecksumCRC32     string `xml:"ChecksumCRC32"`
		ChecksumCRC32C    string `xml:"ChecksumCRC32C"`
		ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME"`
		ChecksumSHA1      string `xml:"ChecksumSHA1"`
		ChecksumSHA256    string `xml:"ChecksumSHA256"`
	} `xml:"Part"`
}

type completeResult struct {
	XMLName           xml.Name `xml:"CompleteMultipartUploadResult"`
	Xmlns             string   `xml:"xmlns,attr"`
	Location          string   `xml:"Location"`
	Bucket            string   `xml:"Bucket"`
	Key               string   `xml:"Key"`
	ETag              string   `xml:"ETag"`
	ChecksumCRC32     string   `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string   `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string   `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string   `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string   `xml:"ChecksumSHA256,omitempty"`
	ChecksumType      string   `xml:"ChecksumType,omitempty"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
func (h *Handler) completeMultipartUpload(w http.ResponseWriter, r *request) error {
	id := r.query.Get("uploadId")
	if _, err := h.objects.Upload(r.Context(), r.bucket, r.key, id); err != nil {
		return err
	}
	var req completeRequest
	if err := readXML(r.Body, &req); err != nil {
		return err
	}
	var parts []objects.CompletePart
	for _, p := range req.Parts {
		sum := p.ChecksumCRC32 + p.ChecksumCRC32C + p.ChecksumCRC64NVME + p.ChecksumSHA1 + p.ChecksumSHA256
		parts = append(parts, objects.CompletePart{Number: p.PartNumber, ETag: p.ETag, Checksum: sum})
	}
	full := ""
	for _, a := range objects.ChecksumAlgorithms() {
		if v := r.Header.Get("x-amz-checksum-" + strings.ToLower(a)); v != "" {
			full = v
		}
	}
	o, err := h.objects.CompleteMultipartUpload(r.Context(), r.bucket, r.key, id, parts, full)
	if err != nil {
		return err
	}
	setVersionHeader(w.Header(), o.VersionID)
	c := checksumsOf(o.ChecksumAlgorithm, o.Checksum)
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return writeXML(w, completeResult{Xmlns: xmlns, Location: scheme + "://" + r.Host + "/" + r.bucket + "/" + urlEncode(r.key),
		Bucket: r.bucket, Key: r.key, ETag: quote(o.ETag), ChecksumCRC32: c.CRC32, ChecksumCRC32C: c.CRC32C,
		ChecksumCRC64NVME: c.CRC64NVME, ChecksumSHA1: c.SHA1, ChecksumSHA256: c.SHA256, ChecksumType: o.ChecksumType})
}

func (h *Handler) abortMultipartUpload(w http.ResponseWriter, r *request) error {
	if err := h.objects.AbortMultipartUpload(r.Context(), r.bucket, r.key, r.query.Get("uploadId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type listPartsResult struct {
	XMLName              xml.Name    `xml:"ListPartsResult"`
	Xmlns                string      `xml:"xmlns,attr"`
	Bucket               string      `xml:"Bucket"`
	Key                  string      `xml:"Key"`
	UploadID             string      `xml:"UploadId"`
	PartNumberMarker     int         `xml:"PartNumberMarker"`
	NextPartNumberMarker int         `xml:"NextPartNumberMarker"`
	MaxParts             int         `xml:"MaxParts"`
	IsTruncated          bool        `xml:"IsTruncated"`
	Parts                []partEntry `xml:"Part"`
	Initiator            *owner      `xml:"Initiator"`
	Owner                *owner      `xml:"Owner"`
	StorageClass         string      `xml:"StorageClass"`
	ChecksumAlgorithm    string      `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string      `xml:"ChecksumType,omitempty"`
}

type partEntry struct {
	PartNumber        int    `xml:"PartNumber"`
	LastModified      string `xml:"LastModified"`
	ETag              string `xml:"ETag"`
	Size              int64  `xml:"Size"`
	ChecksumCRC32     string `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string `xml:"ChecksumSHA256,omitempty"`
}

func intParam(r *request, name string, def, max int) (int, error) {
	v := r.query.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, errInvalidArgument("Provided "+name+" not an integer or within integer range", name, v)
	}
	return min(n, max), nil
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html
func (h *Handler) listParts(w http.ResponseWriter, r *request) error {
	maxParts, err := intParam(r, "max-parts", 1000, 1000)
	if err != nil {
		return err
	}
	marker, err := intParam(r, "part-number-marker", 0, objects.MaxPartNumber)
	if err != nil {
		return err
	}
	u, parts, more, err := h.objects.ListParts(r.Context(), r.bucket, r.key, r.query.Get("uploadId"), marker, max(maxParts, 1))
	if err != nil {
		return err
	}
	out := listPartsResult{Xmlns: xmlns, Bucket: r.bucket, Key: r.key, UploadID: u.ID, PartNumberMarker: marker, MaxParts: maxParts,
		IsTruncated: more, Initiator: r.owner(), Owner: r.owner(), StorageClass: "STANDARD",
		ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType}
	for _, p := range parts {
		c := checksumsOf(u.ChecksumAlgorithm, p.Checksum)
		out.Parts = append(out.Parts, partEntry{PartNumber: p.Number, LastModified: isoTime(p.LastModified), ETag: quote(p.ETag), Size: p.Size,
			ChecksumCRC32: c.CRC32, ChecksumCRC32C: c.CRC32C, ChecksumCRC64NVME: c.CRC64NVME, ChecksumSHA1: c.SHA1, ChecksumSHA256: c.SHA256})
		out.NextPartNumberMarker = p.Number
	}
	return writeXML(w, out)
}

type listUploadsResult struct {
	XMLName            xml.Name      `xml:"ListMultipartUploadsResult"`
	Xmlns              string        `xml:"xmlns,attr"`
	Bucket             string        `xml:"Bucket"`
	KeyMarker          string        `xml:"KeyMarker"`
	UploadIDMarker     string        `xml:"UploadIdMarker"`
	NextKeyMarker      string        `xml:"NextKeyMarker"`
	NextUploadIDMarker string        `xml:"NextUploadIdMarker"`
	Prefix             string        `xml:"Prefix,omitempty"`
	MaxUploads         int           `xml:"MaxUploads"`
	IsTruncated        bool          `xml:"IsTruncated"`
	Uploads            []uploadEntry `xml:"Upload"`
}

type uploadEntry struct {
	Key               string `xml:"Key"`
	UploadID          string `xml:"UploadId"`
	Initiator         *owner `xml:"Initiator"`
	Owner             *owner `xml:"Owner"`
	StorageClass      string `xml:"StorageClass"`
	Initiated         string `xml:"Initiated"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html
func (h *Handler) listMultipartUploads(w http.ResponseWriter, r *request) error {
	maxUploads, err := intParam(r, "max-uploads", 1000, 1000)
	if err != nil {
		return err
	}
	if r.query.Get("delimiter") != "" {
		return errNotImplemented("delimiter")
	}
	p := objects.ListUploadsParams{Bucket: r.bucket, Prefix: r.query.Get("prefix"), KeyMarker: r.query.Get("key-marker"),
		UploadIDMarker: r.query.Get("upload-id-marker"), MaxUploads: max(maxUploads, 1)}
	ups, more, err := h.objects.ListMultipartUploads(r.Context(), p)
	if err != nil {
		return err
	}
	out := listUploadsResult{Xmlns: xmlns, Bucket: r.bucket, KeyMarker: p.KeyMarker, UploadIDMarker: p.UploadIDMarker, Prefix: p.Prefix,
		MaxUploads: maxUploads, IsTruncated: more}
	for _, u := range ups {
		out.Uploads = append(out.Uploads, uploadEntry{Key: u.Key, UploadID: u.ID, Initiator: r.owner(), Owner: r.owner(), StorageClass: "STANDARD",
			Initiated: isoTime(u.Initiated), ChecksumAlgorithm: u.ChecksumAlgorithm, ChecksumType: u.ChecksumType})
		out.NextKeyMarker, out.NextUploadIDMarker = u.Key, u.ID
	}
	return writeXML(w, out)
}
