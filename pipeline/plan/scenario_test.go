package plan_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/pipeline/plan"
)

// A scenario is a pipeline.json and a scenario.json listing events and what the
// runtime must look like after each. Actions are named "Stage/Action"; the runner fills
// in action execution ids and approval tokens, which are derived, not chosen.
type scenario struct {
	Steps []step `json:"steps"`
}

type step struct {
	Event scenarioEvent `json:"event"`
	// Error is the exception code the event must be refused with.
	Error string `json:"error,omitempty"`
	// Commands are "Kind executionId [Stage/Action|Status]" in order.
	Commands []string `json:"commands,omitempty"`
	// Executions maps an execution id to its expected state.
	Executions map[string]expectExecution `json:"executions,omitempty"`
}

type scenarioEvent struct {
	Kind      string `json:"kind"`
	Execution string `json:"execution"`
	Action    string `json:"action"` // Stage/Action
	Status    string `json:"status"`
	Stage     string `json:"stage"`
	RetryMode string `json:"retryMode"`
	Abandon   bool   `json:"abandon"`
	Enabled   bool   `json:"enabled"`
	Reason    string `json:"reason"`
	Token     string `json:"token"` // for Approval: "" uses the right one
	Second    int    `json:"second"`
}

type expectExecution struct {
	Status  string            `json:"status"`
	Stage   string            `json:"stage,omitempty"`
	Inbound bool              `json:"inbound,omitempty"`
	Actions map[string]string `json:"actions,omitempty"` // Stage/Action → latest run status
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob("testdata/scenarios/*")
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			runScenario(t, dir)
		})
	}
}

func runScenario(t *testing.T, dir string) {
	var p plan.Pipeline
	raw, err := os.ReadFile(filepath.Join(dir, "pipeline.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &p))
	p.Version = 1
	require.Nil(t, plan.Validate(&p))
	var sc scenario
	raw, err = os.ReadFile(filepath.Join(dir, "scenario.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &sc))

	rt := plan.Runtime{Seed: "seed"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var applied []plan.Event
	for i, st := range sc.Steps {
		ev := toEvent(t, rt, st.Event, base)
		before, _ := json.Marshal(rt)
		next, cmds, err := plan.Next(&p, rt, ev)
		after, _ := json.Marshal(rt)
		require.JSONEq(t, string(before), string(after), "step %d: Next changed its input", i)
		if st.Error != "" {
			require.Error(t, err, "step %d", i)
			require.Contains(t, err.Error(), st.Error, "step %d", i)
			continue
		}
		require.NoError(t, err, "step %d", i)
		applied = append(applied, ev)
		rt = next
		if st.Commands != nil {
			require.Equal(t, st.Commands, describeCommands(rt, cmds), "step %d commands", i)
		}
		for id, want := range st.Executions {
			e := rt.Find(id)
			require.NotNil(t, e, "step %d: execution %s", i, id)
			got := expectExecution{Status: e.Status, Stage: p.Stages[e.Stage].Name, Inbound: e.Inbound, Actions: map[string]string{}}
			for name := range want.Actions {
				stage, action, _ := strings.Cut(name, "/")
				got.Actions[name] = "" // never ran
				if run := e.Latest(stage, action); run != nil {
					got.Actions[name] = run.Status
				}
			}
			if want.Stage == "" {
				got.Stage = ""
			}
			if want.Actions == nil {
				got.Actions = nil
			}
			require.Equal(t, want, got, "step %d: execution %s", i, id)
		}
	}
	// Replaying the accepted events from scratch reproduces the runtime exactly.
	replay := plan.Runtime{Seed: "seed"}
	for _, ev := range applied {
		replay, _, err = plan.Next(&p, replay, ev)
		require.NoError(t, err)
	}
	want, _ := json.Marshal(rt)
	got, _ := json.Marshal(replay)
	require.JSONEq(t, string(want), string(got))
}

func toEvent(t *testing.T, rt plan.Runtime, se scenarioEvent, base time.Time) plan.Event {
	t.Helper()
	ev := plan.Event{
		Kind: se.Kind, Time: base.Add(time.Duration(se.Second) * time.Second), ExecutionID: se.Execution,
		Status: se.Status, Stage: se.Stage, RetryMode: se.RetryMode, Abandon: se.Abandon, Enabled: se.Enabled,
		Reason: se.Reason, Token: se.Token, By: "tester",
	}
	if ev.Kind == plan.EventStart {
		ev.Trigger = plan.ExecTrigger{Type: "StartPipelineExecution"}
	}
	if se.Action != "" {
		stage, action, _ := strings.Cut(se.Action, "/")
		ev.Stage, ev.Action = stage, action
		if e := rt.Find(se.Execution); e != nil {
			if run := e.Latest(stage, action); run != nil {
				ev.ActionExecutionID = run.ID
				if ev.Token == "" {
					ev.Token = run.Token
				}
			}
		}
		if ev.Kind == plan.EventActionCompleted && ev.Status == plan.StatusFailed {
			ev.Result = plan.ActionResult{ErrorCode: "JobFailed", ErrorMessage: "boom"}
		}
	}
	return ev
}

func describeCommands(rt plan.Runtime, cmds []plan.Command) []string {
	out := []string{}
	for _, c := range cmds {
		switch c.Kind {
		case plan.CommandExecutionEnded:
			out = append(out, fmt.Sprintf("%s %s %s", c.Kind, c.ExecutionID, c.Status))
		default:
			out = append(out, fmt.Sprintf("%s %s %s/%s", c.Kind, c.ExecutionID, c.Stage, c.Action))
		}
	}
	return out
}
