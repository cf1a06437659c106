package s3api

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"strings"

	"stepline"
	"stepline/objects"
)

type listAllMyBucketsResult struct {
	XMLName xml.Name      `xml:"ListAllMyBucketsResult"`
	Xmlns   string        `xml:"xmlns,attr"`
	Owner   *owner        `xml:"Owner"`
	Buckets []bucketEntry `xml:"Buckets>Bucket"`
	// ContinuationToken is set when max-buckets cut the list short.
	ContinuationToken string `xml:"ContinuationToken,omitempty"`
	Prefix            string `xml:"Prefix,omitempty"`
}

type bucketEntry struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion,omitempty"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
func (h *Handler) listBuckets(w http.ResponseWriter, r *request) error {
	bs, err := h.objects.ListBuckets(r.Context())
	if err != nil {
		return err
	}
	max, err := intParam(r, "max-buckets", 10000, 10000)
	if err != nil || max == 0 {
		return errInvalidArgument("Invalid max-buckets value", "max-buckets", r.query.Get("max-buckets"))
	}
	after := ""
	if tok := r.query.Get("continuation-token"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			return errInvalidArgument("The continuation token provided is incorrect", "continuation-token", tok)
		}
		after = string(raw)
	}
	prefix, region := r.query.Get("prefix"), r.query.Get("bucket-region")
	res := listAllMyBucketsResult{Xmlns: xmlns, Owner: r.owner(), Buckets: []bucketEntry{}, Prefix: prefix}
	for _, b := range bs {
		if b.Name <= after || !strings.HasPrefix(b.Name, prefix) || region != "" && b.Region != region {
			continue
		}
		if len(res.Buckets) == max {
			res.ContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(res.Buckets[max-1].Name))
			break
		}
		res.Buckets = append(res.Buckets, bucketEntry{Name: b.Name, CreationDate: isoTime(b.Created), BucketRegion: b.Region})
	}
	return writeXML(w, res)
}

type createBucketConfiguration struct {
	XMLName            xml.Name `xml:"CreateBucketConfiguration"`
	LocationConstraint string   `xml:"LocationConstraint"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
func (h *Handler) createBucket(w http.ResponseWriter, r *request) error {
	if !objects.ValidBucketName(r.bucket) {
		return &stepline.Error{Code: objects.CodeInvalidBucketName, Status: http.StatusBadRequest,
			Message: "The specified bucket is not valid.", Fields: map[string]any{"BucketName": r.bucket}}
	}
	var cfg createBucketConfiguration
	if r.ContentLength != 0 {
		if err := readXML(r.Body, &cfg); err != nil && r.ContentLength > 0 {
			return err
		}
	}
	region := cfg.LocationConstraint
	switch {
	case region == "" && r.id.Region != "us-east-1":
		return &stepline.Error{Code: "IllegalLocationConstraintException", Status: http.StatusBadRequest,
			Message: "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."}
	case region != "" && region != r.id.Region:
		return &stepline.Error{Code: "IllegalLocationConstraintException", Status: http.StatusBadRequest,
			Message: "The " + region + " location constraint is incompatible for the region specific endpoint this request was sent to."}
	case region == "us-east-1":
		// AWS refuses us-east-1 as an explicit constraint.
		return &stepline.Error{Code: "InvalidLocationConstraint", Status: http.StatusBadRequest,
			Message: "The specified location-constraint is not valid", Fields: map[string]any{"LocationConstraint": region}}
	case region == "":
		region = "us-east-1"
	}
	if _, err := h.objects.CreateBucket(r.Context(), r.bucket, region, r.id.Account); err != nil {
		return err
	}
	w.Header().Set("Location", "/"+r.bucket)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) headBucket(w http.ResponseWriter, r *request) error {
	b, err := h.objects.Bucket(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	w.Header().Set("x-amz-bucket-region", b.Region)
	w.WriteHeader(http.StatusOK)
	return nil
}

func (h *Handler) deleteBucket(w http.ResponseWriter, r *request) error {
	if err := h.objects.DeleteBucket(r.Context(), r.bucket); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	Xmlns   string   `xml:"xmlns,attr"`
	Value   string   `xml:",chardata"`
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketLocation.html: buckets
// in us-east-1 have a null location.
func (h *Handler) getBucketLocation(w http.ResponseWriter, r *request) error {
	b, err := h.objects.Bucket(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	loc := b.Region
	if loc == "us-east-1" {
		loc = ""
	}
	return writeXML(w, locationConstraint{Xmlns: xmlns, Value: loc})
}

type versioningConfiguration struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	Xmlns     string   `xml:"xmlns,attr,omitempty"`
	Status    string   `xml:"Status,omitempty"`
	MfaDelete string   `xml:"MfaDelete,omitempty"`
}

func (h *Handler) getBucketVersioning(w http.ResponseWriter, r *request) error {
	b, err := h.objects.Bucket(r.Context(), r.bucket)
	if err != nil {
		return err
	}
	return writeXML(w, versioningConfiguration{Xmlns: xmlns, Status: b.Versioning})
}

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketVersioning.html
func (h *Handler) putBucketVersioning(w http.ResponseWriter, r *request) error {
	if _, err := h.objects.Bucket(r.Context(), r.bucket); err != nil {
		return err
	}
	var cfg versioningConfiguration
	if err := readXML(r.Body, &cfg); err != nil {
		return err
	}
	if cfg.MfaDelete == "Enabled" {
		return errNotImplemented("MfaDelete")
	}
	if cfg.Status != objects.VersioningEnabled && cfg.Status != objects.VersioningSuspended {
		return errMalformedXML()
	}
	if err := h.objects.SetVersioning(r.Context(), r.bucket, cfg.Status); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
