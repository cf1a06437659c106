package plan_test

import (
	"encoding/json"
	"os"
	"testing"

	"stepline/pipeline/plan"
)

// FuzzValidateAndRun checks that no declaration makes Validate panic, and that a
// declaration Validate accepts runs through Next without panicking.
func FuzzValidateAndRun(f *testing.F) {
	f.Add([]byte(basePipeline))
	f.Add([]byte(`{"stages":[]}`))
	for _, dir := range []string{"11_entry_condition_fail", "13_on_success_rollback", "15_on_failure_conditions"} {
		if raw, err := os.ReadFile("testdata/scenarios/" + dir + "/pipeline.json"); err == nil {
			f.Add(raw)
		}
	}
	f.Add([]byte(`{"artifactStore":{"type":"S3","location":"x"},"stages":[{"name":"S","actions":[]},{"name":"T","actions":[{"name":"A"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p plan.Pipeline
		if json.Unmarshal(data, &p) != nil {
			return
		}
		if plan.Validate(&p) != nil {
			return
		}
		rt := plan.Runtime{}
		rt, cmds, err := plan.Next(&p, rt, plan.Event{Kind: plan.EventStart, ExecutionID: "e1"})
		if err != nil {
			t.Fatalf("start: %v", err)
		}
		for i := 0; i < 200 && len(cmds) > 0; i++ {
			c := cmds[0]
			cmds = cmds[1:]
			if c.Kind != plan.CommandRunAction && c.Kind != plan.CommandRunRule {
				continue
			}
			var more []plan.Command
			rt, more, err = plan.Next(&p, rt, plan.Event{Kind: plan.EventActionCompleted, ExecutionID: c.ExecutionID,
				ActionExecutionID: c.ActionExecutionID, Status: plan.StatusSucceeded})
			if err != nil {
				t.Fatalf("complete: %v", err)
			}
			cmds = append(cmds, more...)
		}
		if e := rt.Find("e1"); e.Status != plan.StatusSucceeded && e.Status != plan.StatusInProgress {
			t.Fatalf("status %s", e.Status)
		}
	})
}
