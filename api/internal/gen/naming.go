package main

import (
	"regexp"
	"strings"
	"unicode"
)

// exportName upper-cases the first letter of a member name, so the Go field
// and the wire name stay recognisably the same (stateMachineArn →
// StateMachineArn).
func exportName(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// enumConstName builds the constant for one enum value: the shape name
// followed by the value in CamelCase (ExecutionStatus, "PENDING_REDRIVE" →
// ExecutionStatusPendingRedrive).
func enumConstName(shapeName, value string) string {
	parts := strings.FieldsFunc(value, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
	var b strings.Builder
	b.WriteString(shapeName)
	for _, p := range parts {
		if p == strings.ToUpper(p) || p == strings.ToLower(p) {
			p = strings.ToLower(p)
		}
		b.WriteString(exportName(p))
	}
	if len(parts) == 0 {
		b.WriteString("Empty")
	}
	return b.String()
}

// firstSentence extracts a short description from a model documentation
// string (HTML) for the generated doc comment.
func firstSentence(doc string) string {
	htmlTag := regexp.MustCompile(`<[^>]*>`)
	whitespace := regexp.MustCompile(`\s+`)
	s := htmlTag.ReplaceAllString(doc, " ")
	s = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`, "&#39;", "'").Replace(s)
	s = strings.TrimSpace(whitespace.ReplaceAllString(s, " "))
	if i := strings.Index(s, ". "); i >= 0 {
		s = s[:i+1]
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
