package pipeline

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"net/netip"
	"regexp"
	"strings"

	"stepline/asl/jsonpath"
	"stepline/jsonvalue"
)

// Webhook authentication types
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_WebhookDefinition.html).
const (
	WebhookGitHubHMAC      = "GITHUB_HMAC"
	WebhookIP              = "IP"
	WebhookUnauthenticated = "UNAUTHENTICATED"
)

// placeholder is a {ConfigurationKey} reference in a filter's matchEquals.
var placeholder = regexp.MustCompile(`\{([^{}]+)\}`)

// filterValue is matchEquals with each {Key} replaced by the target action's
// configuration value: "refs/heads/{Branch}" with Branch=main is "refs/heads/main".
// A key the action does not have stays as written.
func filterValue(matchEquals string, cfg map[string]string) string {
	return placeholder.ReplaceAllStringFunc(matchEquals, func(ref string) string {
		if v, ok := cfg[ref[1:len(ref)-1]]; ok {
			return v
		}
		return ref
	})
}

// missingPlaceholder returns the first {Key} of matchEquals that cfg lacks, or "".
func missingPlaceholder(matchEquals string, cfg map[string]string) string {
	for _, m := range placeholder.FindAllStringSubmatch(matchEquals, -1) {
		if _, ok := cfg[m[1]]; !ok {
			return m[1]
		}
	}
	return ""
}

// filtersMatch reports whether every filter selects, from the JSON body, a value
// equal to its resolved matchEquals (any one of the values, for a path selecting
// several). A filter without matchEquals only needs its path to select something.
// Strings compare by their text, other values by their JSON text.
func filtersMatch(filters []WebhookFilter, cfg map[string]string, body any) bool {
	for _, f := range filters {
		p, err := jsonpath.Compile(f.JSONPath)
		if err != nil {
			return false
		}
		got, err := p.Get(body)
		if err != nil {
			return false
		}
		values := []any{got}
		if !p.IsDefinite() {
			values, _ = got.([]any)
		}
		if len(values) == 0 {
			return false
		}
		if f.MatchEquals == "" {
			continue
		}
		want := filterValue(f.MatchEquals, cfg)
		matched := false
		for _, v := range values {
			text, ok := v.(string)
			if !ok {
				text = jsonvalue.MarshalString(v)
			}
			matched = matched || text == want
		}
		if !matched {
			return false
		}
	}
	return true
}

// validGitHubSignature checks GitHub's HMAC signature of body with secret: the
// X-Hub-Signature-256 header ("sha256=<hex>") when sent, else X-Hub-Signature
// ("sha1=<hex>")
// (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
func validGitHubSignature(secret string, body []byte, sig256, sig1 string) bool {
	check := func(header, prefix string, h func() hash.Hash) bool {
		got, ok := strings.CutPrefix(header, prefix)
		if !ok {
			return false
		}
		want := hmac.New(h, []byte(secret))
		want.Write(body)
		raw, err := hex.DecodeString(got)
		return err == nil && hmac.Equal(raw, want.Sum(nil))
	}
	if sig256 != "" {
		return check(sig256, "sha256=", sha256.New)
	}
	return sig1 != "" && check(sig1, "sha1=", sha1.New)
}

// ipAllowed reports whether remote (an address, with or without a port) lies in the
// CIDR range.
func ipAllowed(cidr, remote string) bool {
	prefix, err := netip.ParsePrefix(cidr)
	if err != nil {
		return false
	}
	if ap, err := netip.ParseAddrPort(remote); err == nil {
		return prefix.Contains(ap.Addr().Unmap())
	}
	addr, err := netip.ParseAddr(remote)
	return err == nil && prefix.Contains(addr.Unmap())
}
