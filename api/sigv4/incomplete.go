package sigv4

import (
	"net/http"
	"strings"
)

// Problem describes, in AWS's words, why a request's signature cannot even be
// checked: Code is IncompleteSignatureException or InvalidSignatureException,
// Message what AWS says. It returns "", "" when the parts are all there. The
// wording was recorded against AWS by kinesalite
// (github.com/mhart/kinesalite, index.js and test/connection.js).
func Problem(r *http.Request) (code, message string) {
	header := r.Header.Get("Authorization")
	q := r.URL.Query()
	inQuery := q.Has("X-Amz-Algorithm")
	switch {
	case header != "" && inQuery:
		return "InvalidSignatureException", "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."
	case header != "":
		// AWS splits the header on commas and spaces and looks for the
		// three parameters by name, whatever the algorithm says.
		params := map[string]bool{}
		for _, f := range strings.FieldsFunc(header, func(r rune) bool { return r == ',' || r == ' ' }) {
			if k, v, ok := strings.Cut(f, "="); ok && v != "" {
				params[k] = true
			}
		}
		var b strings.Builder
		for _, p := range []string{"Credential", "Signature", "SignedHeaders"} {
			if !params[p] {
				b.WriteString("Authorization header requires '" + p + "' parameter. ")
			}
		}
		if r.Header.Get("X-Amz-Date") == "" && r.Header.Get("Date") == "" {
			b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		if b.Len() == 0 {
			return "", ""
		}
		return "IncompleteSignatureException", b.String() + "Authorization=" + header
	case inQuery:
		var b strings.Builder
		for _, p := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
			if q.Get(p) == "" {
				b.WriteString("AWS query-string parameters must include '" + p + "'. ")
			}
		}
		if b.Len() == 0 {
			return "", ""
		}
		return "IncompleteSignatureException", b.String() + "Re-examine the query-string parameters."
	}
	return "", ""
}
