package payload

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/asl/jsonpath"
	"stepline/jsonvalue"
)

// conformanceDir holds the executions recorded against AWS (see the repository's
// conformance notes); it lives beside the repository, not in it.
const conformanceDir = "../../../shared/conformance/sfn/cases"

// recordedCase is the part of a recorded execution these tests read.
type recordedCase struct {
	StateMachineType string          `json:"state_machine_type"`
	DefinitionRaw    string          `json:"definition_raw"`
	InputRaw         string          `json:"input_raw"`
	Normalise        json.RawMessage `json:"normalise"`
	Expected         struct {
		Status string          `json:"status"`
		Output json.RawMessage `json:"output"`
		Error  string          `json:"error"`
		Cause  string          `json:"cause"`
	} `json:"expected"`
}

// TestConformancePassChains runs every recorded JSONPath execution made only of Pass and Fail
// states (InputPath, Parameters, Result, ResultPath, OutputPath, ErrorPath, CausePath) through this package
// and jsonpath, the way the interpreter chains them, and compares output or failure.
func TestConformancePassChains(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join(conformanceDir, "*.json"))
	if len(files) == 0 {
		t.Skipf("no recorded cases in %s: the conformance data sits beside the repository in CI", conformanceDir)
	}
	ran := 0
	for _, file := range files {
		c, states, start, ok := loadPassChain(t, file)
		if !ok {
			continue
		}
		ran++
		t.Run(strings.TrimSuffix(filepath.Base(file), ".json"), func(t *testing.T) {
			t.Parallel()
			runPassChain(t, c, states, start)
		})
	}
	t.Logf("%d recorded Pass-chain executions", ran)
	require.NotZero(t, ran)
}

func loadPassChain(t *testing.T, file string) (*recordedCase, *jsonvalue.Object, string, bool) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var c recordedCase
	require.NoError(t, json.Unmarshal(data, &c))
	if c.StateMachineType != "STANDARD" || c.Expected.Error == "States.DataLimitExceeded" {
		return nil, nil, "", false
	}
	var norm struct {
		KeyValue  []any `json:"key_value"`
		JSONPath  []any `json:"jsonpath"`
		Wildcards []any `json:"wildcards"`
	}
	require.NoError(t, json.Unmarshal(c.Normalise, &norm))
	if len(norm.KeyValue)+len(norm.JSONPath)+len(norm.Wildcards) > 0 {
		return nil, nil, "", false // values AWS generated and the recording masked
	}
	def := jsonvalue.MustParse(c.DefinitionRaw).(*jsonvalue.Object)
	if ql, _ := def.Get("QueryLanguage"); ql == "JSONata" {
		return nil, nil, "", false
	}
	states, _ := def.Get("States")
	so, ok := states.(*jsonvalue.Object)
	if !ok {
		return nil, nil, "", false
	}
	allowed := map[string]bool{"Type": true, "Next": true, "End": true, "Comment": true, "InputPath": true,
		"Parameters": true, "Result": true, "ResultPath": true, "OutputPath": true}
	for _, name := range so.Keys() {
		s, _ := so.Get(name)
		st, ok := s.(*jsonvalue.Object)
		if !ok {
			return nil, nil, "", false
		}
		typ, _ := st.Get("Type")
		if typ == "Fail" {
			continue
		}
		if typ != "Pass" {
			return nil, nil, "", false
		}
		for _, k := range st.Keys() {
			if !allowed[k] {
				return nil, nil, "", false
			}
		}
	}
	start, _ := def.Get("StartAt")
	name, _ := start.(string)
	return &c, so, name, true
}

