package s3api

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"stepline"
)

// xmlns is S3's namespace, which the SDKs expect on result documents.
const xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"

// maxXMLBody bounds request documents (DeleteObjects with 1,000 long keys fits).
const maxXMLBody = 4 << 20

// writeXML answers 200 with v as an XML document.
func writeXML(w http.ResponseWriter, v any) error {
	out, err := xml.Marshal(v)
	if err != nil {
		return fmt.Errorf("s3: encode response: %w", err)
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", fmt.Sprint(len(xml.Header)+len(out)))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(out)
	return nil
}

// readXML decodes a request document into v; anything malformed is MalformedXML.
func readXML(r io.Reader, v any) error {
	body, err := io.ReadAll(io.LimitReader(r, maxXMLBody+1))
	if err != nil {
		return fmt.Errorf("s3: read body: %w", err)
	}
	if len(body) > maxXMLBody {
		return errMalformedXML()
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return errMalformedXML()
	}
	return nil
}

// isoTime is S3's timestamp format in XML.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// httpTime is the format of Last-Modified and other date headers.
func httpTime(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

func quote(etag string) string { return `"` + etag + `"` }

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

// urlEncode encodes a key for encoding-type=url the way S3 does: as a query
// component, with "/" kept.
func urlEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/")
}

// owner is the Owner element of listings.
type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName,omitempty"`
}

func (r *request) owner() *owner { return &owner{ID: ownerID(r.id)} }

// ownerID is the canonical user id S3 reports for an account: 64 hex digits.
func ownerID(id stepline.Identity) string {
	return fmt.Sprintf("%064s", id.Account)
}
