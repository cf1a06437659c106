package sfn

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"stepline/asl"
	"stepline/jsonvalue"
)

// MockConfig is an AWS Step Functions Local mock configuration file
// (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html):
// test cases name, per state machine, the mocked response each Task state gets, and
// each mocked response lists what its 0th, 1st, ... invocation returns or throws.
type MockConfig struct {
	StateMachines   map[string]mockStateMachine `json:"StateMachines"`
	MockedResponses map[string]map[string]mockAnswer
}

type mockStateMachine struct {
	TestCases map[string]map[string]string `json:"TestCases"`
}

// mockAnswer is one entry of a mocked response: Return (any JSON) or Throw.
type mockAnswer struct {
	Return json.RawMessage `json:"Return"`
	Throw  *struct {
		Error string `json:"Error"`
		Cause string `json:"Cause"`
	} `json:"Throw"`
}

// ParseMockConfig decodes a mock configuration file.
func ParseMockConfig(b []byte) (*MockConfig, error) {
	var raw struct {
		StateMachines   map[string]mockStateMachine      `json:"StateMachines"`
		MockedResponses map[string]map[string]mockAnswer `json:"MockedResponses"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("decode mock config: %w", err)
	}
	for name, resp := range raw.MockedResponses {
		for key, a := range resp {
			if _, _, err := mockRange(key); err != nil {
				return nil, fmt.Errorf("mocked response %s: %w", name, err)
			}
			if (len(a.Return) == 0) == (a.Throw == nil) {
				return nil, fmt.Errorf("mocked response %s, invocation %s: give exactly one of Return and Throw", name, key)
			}
		}
	}
	return &MockConfig{StateMachines: raw.StateMachines, MockedResponses: raw.MockedResponses}, nil
}

// mockRange parses an invocation key: "0" or "1-2" (inclusive, zero-based).
func mockRange(key string) (int, int, error) {
	lo, hi, isRange := strings.Cut(key, "-")
	a, err := strconv.Atoi(lo)
	if err != nil || a < 0 {
		return 0, 0, fmt.Errorf("invalid invocation key %q", key)
	}
	if !isRange {
		return a, a, nil
	}
	b, err := strconv.Atoi(hi)
	if err != nil || b < a {
		return 0, 0, fmt.Errorf("invalid invocation key %q", key)
	}
	return a, b, nil
}

// TestCase returns the state → mocked response map of a test case. With an empty
// stateMachine the config must hold exactly one state machine; with an empty
// testCase that state machine must have exactly one test case.
func (c *MockConfig) TestCase(stateMachine, testCase string) (map[string]string, error) {
	if stateMachine == "" {
		if len(c.StateMachines) != 1 {
			return nil, fmt.Errorf("the mock config has %d state machines: name one", len(c.StateMachines))
		}
		for name := range c.StateMachines {
			stateMachine = name
		}
	}
	sm, ok := c.StateMachines[stateMachine]
	if !ok {
		return nil, fmt.Errorf("the mock config has no state machine %q", stateMachine)
	}
	if testCase == "" {
		if len(sm.TestCases) != 1 {
			names := make([]string, 0, len(sm.TestCases))
			for n := range sm.TestCases {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, fmt.Errorf("state machine %q has test cases %v: pick one with --test-case", stateMachine, names)
		}
		for name := range sm.TestCases {
			testCase = name
		}
	}
	tc, ok := sm.TestCases[testCase]
	if !ok {
		return nil, fmt.Errorf("state machine %q has no test case %q", stateMachine, testCase)
	}
	for state, resp := range tc {
		if _, ok := c.MockedResponses[resp]; !ok {
			return nil, fmt.Errorf("test case %q: state %q uses mocked response %q, which is not defined", testCase, state, resp)
		}
	}
	return tc, nil
}

// MockTasks answers the Task states of a test case from the config; tasks of states
// the test case does not mock are answered by fallback (nil: they fail as unavailable
// integrations). The n-th invocation of a state (counting from 0, retries included)
// gets the answer whose key covers n; past the last key, the last answer repeats.
func (c *MockConfig) MockTasks(testCase map[string]string, fallback TaskFunc) TaskFunc {
	if fallback == nil {
		fallback = failAllTasks
	}
	var mu sync.Mutex
	calls := make(map[string]int)
	return func(ctx context.Context, t asl.ScheduleTask) []asl.Input {
		respName, ok := testCase[t.StateName]
		if !ok {
			return fallback(ctx, t)
		}
		mu.Lock()
		n := calls[t.StateName]
		calls[t.StateName] = n + 1
		mu.Unlock()
		a := c.answer(respName, n)
		started := asl.TaskStarted{TaskID: t.TaskID}
		if a.Throw != nil {
			return []asl.Input{started, asl.TaskFailed{TaskID: t.TaskID, Error: a.Throw.Error, Cause: a.Throw.Cause}}
		}
		v, err := jsonvalue.Parse(a.Return)
		if err != nil {
			return []asl.Input{started, asl.TaskFailed{TaskID: t.TaskID, Error: "States.Runtime",
				Cause: fmt.Sprintf("mocked response %s is not valid JSON: %v", respName, err)}}
		}
		return []asl.Input{started, asl.TaskSucceeded{TaskID: t.TaskID, Output: v}}
	}
}

// answer picks the answer of invocation n.
func (c *MockConfig) answer(respName string, n int) mockAnswer {
	resp := c.MockedResponses[respName]
	var last mockAnswer
	lastHi := -1
	for key, a := range resp {
		lo, hi, _ := mockRange(key) // checked by ParseMockConfig
		if n >= lo && n <= hi {
			return a
		}
		if hi > lastHi {
			last, lastHi = a, hi
		}
	}
	return last
}
