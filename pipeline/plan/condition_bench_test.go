package plan_test

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"stepline/pipeline/plan"
)

// BenchmarkCronNext finds the next opening of a weekday office-hours window from a
// Friday evening (the search jumps over the weekend by days).
func BenchmarkCronNext(b *testing.B) {
	c, err := plan.ParseCron("* * 9-17 ? * MON-FRI")
	if err != nil {
		b.Fatal(err)
	}
	from := time.Date(2026, 3, 6, 18, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, ok := c.Next(from); !ok {
			b.Fatal("no window")
		}
	}
}

// BenchmarkEntryConditionExecution plans one whole execution through a stage with an
// entry condition: start, source, rule, the stage's action, the last stage.
func BenchmarkEntryConditionExecution(b *testing.B) {
	raw, err := os.ReadFile("testdata/scenarios/11_entry_condition_fail/pipeline.json")
	if err != nil {
		b.Fatal(err)
	}
	var p plan.Pipeline
	if err := json.Unmarshal(raw, &p); err != nil {
		b.Fatal(err)
	}
	p.Version = 1
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		rt, cmds, err := plan.Next(&p, plan.Runtime{Seed: "s"}, plan.Event{Kind: plan.EventStart, ExecutionID: "e1", Time: now})
		if err != nil {
			b.Fatal(err)
		}
		for len(cmds) > 0 {
			c := cmds[0]
			cmds = cmds[1:]
			if c.Kind != plan.CommandRunAction && c.Kind != plan.CommandRunRule {
				continue
			}
			var more []plan.Command
			rt, more, err = plan.Next(&p, rt, plan.Event{Kind: plan.EventActionCompleted, ExecutionID: c.ExecutionID,
				ActionExecutionID: c.ActionExecutionID, Status: plan.StatusSucceeded, Time: now})
			if err != nil {
				b.Fatal(err)
			}
			cmds = append(cmds, more...)
		}
		if rt.Find("e1").Status != plan.StatusSucceeded {
			b.Fatal(rt.Find("e1").Status)
		}
	}
}
