package pipeline

import (
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/jsonvalue"
)

func TestWebhookFilters(t *testing.T) {
	t.Parallel()
	cfg := map[string]string{"Branch": "main", "Repo": "app"}
	body := jsonvalue.MustParse(`{"ref":"refs/heads/main","repository":{"name":"app","private":false,"size":12},
		"commits":[{"id":"a1"},{"id":"b2"}]}`)
	for _, tc := range []struct {
		name    string
		filters []WebhookFilter
		want    bool
	}{
		{"Placeholder", []WebhookFilter{{"$.ref", "refs/heads/{Branch}"}}, true},
		{"OtherBranch", []WebhookFilter{{"$.ref", "refs/heads/dev"}}, false},
		{"AllMustMatch", []WebhookFilter{{"$.ref", "refs/heads/{Branch}"}, {"$.repository.name", "other"}}, false},
		{"TwoPlaceholders", []WebhookFilter{{"$.repository.name", "{Repo}"}, {"$.ref", "refs/heads/{Branch}"}}, true},
		{"UnknownPlaceholderStays", []WebhookFilter{{"$.ref", "refs/heads/{Nope}"}}, false},
		{"Boolean", []WebhookFilter{{"$.repository.private", "false"}}, true},
		{"Number", []WebhookFilter{{"$.repository.size", "12"}}, true},
		{"AnyOfIndefinite", []WebhookFilter{{"$.commits[*].id", "b2"}}, true},
		{"NoneOfIndefinite", []WebhookFilter{{"$.commits[*].id", "c3"}}, false},
		{"ExistsOnly", []WebhookFilter{{"$.repository", ""}}, true},
		{"Missing", []WebhookFilter{{"$.pusher", ""}}, false},
		{"EmptyIndefinite", []WebhookFilter{{"$.tags[*]", ""}}, false},
		{"NoFilters", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, filtersMatch(tc.filters, cfg, body))
		})
	}
}

func TestGitHubSignature(t *testing.T) {
	t.Parallel()
	body := []byte(`{"ref":"refs/heads/main"}`)
	// GitHub's documented example secret and payload
	// (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
	require.True(t, validGitHubSignature("It's a Secret to Everybody", []byte("Hello, World!"),
		"sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17", ""))
	require.False(t, validGitHubSignature("s", body, "", ""))
	require.False(t, validGitHubSignature("s", body, "sha1=00", ""))
	require.False(t, validGitHubSignature("s", body, "", "sha256=00"))
	require.False(t, validGitHubSignature("s", body, "sha256=not-hex", ""))
}

func TestIPAllowed(t *testing.T) {
	t.Parallel()
	require.True(t, ipAllowed("127.0.0.0/8", "127.0.0.1:5555"))
	require.True(t, ipAllowed("10.0.0.0/8", "10.1.2.3"))
	require.True(t, ipAllowed("::1/128", "[::1]:80"))
	require.False(t, ipAllowed("10.0.0.0/8", "192.168.0.1:80"))
	require.False(t, ipAllowed("garbage", "10.0.0.1:80"))
	require.False(t, ipAllowed("10.0.0.0/8", "garbage"))
}

// FuzzWebhookFilters feeds arbitrary paths, expected values and payloads (what a
// webhook's caller controls) through the filter evaluation and the auth checks: none
// may panic.
func FuzzWebhookFilters(f *testing.F) {
	f.Add("$.ref", "refs/heads/{Branch}", `{"ref":"refs/heads/main"}`, "sha256=00", "10.0.0.0/8", "1.2.3.4:5")
	f.Add("$..id", "{", `{"a":[{"id":1},{"id":"x"}]}`, "sha1=zz", "::/0", "[::1]:80")
	f.Add("$.a[?(@.b > 1)]", "}{Branch}{", `[1,2,{"b":3}]`, "", "", "")
	f.Add("$['x'][0:2]", "", `{"x":[null,true,1e400]}`, "sha256=", "1.2.3.4/33", "x")
	f.Fuzz(func(t *testing.T, path, match, body, sig, cidr, remote string) {
		cfg := map[string]string{"Branch": "main"}
		filters := []WebhookFilter{{JSONPath: path, MatchEquals: match}}
		_ = checkWebhookFilters(Webhook{Filters: filters}, cfg)
		if v, err := jsonvalue.ParseString(body); err == nil {
			_ = filtersMatch(filters, cfg, v)
		}
		_ = validGitHubSignature("secret", []byte(body), sig, sig)
		_ = ipAllowed(cidr, remote)
		_ = checkWebhookAuth(Webhook{Authentication: WebhookIP, AllowedIPRange: cidr})
	})
}
