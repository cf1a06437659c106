package pipeline_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/internal/clock"
	"stepline/pipeline"
	"stepline/pipeline/action"
	"stepline/pipeline/action/approval"
	"stepline/pipeline/plan"
	"stepline/store/sqlite"
)

// TestDeploymentWindowWaitsForTheWindow: outside its window the rule parks its job
// until the window opens and passes then; the stage's actions start only after it.
func TestDeploymentWindowWaitsForTheWindow(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "db.sqlite"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	// Friday 16:58 in Berlin; the window opens at 17:00 on weekdays.
	fake := clock.NewFake(time.Date(2026, 3, 6, 15, 58, 30, 0, time.UTC))
	svc := pipeline.New(db, pipeline.Config{
		NodeID: "test", Clock: fake, JobPoll: time.Minute, JobLease: time.Hour,
		Providers: map[plan.ActionTypeID]action.Provider{
			{Category: "Source", Owner: "AWS", Provider: "S3", Version: "1"}:       sourceProvider,
			{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}: approval.Provider{},
		},
	})
	require.NoError(t, svc.Start(t.Context()))
	t.Cleanup(svc.Stop)
	b := &testBundle{svc: svc, ctx: stepline.ContextWithIdentity(t.Context(), stepline.Identity{Account: "000000000000", Region: "us-east-1", Partition: "aws"})}

	stage := approvalStage("Release")
	stage.BeforeEntry = &plan.ConditionGate{Conditions: []plan.Condition{{Result: plan.ResultFail, Rules: []plan.Rule{{
		Name: "Window", RuleTypeID: plan.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "DeploymentWindow", Version: "1"},
		Configuration: map[string]string{"Cron": "* * 17-18 ? * MON-FRI", "TimeZone": "Europe/Berlin"},
	}}}}}
	p := decl("window", stage)
	p.PipelineType = plan.PipelineTypeV2
	_, err = svc.CreatePipeline(b.ctx, p, nil)
	require.NoError(t, err)

	snap := waitFor(t, b, "window", func(s pipeline.Snapshot) bool {
		r := latest(s).LatestRule("Release", plan.ConditionBeforeEntry, "Window")
		return r != nil && r.Result.Summary != ""
	})
	e := latest(snap)
	require.Equal(t, plan.StatusInProgress, e.LatestRule("Release", plan.ConditionBeforeEntry, "Window").Status)
	require.Equal(t, "Waiting for the deployment window '* * 17-18 ? * MON-FRI' to open at 2026-03-06 17:00 CET",
		e.LatestRule("Release", plan.ConditionBeforeEntry, "Window").Result.Summary)
	require.Nil(t, e.Latest("Release", "Approve"))

	// The job loop looks again once the window is open. The clock moves a second at a
	// time, so the loop's next poll comes whenever it started waiting, well inside the
	// two-hour window.
	snap = waitFor(t, b, "window", func(s pipeline.Snapshot) bool {
		fake.Advance(time.Second)
		return latest(s).Latest("Release", "Approve") != nil
	})
	e = latest(snap)
	require.Equal(t, plan.StatusSucceeded, e.LastCondition("Release", plan.ConditionBeforeEntry).Status)
	require.Contains(t, e.LatestRule("Release", plan.ConditionBeforeEntry, "Window").Result.Summary, "is inside the deployment window")
}
