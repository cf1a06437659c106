package awsjson_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/api/sfnapi"
)

func TestGeneratedValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body, want string
	}{
		{"MaxResults", `{"stateMachineArn":"arn","maxResults":1001}`,
			"1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000"},
		{"Enum", `{"stateMachineArn":"arn","statusFilter":"NOPE"}`,
			"1 validation error detected: Value 'NOPE' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]"},
		{"Valid", `{"stateMachineArn":"arn","statusFilter":"RUNNING","maxResults":1000}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var in sfnapi.ListExecutionsInput
			require.NoError(t, json.Unmarshal([]byte(tc.body), &in))
			err := in.Validate()
			if tc.want == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, "ValidationException: "+tc.want)
		})
	}
}
