package s3api

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"

	"stepline"
	"stepline/objects"
)

type deleteRequest struct {
	XMLName xml.Name `xml:"Delete"`
	Quiet   bool     `xml:"Quiet"`
	Objects []struct {
		Key       string `xml:"Key"`
		VersionID string `xml:"VersionId"`
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name        `xml:"DeleteResult"`
	Xmlns   string          `xml:"xmlns,attr"`
	Deleted []deletedEntry  `xml:"Deleted"`
	Errors  []deleteErrItem `xml:"Error"`
}

type deletedEntry struct {
	Key                   string `xml:"Key"`
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:"DeleteMarker,omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type deleteErrItem struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

// maxDeleteObjects is how many keys one DeleteObjects may name.
const maxDeleteObjects = 1000

// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
func (h *Handler) deleteObjects(w http.ResponseWriter, r *request) error {
	if _, err := h.objects.Bucket(r.Context(), r.bucket); err != nil {
		return err
	}
	p, err := readPayload(r, false)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(p.body, maxXMLBody+1))
	if err != nil {
		return p.fail(err)
	}
	// S3 requires Content-MD5 or a checksum here, and checks it before deleting.
	if err := p.verify(objects.DigestBytes(body, p.wantSHA256, p.alg)); err != nil {
		return err
	}
	var req deleteRequest
	if err := readXML(bytes.NewReader(body), &req); err != nil {
		return err
	}
	if len(req.Objects) == 0 || len(req.Objects) > maxDeleteObjects {
		return errMalformedXML()
	}
	res := deleteResult{Xmlns: xmlns}
	for _, o := range req.Objects {
		err := objects.ValidateKey(o.Key)
		var d objects.DeleteResult
		if err == nil {
			d, err = h.objects.DeleteObject(r.Context(), r.bucket, o.Key, o.VersionID)
		}
		if err != nil {
			var se *stepline.Error
			if !errors.As(err, &se) {
				return err
			}
			res.Errors = append(res.Errors, deleteErrItem{Key: o.Key, VersionID: o.VersionID, Code: se.Code, Message: se.Message})
			continue
		}
		if req.Quiet {
			continue
		}
		e := deletedEntry{Key: o.Key, VersionID: o.VersionID}
		if d.DeleteMarker {
			e.DeleteMarker = true
			if o.VersionID == "" {
				e.DeleteMarkerVersionID = d.VersionID
			} else {
				e.DeleteMarkerVersionID = o.VersionID
			}
		}
		res.Deleted = append(res.Deleted, e)
	}
	return writeXML(w, res)
}
