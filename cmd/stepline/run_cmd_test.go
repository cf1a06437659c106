package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/sfn/samples"
)

// runCmd runs `stepline run` with args and returns the exit status, stdout and stderr.
func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cmdRun(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
	return p
}

func TestRunHelloWorld(t *testing.T) {
	t.Parallel()
	hw, ok, err := samples.Get("HelloWorld")
	require.NoError(t, err)
	require.True(t, ok)
	def := writeFile(t, "HelloWorld.asl.json", hw.Definition)

	t.Run("Succeeds", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runCmd(t, def, "--input", `{"IsHelloWorldExample": true}`, "--history")
		require.Equal(t, 0, code, errOut)
		require.Equal(t, `[{"IsHelloWorldExample":true},{"IsHelloWorldExample":true}]`+"\n", out)
		require.Contains(t, errOut, "WaitStateEntered")
	})
	t.Run("FailsOnFalse", func(t *testing.T) {
		t.Parallel()
		code, out, errOut := runCmd(t, "--input", `{"IsHelloWorldExample": false}`, def)
		require.Equal(t, 1, code)
		require.Empty(t, out)
		require.Contains(t, errOut, `cause="Not Hello World"`)
	})
}

func TestRunMock(t *testing.T) {
	t.Parallel()
	hw, ok, err := samples.Get("RetryAndCatch")
	require.NoError(t, err)
	require.True(t, ok)
	def := writeFile(t, "RetryAndCatch.asl.json", hw.Definition)
	mock := writeFile(t, "mock.json", `{
	  "StateMachines": {"RetryAndCatch": {"TestCases": {
	    "Happy": {"Call service": "Ok"},
	    "Flaky": {"Call service": "FailTwiceThenOk"},
	    "Broken": {"Call service": "AlwaysFail"}
	  }}},
	  "MockedResponses": {
	    "Ok": {"0": {"Return": {"StatusCode": 200, "Payload": {"n": 1}}}},
	    "FailTwiceThenOk": {
	      "0-1": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "flaky"}},
	      "2": {"Return": {"StatusCode": 200, "Payload": {"n": 3}}}
	    },
	    "AlwaysFail": {"0": {"Throw": {"Error": "Boom", "Cause": "always"}}}
	  }
	}`)
	for _, tc := range []struct{ name, want string }{
		{"Happy", `{"body":{"n":1}}`},
		{"Flaky", `{"body":{"n":3}}`},
		{"Broken", `{"error":{"Error":"Boom","Cause":"always"},"result":"fallback"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runCmd(t, def, "--mock", mock, "--test-case", tc.name)
			require.Equal(t, 0, code, errOut)
			require.Equal(t, tc.want, strings.TrimSpace(out))
		})
	}
	t.Run("UnmockedTaskFails", func(t *testing.T) {
		t.Parallel()
		plain := writeFile(t, "plain.json", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}`)
		code, _, errOut := runCmd(t, plain)
		require.Equal(t, 1, code)
		require.Contains(t, errOut, "Stepline.IntegrationUnavailable")
	})
}

func TestValidateCommand(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	good := writeFile(t, "good.json", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)
	require.Equal(t, 0, cmdValidate(t.Context(), []string{good}, &out, &errOut), errOut.String())
	bad := writeFile(t, "bad.json", `{"StartAt":"Missing","States":{"P":{"Type":"Pass","End":true}}}`)
	out.Reset()
	require.Equal(t, 1, cmdValidate(t.Context(), []string{bad}, &out, &errOut))
	require.Contains(t, out.String(), "ERROR")
}
