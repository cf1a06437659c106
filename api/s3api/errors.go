package s3api

import (
	"encoding/xml"
	"errors"
	"net/http"
	"sort"
	"strings"

	"stepline"
)

// Protocol-level error codes; objects has the domain ones. Messages are AWS's:
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
const (
	codeMalformedXML         = "MalformedXML"
	codeNotImplemented       = "NotImplemented"
	codeInvalidRange         = "InvalidRange"
	codePreconditionFailed   = "PreconditionFailed"
	codeMissingContentLength = "MissingContentLength"
	codeSHA256Mismatch       = "XAmzContentSHA256Mismatch"
	codeAccessDenied         = "AccessDenied"
	codeMetadataTooLarge     = "MetadataTooLarge"
)

func errMalformedXML() *stepline.Error {
	return &stepline.Error{Code: codeMalformedXML, Status: http.StatusBadRequest,
		Message: "The XML you provided was not well-formed or did not validate against our published schema"}
}

func errNotImplemented(what string) *stepline.Error {
	return &stepline.Error{Code: codeNotImplemented, Status: http.StatusNotImplemented,
		Message: "A header you provided implies functionality that is not implemented", Fields: map[string]any{"Header": what}}
}

func errInvalidArgument(msg, name, value string) *stepline.Error {
	return &stepline.Error{Code: "InvalidArgument", Status: http.StatusBadRequest, Message: msg,
		Fields: map[string]any{"ArgumentName": name, "ArgumentValue": value}}
}

func errInvalidRequest(msg string) *stepline.Error {
	return &stepline.Error{Code: "InvalidRequest", Status: http.StatusBadRequest, Message: msg}
}

func errPrecondition(cond string) *stepline.Error {
	return &stepline.Error{Code: codePreconditionFailed, Status: http.StatusPreconditionFailed,
		Message: "At least one of the pre-conditions you specified did not hold", Fields: map[string]any{"Condition": cond}}
}

// errNotModified is a 304: not an error to the client, but it ends the request.
var errNotModified = &stepline.Error{Code: "NotModified", Status: http.StatusNotModified, Message: "Not Modified"}

// writeError answers err in S3's XML error shape. Fields whose name starts with
// "x-amz-" (and Allow) are headers, as AWS sends them; the others are XML elements.
// HEAD responses carry no body.
func (h *Handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var se *stepline.Error
	if !errors.As(err, &se) {
		h.log.Error("s3: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		se = &stepline.Error{Code: "InternalError", Status: http.StatusInternalServerError,
			Message: "We encountered an internal error. Please try again."}
	}
	status := se.Status
	if status == 0 {
		status = http.StatusBadRequest
	}
	names := make([]string, 0, len(se.Fields))
	for k := range se.Fields {
		names = append(names, k)
	}
	sort.Strings(names)
	var extra strings.Builder
	for _, k := range names {
		v := toString(se.Fields[k])
		if strings.HasPrefix(k, "x-amz-") || k == "Allow" {
			w.Header().Set(k, v)
			continue
		}
		extra.WriteString("<" + k + ">")
		_ = xml.EscapeText(&extra, []byte(v))
		extra.WriteString("</" + k + ">")
	}
	if status == http.StatusNotModified || r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString("<Error><Code>" + se.Code + "</Code><Message>")
	_ = xml.EscapeText(&b, []byte(se.Message))
	b.WriteString("</Message>")
	b.WriteString(extra.String())
	b.WriteString("<RequestId>" + w.Header().Get("x-amz-request-id") + "</RequestId><HostId>" + w.Header().Get("x-amz-id-2") + "</HostId></Error>")
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(b.String()))
}
