package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/awsjson"
)

func TestAWSEnumOrder(t *testing.T) {
	t.Parallel()
	// Model order, then the order in AWS's message.
	for _, tc := range []struct{ model, aws []string }{
		{ // Step Functions ListExecutions statusFilter, recorded against AWS
			[]string{"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"},
			[]string{"SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING"},
		},
		{ // DynamoDB ReturnConsumedCapacity
			[]string{"INDEXES", "TOTAL", "NONE"},
			[]string{"INDEXES", "TOTAL", "NONE"},
		},
		{ // Cognito UserPoolMfaType
			[]string{"OFF", "ON", "OPTIONAL"},
			[]string{"OPTIONAL", "OFF", "ON"},
		},
		{ // Cognito IdentityProviderTypeType: OIDC and Google share a bucket
			[]string{"SAML", "Facebook", "Google", "LoginWithAmazon", "SignInWithApple", "OIDC"},
			[]string{"Facebook", "SAML", "SignInWithApple", "LoginWithAmazon", "OIDC", "Google"},
		},
		{ // Lambda LogType
			[]string{"None", "Tail"},
			[]string{"Tail", "None"},
		},
		{ // CloudWatch Statistic
			[]string{"SampleCount", "Average", "Sum", "Minimum", "Maximum"},
			[]string{"Maximum", "SampleCount", "Sum", "Minimum", "Average"},
		},
	} {
		require.Equal(t, tc.aws, awsEnumOrder(tc.model))
	}
}

func TestJavaStringHash(t *testing.T) {
	t.Parallel()
	// Values of "…".hashCode() in Java.
	require.Equal(t, uint32(0), awsjson.JavaStringHash(""))
	require.Equal(t, uint32(99162322), awsjson.JavaStringHash("hello"))
	require.Equal(t, uint32(2268766623), awsjson.JavaStringHash("RUNNING"))
}

func TestEnumConstName(t *testing.T) {
	t.Parallel()
	require.Equal(t, "ExecutionStatusPendingRedrive", enumConstName("ExecutionStatus", "PENDING_REDRIVE"))
	require.Equal(t, "ActionOwnerThirdParty", enumConstName("ActionOwner", "ThirdParty"))
	require.Equal(t, "ActionOwnerAws", enumConstName("ActionOwner", "AWS"))
	require.Equal(t, "XV1", enumConstName("X", "v1"))
}

func TestTranslatePattern(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		java     string
		match    []string
		mismatch []string
	}{
		{`^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`, []string{"live", "v1", "a.b", "_"}, []string{"123", "", "a b", "lïve"}},
		{`\p{ASCII}*`, []string{"", "Root=1-5759e988", "\x7f"}, []string{"é"}},
		{`.*`, []string{"", "any thing"}, []string{"line\nbreak", "cr\r"}},
		{`[!-~]+`, []string{"token-1"}, []string{"", "a b"}},
		{`arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*`, []string{"arn:aws:iam::123456789012:role/x", "arn:aws-cn:iam::123456789012:role/"}, []string{"arn:aws:iam::1234:role/x", "xarn:aws:iam::123456789012:role/x"}},
		{`[0-9]{12}|\*`, []string{"123456789012", "*"}, []string{"1234567890123", "**"}},
	} {
		res, err := translatePattern(tc.java)
		require.NoError(t, err, tc.java)
		matches := func(s string) bool {
			for _, re := range res {
				if !regexp.MustCompile(re).MatchString(s) {
					return false
				}
			}
			return true
		}
		for _, s := range tc.match {
			require.True(t, matches(s), "%s should match %q", tc.java, s)
		}
		for _, s := range tc.mismatch {
			require.False(t, matches(s), "%s should not match %q", tc.java, s)
		}
	}
	_, err := translatePattern(`(?<=x)y`)
	require.Error(t, err)
}

// TestGeneratedUpToDate regenerates each committed wire_gen.go from the
// installed botocore models; it skips where botocore is not installed.
func TestGeneratedUpToDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ model, pkg, file string }{
		{"stepfunctions/2016-11-23", "sfnapi", "../../sfnapi/wire_gen.go"},
		{"codepipeline/2015-07-09", "pipelineapi", "../../pipelineapi/wire_gen.go"},
		{"codecommit/2015-04-13", "codecommitapi", "../../codecommitapi/wire_gen.go"},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			t.Parallel()
			path, err := resolveModel(tc.model)
			if err != nil {
				t.Skipf("botocore model not available: %v", err)
			}
			m, err := loadModel(path)
			require.NoError(t, err)
			got, err := generate(m, tc.pkg, tc.model)
			require.NoError(t, err)
			want, err := os.ReadFile(filepath.FromSlash(tc.file))
			require.NoError(t, err)
			require.Equal(t, string(want), string(got), "run go generate for %s", tc.pkg)
		})
	}
}
