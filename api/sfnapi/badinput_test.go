package sfnapi_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBadInputNeverFails500 sends malformed and hostile bodies to every resource
// operation: each must be answered with an AWS client error, never a server error.
func TestBadInputNeverFails500(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ops := []string{
		"CreateStateMachine", "DescribeStateMachine", "UpdateStateMachine", "DeleteStateMachine", "ListStateMachines",
		"PublishStateMachineVersion", "ListStateMachineVersions", "DeleteStateMachineVersion",
		"CreateStateMachineAlias", "DescribeStateMachineAlias", "UpdateStateMachineAlias", "DeleteStateMachineAlias",
		"ListStateMachineAliases", "CreateActivity", "DescribeActivity", "DeleteActivity", "ListActivities",
		"TagResource", "UntagResource", "ListTagsForResource", "ValidateStateMachineDefinition",
	}
	bodies := []string{
		``, `not json`, `[]`, `null`, `{}`, `{"name": 5}`,
		`{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:"}`,
		`{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:x:1:2:3"}`,
		`{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:x/label"}`,
		`{"stateMachineAliasArn":"arn:aws:states:us-east-1:000000000000:stateMachine:x:1"}`,
		`{"stateMachineVersionArn":"arn:aws:states:us-east-1:000000000000:stateMachine:x:alias"}`,
		`{"activityArn":"arn:aws:states:us-east-1:000000000000:activity:"}`,
		`{"resourceArn":"arn:aws:states:us-east-1:000000000000:execution:x:y","tags":[{}],"tagKeys":[]}`,
		`{"name":"n","definition":"{","roleArn":"arn:aws:iam::000000000000:role/r"}`,
		`{"name":"n","definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}","roleArn":"arn:aws:iam::000000000000:role/r","type":"NOPE"}`,
		`{"name":"a","routingConfiguration":[{"stateMachineVersionArn":"x","weight":-1}]}`,
		`{"name":"a","routingConfiguration":[]}`,
		`{"stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:x","maxResults":-5,"nextToken":"%%%"}`,
		`{"definition":"` + strings.Repeat("[", 5000) + `"}`,
	}
	for _, op := range ops {
		for _, body := range bodies {
			req, err := http.NewRequestWithContext(b.ctx, http.MethodPost, b.srv.URL+"/", strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			msg, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			require.Less(t, resp.StatusCode, 500, "%s %s: %s", op, body, msg)
		}
	}
}