func runPassChain(t *testing.T, c *recordedCase, states *jsonvalue.Object, name string) {
	raw := c.InputRaw
	if raw == "" {
		raw = "{}" // StartExecution without input starts with {}
	}
	execInput := jsonvalue.MustParse(raw)
	doc := execInput
	entered := int64(2)
	for {
		s, _ := states.Get(name)
		st := s.(*jsonvalue.Object)
		if typ, _ := st.Get("Type"); typ == "Fail" {
			errName, cause, fl := runFail(st, doc, contextObject(execInput, name))
			if fl == nil {
				require.Equal(t, "FAILED", c.Expected.Status)
				require.Equal(t, c.Expected.Error, errName)
				require.Equal(t, c.Expected.Cause, cause)
				return
			}
			require.Equal(t, c.Expected.Error, fl.Name)
			require.Regexp(t, causePattern(c.Expected.Cause), fmt.Sprintf(
				"An error occurred while executing the state '%s' (entered at the event id #%d). %s", name, entered, fl.Cause))
			return
		}
		out, fl := runPass(st, doc, contextObject(execInput, name))
		if fl != nil {
			require.Equal(t, "FAILED", c.Expected.Status, "unexpected failure: %v", fl)
			require.Equal(t, c.Expected.Error, fl.Name)
			cause := fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", name, entered, fl.Cause)
			require.Regexp(t, causePattern(c.Expected.Cause), cause)
			return
		}
		doc = out
		next, _ := st.Get("Next")
		if n, ok := next.(string); ok {
			name = n
			entered += 2
			continue
		}
		break
	}
	require.Equal(t, "SUCCEEDED", c.Expected.Status)
	require.JSONEq(t, string(c.Expected.Output), jsonvalue.MarshalString(doc))
}

// runFail evaluates a Fail state's Error/ErrorPath and Cause/CausePath.
func runFail(st *jsonvalue.Object, input, ctx any) (string, string, *Failure) {
	var out [2]string
	for i, field := range []string{"Error", "Cause"} {
		if v, ok := st.Get(field); ok {
			out[i], _ = v.(string)
		}
		p, ok := st.Get(field + "Path")
		if !ok {
			continue
		}
		v, err := SelectEnv(p.(string), Env{Input: input, Context: ctx}, field+"Path")
		if err != nil {
			return "", "", asFailure(err)
		}
		out[i], _ = v.(string)
	}
	return out[0], out[1], nil
}

// runPass applies a Pass state's JSONPath input and output processing.
func runPass(st *jsonvalue.Object, input, ctx any) (any, *Failure) {
	env := Env{Input: input, Context: ctx}
	effective := input
	if p, ok := st.Get("InputPath"); ok {
		if p == nil {
			effective = jsonvalue.NewObject(0)
		} else {
			v, err := SelectEnv(p.(string), env, "InputPath")
			if err != nil {
				return nil, asFailure(err)
			}
			effective = v
		}
	}
	result := effective
	if tmpl, ok := st.Get("Parameters"); ok {
		env.Input = effective
		v, err := Expand(tmpl, env, "Parameters")
		if err != nil {
			return nil, asFailure(err)
		}
		result = v
	}
	if r, ok := st.Get("Result"); ok {
		result = r
	}
	out := result
	if rp, ok := st.Get("ResultPath"); ok {
		if rp == nil {
			out = input
		} else {
			v, err := jsonpath.Set(input, rp.(string), result)
			if err != nil {
				return nil, &Failure{Name: "States.ResultPathMatchFailure", Cause: err.Error()}
			}
			out = v
		}
	}
	if p, ok := st.Get("OutputPath"); ok {
		if p == nil {
			return jsonvalue.NewObject(0), nil
		}
		v, err := SelectEnv(p.(string), Env{Input: out, Context: ctx}, "OutputPath")
		if err != nil {
			return nil, asFailure(err)
		}
		out = v
	}
	return out, nil
}

func asFailure(err error) *Failure {
	var f *Failure
	if errors.As(err, &f) {
		return f
	}
	return &Failure{Name: "Go error", Cause: err.Error()}
}

// contextObject is the context object with the placeholders the recordings use for
// the values AWS generated.
func contextObject(input any, state string) any {
	return jsonvalue.ObjectOf(
		"Execution", jsonvalue.ObjectOf(
			"Id", "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
			"Input", input,
			"StartTime", "date",
			"Name", "<ExecArnPart_0idx>",
			"RoleArn", "snf_role_arn",
			"RedriveCount", 0,
		),
		"StateMachine", jsonvalue.ObjectOf(
			"Id", "arn:<partition>:states:<region>:111111111111:stateMachine:<ArnPart_0idx>",
			"Name", "<ArnPart_0idx>",
		),
		"State", jsonvalue.ObjectOf("Name", state, "EnteredTime", "date"),
	)
}

// causePattern turns a recorded cause into a pattern: <json-input:N> stands for the
// JSON text AWS quoted, which the recording masked.
func causePattern(cause string) string {
	parts := regexp.MustCompile(`<json-input:\d+>`).Split(cause, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return "^" + strings.Join(parts, `[\[{].*[\]}]`) + "$"
}
