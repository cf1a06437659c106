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
	// Rule is "Stage/CONDITION_TYPE/Rule": the event completes that rule's latest run.
	Rule          string `json:"rule"`
	Target        string `json:"target"`
	ConditionType string `json:"conditionType"`
	ErrorCode     string `json:"errorCode"` // of a failed rule; RuleFailed when empty
}

type expectExecution struct {
	Status  string            `json:"status"`
	Stage   string            `json:"stage,omitempty"`
	Inbound bool              `json:"inbound,omitempty"`
	Actions map[string]string `json:"actions,omitempty"` // Stage/Action → latest run status
	// Type, Stages and Conditions are checked only when given.
	Type       string            `json:"type,omitempty"`
	Stages     map[string]string `json:"stages,omitempty"`     // Stage → status
	Conditions map[string]string `json:"conditions,omitempty"` // Stage/CONDITION_TYPE → latest status
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
			require.Equal(t, st.Commands, describeCommands(&p, rt, cmds), "step %d commands", i)
		}
		for id, want := range st.Executions {
			e := rt.Find(executionID(id))
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
			if want.Type != "" {
				got.Type = e.ExecutionType()
			}
			if want.Stages != nil {
				got.Stages = map[string]string{}
				for name := range want.Stages {
					got.Stages[name] = e.Stages[p.StageIndex(name)].Status
				}
			}
			if want.Conditions != nil {
				got.Conditions = map[string]string{}
				for name := range want.Conditions {
					stage, kind, _ := strings.Cut(name, "/")
					got.Conditions[name] = "" // never evaluated
					if c := e.LastCondition(stage, kind); c != nil {
						got.Conditions[name] = c.Status
					}
				}
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
		Kind: se.Kind, Time: base.Add(time.Duration(se.Second) * time.Second), ExecutionID: executionID(se.Execution),
		Status: se.Status, Stage: se.Stage, RetryMode: se.RetryMode, Abandon: se.Abandon, Enabled: se.Enabled,
		Reason: se.Reason, Token: se.Token, By: "tester", Target: executionID(se.Target), ConditionType: se.ConditionType,
	}
	if ev.Kind == plan.EventRollback {
		ev.Trigger = plan.ExecTrigger{Type: plan.TriggerManualRollback}
	}
	if se.Rule != "" {
		parts := strings.SplitN(se.Rule, "/", 3)
		require.Len(t, parts, 3)
		if e := rt.Find(ev.ExecutionID); e != nil {
			if run := e.LatestRule(parts[0], parts[1], parts[2]); run != nil {
				ev.ActionExecutionID = run.ID
			}
		}
		if ev.Status == plan.StatusFailed {
			ev.Result = plan.ActionResult{ErrorCode: "RuleFailed", ErrorMessage: "no"}
			if se.ErrorCode != "" {
				ev.Result.ErrorCode = se.ErrorCode
			}
		}
	}
	if ev.Kind == plan.EventStart {
		ev.Trigger = plan.ExecTrigger{Type: "StartPipelineExecution"}
	}
	if se.Action != "" {
		stage, action, _ := strings.Cut(se.Action, "/")
		ev.Stage, ev.Action = stage, action
		if e := rt.Find(ev.ExecutionID); e != nil {
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

// executionID maps the scenario name "rb:<execution>:<stage>:<attempt>" to the id of
// the automatic rollback of that failed stage attempt; other names are ids.
func executionID(name string) string {
	parts := strings.Split(name, ":")
	if len(parts) != 4 || parts[0] != "rb" {
		return name
	}
	attempt := 0
	_, _ = fmt.Sscan(parts[3], &attempt)
	return plan.RollbackExecutionID(parts[1], parts[2], attempt)
}

// describeCommands names automatic rollback executions "rb:<execution>:<stage>:<attempt>".
func describeCommands(p *plan.Pipeline, rt plan.Runtime, cmds []plan.Command) []string {
	out := []string{}
	for _, c := range cmds {
		id := c.ExecutionID
		if e := rt.Find(id); e != nil && e.Trigger.Type == plan.TriggerAutomatedRollback {
			failed := e.Trigger.Detail
			for _, st := range p.Stages {
				for attempt := 1; attempt < 10; attempt++ {
					if plan.RollbackExecutionID(failed, st.Name, attempt) == id {
						id = fmt.Sprintf("rb:%s:%s:%d", failed, st.Name, attempt)
					}
				}
			}
		}
		switch c.Kind {
		case plan.CommandExecutionEnded:
			out = append(out, fmt.Sprintf("%s %s %s", c.Kind, id, c.Status))
		default:
			out = append(out, fmt.Sprintf("%s %s %s/%s", c.Kind, id, c.Stage, c.Action))
		}
	}
	return out
}
