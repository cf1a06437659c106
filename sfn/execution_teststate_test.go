package sfn

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline"
)

// testStateSeeds are requests the fuzzer starts from: a definition, the input, the
// context, the variables and a mocked result.
var testStateSeeds = [][5]string{
	{`{"Type":"Pass","Parameters":{"x.$":"$.a"},"Next":"N"}`, `{"a":1}`, ``, `{"v":1}`, ``},
	{`{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}`, `{}`, `{"Execution":{"Id":"x"}}`, ``, `{"Payload":1}`},
	{`{"Type":"Map","ItemsPath":"$.i","ItemSelector":{"v.$":"$$.Map.Item.Value"},"ItemBatcher":{"MaxItemsPerBatch":2},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`, `{"i":[1,2,3]}`, ``, ``, `[1]`},
	{`{"QueryLanguage":"JSONata","Type":"Choice","Choices":[{"Condition":"{% $x %}","Next":"A"}],"Default":"B"}`, `1`, ``, `{"x":true}`, ``},
	{`{"StartAt":"A","States":{"A":{"Type":"Wait","SecondsPath":"$.s","Next":"B"},"B":{"Type":"Fail"}}}`, `{"s":-1}`, `{"State":{}}`, `[]`, `x`},
}

// FuzzTestState feeds TestState requests of every shape: it must answer a result or
// an AWS error, never panic.
func FuzzTestState(f *testing.F) {
	for _, s := range testStateSeeds {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	b := setupB(f)
	f.Fuzz(func(t *testing.T, def, input, ctxText, vars, mock string) {
		p := TestStateParams{Definition: def, Input: &input, StateName: "A", InspectionLevel: "TRACE", RoleARN: "arn:aws:iam::1:role/r"}
		if ctxText != "" {
			p.Context = &ctxText
		}
		if vars != "" {
			p.Variables = &vars
		}
		if mock != "" {
			p.Mock = &TestStateMock{Result: &mock}
		}
		res, err := b.s.TestState(b.ctx, p)
		if err != nil {
			var se *stepline.Error
			require.True(t, errors.As(err, &se), "not an AWS error: %v", err)
			return
		}
		require.Contains(t, []string{"SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"}, res.Status)
	})
}
