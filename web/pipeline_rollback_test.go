package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/pipeline/plan"
)

// v2Declaration is opsDeclaration as a V2 pipeline.
func v2Declaration(name string) plan.Pipeline {
	d := opsDeclaration(name)
	d.PipelineType = plan.PipelineTypeV2
	return d
}

// newest waits until the newest execution of the pipeline satisfies ok and returns it.
func (b *opsBundle) newest(t *testing.T, name string, ok func(*plan.Execution) bool) *plan.Execution {
	t.Helper()
	var last *plan.Execution
	require.Eventually(t, func() bool {
		execs, _, err := b.pl.Executions(t.Context(), name)
		require.NoError(t, err)
		if len(execs) == 0 || !ok(execs[0]) {
			return false
		}
		last = execs[0]
		return true
	}, 10*time.Second, 10*time.Millisecond)
	return last
}

// approveNewest approves the newest execution's Review and waits for it to succeed.
func (b *opsBundle) approveNewest(t *testing.T, name string) *plan.Execution {
	t.Helper()
	e := b.newest(t, name, func(e *plan.Execution) bool {
		run := e.Latest("Approve", "Review")
		return run != nil && run.Status == plan.StatusInProgress && run.Token != ""
	})
	require.NoError(t, b.pl.PutApprovalResult(t.Context(), name, "Approve", "Review", "Approved", "", e.Latest("Approve", "Review").Token))
	return b.newest(t, name, func(x *plan.Execution) bool { return x.ID == e.ID && x.Status == plan.StatusSucceeded })
}

func TestPipelineRollback(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	ctx := t.Context()
	_, err := b.pl.CreatePipeline(ctx, v2Declaration("rb"), nil)
	require.NoError(t, err)
	first := b.approveNewest(t, "rb")
	_, err = b.pl.StartPipelineExecution(ctx, "rb", nil, "", nil)
	require.NoError(t, err)
	second := b.approveNewest(t, "rb")
	third, err := b.pl.StartPipelineExecution(ctx, "rb", nil, "", nil)
	require.NoError(t, err)
	b.newest(t, "rb", func(e *plan.Execution) bool { return e.ID == third && e.Latest("Approve", "Review") != nil })

	code, body := b.get(t, "/_console/pipelines/rb")
	require.Equal(t, http.StatusOK, code)
	require.NotContains(t, stageHTML(t, body, "Source"), "Start rollback", "the source stage cannot be rolled back")
	run := stageHTML(t, body, "Run")
	require.Contains(t, run, `<summary class="button" role="button" aria-expanded="false">Start rollback</summary>`)
	require.Contains(t, run, `<option value="`+first.ID+`">`, "the only earlier execution that succeeded in Run")
	require.NotContains(t, run, `<option value="`+second.ID+`"`, "the execution Run shows now is not offered")
	approve := stageHTML(t, body, "Approve")
	require.Less(t, strings.Index(approve, second.ID+`">`), strings.Index(approve, first.ID+`">`), "newest first")

	_, v1 := b.get(t, "/_console/pipelines/ops")
	require.NotContains(t, v1, "Start rollback", "V1 pipelines cannot be rolled back")

	errorCases := []struct{ name, stage, target, stageShown, want string }{
		{"Conflict", "Approve", first.ID, "Approve", "is currently in use by pipeline execution '" + third + "'"},
		{"UnknownTarget", "Run", "00000000-0000-4000-8000-000000000000", "Run", "does not exist"},
		{"NoTarget", "Run", "", "Run", "Choose the pipeline execution to roll back to."},
		{"SourceStage", "Source", first.ID, "Source", "is a source stage and cannot be rolled back"},
		{"NotSucceededThere", "Run", third, "Run", "did not succeed in pipeline execution"},
	}
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			w := b.post(t, "/_console/pipelines/rb/rollback", url.Values{"stage": {c.stage}, "target": {c.target}})
			require.Equal(t, http.StatusBadRequest, w.Code)
			stage := stageHTML(t, w.Body.String(), c.stageShown)
			require.Contains(t, stage, `<p class="field-error"`)
			require.Contains(t, stage, htmlEscape(c.want))
		})
	}
	t.Run("UnknownStageShownAtTheTop", func(t *testing.T) {
		w := b.post(t, "/_console/pipelines/rb/rollback", url.Values{"stage": {"Nope"}, "target": {first.ID}})
		require.Equal(t, http.StatusBadRequest, w.Code)
		require.Contains(t, w.Body.String(), `<p class="alert" role="alert">Stage &#39;Nope&#39; not found`)
	})
	execs, _, err := b.pl.Executions(ctx, "rb")
	require.NoError(t, err)
	require.Len(t, execs, 3, "no refused rollback started an execution")

	t.Run("Succeeds", func(t *testing.T) {
		w := b.post(t, "/_console/pipelines/rb/rollback", url.Values{"stage": {"Run"}, "target": {first.ID}})
		require.Equal(t, http.StatusSeeOther, w.Code)
		require.Equal(t, "/_console/pipelines/rb?done=rollback", w.Header().Get("Location"))
		rb := b.newest(t, "rb", func(e *plan.Execution) bool { return e.Type == plan.ExecutionRollback && !e.Active() })
		require.Equal(t, plan.StatusSucceeded, rb.Status)
		require.Equal(t, first.ID, rb.RollbackTarget)
		_, body := b.get(t, "/_console/pipelines/rb?done=rollback")
		require.Contains(t, body, `Rollback started.`)
		require.Contains(t, body, fmt.Sprintf(`<a href="/_console/pipelines/rb/executions/%s">%s</a><div class="muted">Rollback to <a href="/_console/pipelines/rb/executions/%s">%s</a></div>`, rb.ID, rb.ID, first.ID, first.ID))
		require.Contains(t, body, "ManualRollback")
		code, page := b.get(t, "/_console/pipelines/rb/executions/"+rb.ID)
		require.Equal(t, http.StatusOK, code)
		require.Contains(t, page, `<div><dt>Type</dt><dd>Rollback</dd></div>`)
		require.Contains(t, page, `<dt>Rollback target</dt><dd class="mono"><a href="/_console/pipelines/rb/executions/`+first.ID+`">`)
		_, page = b.get(t, "/_console/pipelines/rb/executions/"+first.ID)
		require.Contains(t, page, `<div><dt>Type</dt><dd>Standard</dd></div>`)
	})

	t.Run("Outdated", func(t *testing.T) {
		d := v2Declaration("rb")
		d.Version = 1
		d.Stages[2].Actions[0].Configuration["Input"] = `{"v":2}`
		_, err := b.pl.UpdatePipeline(ctx, d)
		require.NoError(t, err)
		w := b.post(t, "/_console/pipelines/rb/rollback", url.Values{"stage": {"Run"}, "target": {first.ID}})
		require.Equal(t, http.StatusBadRequest, w.Code)
		require.Contains(t, stageHTML(t, w.Body.String(), "Run"), "which is not the current version 2")
		require.NotContains(t, stageHTML(t, w.Body.String(), "Run"), "<select", "no execution ran on the new version")
	})
}

// htmlEscape is how html/template writes the quotes of a message.
func htmlEscape(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }

// windowNextYear is a DeploymentWindow that opens only at next New Year's first minute,
// so its rule waits in progress.
func windowNextYear() []plan.Condition {
	return []plan.Condition{{Result: plan.ResultFail, Rules: []plan.Rule{{Name: "Window",
		RuleTypeID:    plan.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "DeploymentWindow", Version: "1"},
		Configuration: map[string]string{"Cron": fmt.Sprintf("* 0 0 1 1 ? %d", time.Now().Year()+1)}}}}}
}

func TestPipelineConditionOverride(t *testing.T) {
	t.Parallel()
	b := setupOps(t)
	ctx := t.Context()
	d := v2Declaration("cond")
	d.Stages[2].BeforeEntry = &plan.ConditionGate{Conditions: windowNextYear()}
	d.Stages[2].OnSuccess = &plan.ConditionGate{Conditions: windowNextYear()}
	_, err := b.pl.CreatePipeline(ctx, d, nil)
	require.NoError(t, err)
	e := b.newest(t, "cond", func(e *plan.Execution) bool {
		run := e.Latest("Approve", "Review")
		return run != nil && run.Token != ""
	})
	require.NoError(t, b.pl.PutApprovalResult(ctx, "cond", "Approve", "Review", "Approved", "", e.Latest("Approve", "Review").Token))
	b.newest(t, "cond", func(x *plan.Execution) bool {
		r := x.LatestRule("Run", plan.ConditionBeforeEntry, "Window")
		return r != nil && r.Result.Summary != ""
	})

	code, body := b.get(t, "/_console/pipelines/cond")
	require.Equal(t, http.StatusOK, code)
	run := stageHTML(t, body, "Run")
	entry := run[strings.Index(run, `aria-label="Entry conditions"`):strings.Index(run, `aria-label="Success conditions"`)]
	require.Contains(t, entry, `<h3>Entry conditions</h3>`)
	require.Contains(t, entry, `In progress`)
	require.Contains(t, entry, `<span class="rule-name">Window</span> <span class="small muted">DeploymentWindow</span>`)
	require.Contains(t, entry, `Waiting for the deployment window`)
	require.Contains(t, entry, `<input type="hidden" name="execution" value="`+e.ID+`"><input type="hidden" name="type" value="BEFORE_ENTRY">`)
	require.Contains(t, entry, `>Override</button>`)
	success := run[strings.Index(run, `aria-label="Success conditions"`):]
	require.Contains(t, success, `Not evaluated`)
	require.NotContains(t, success, `Override`, "only a running condition can be overridden")
	require.NotContains(t, stageHTML(t, body, "Approve"), `class="condition"`)

	errorCases := []struct{ name, stage, kind, exec, where, want string }{
		{"NotRunning", "Run", plan.ConditionOnSuccess, e.ID, "Success conditions", "ConditionNotOverridable"},
		{"UnknownExecution", "Run", plan.ConditionBeforeEntry, "00000000-0000-4000-8000-000000000000", "Entry conditions", "does not exist"},
		{"BadType", "Run", "SOMETIMES", e.ID, "", "Only an entry or success condition can be overridden."},
		{"NoConditionThere", "Approve", plan.ConditionBeforeEntry, e.ID, "", ""},
	}
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			w := b.post(t, "/_console/pipelines/cond/override", url.Values{"stage": {c.stage}, "type": {c.kind}, "execution": {c.exec}})
			require.Equal(t, http.StatusBadRequest, w.Code)
			body := w.Body.String()
			if c.where == "" {
				require.Contains(t, body, `<p class="alert" role="alert">`+c.want, "no condition to put it beside: at the top")
				return
			}
			run := stageHTML(t, body, "Run")
			gate := run[strings.Index(run, `aria-label="`+c.where+`"`):]
			gate = gate[:strings.Index(gate, "</ul>")]
			require.Contains(t, gate, `<p class="field-error" role="alert">`)
			if c.want != "ConditionNotOverridable" {
				require.Contains(t, gate, htmlEscape(c.want))
			}
		})
	}

	w := b.post(t, "/_console/pipelines/cond/override", url.Values{"stage": {"Run"}, "type": {plan.ConditionBeforeEntry}, "execution": {e.ID}})
	require.Equal(t, http.StatusSeeOther, w.Code)
	require.Equal(t, "/_console/pipelines/cond?done=override", w.Header().Get("Location"))
	b.newest(t, "cond", func(x *plan.Execution) bool {
		r := x.LatestRule("Run", plan.ConditionOnSuccess, "Window")
		return r != nil && r.Result.Summary != ""
	})
	_, body = b.get(t, "/_console/pipelines/cond?done=override")
	require.Contains(t, body, "Condition overridden.")
	run = stageHTML(t, body, "Run")
	entry = run[strings.Index(run, `aria-label="Entry conditions"`):strings.Index(run, `aria-label="Success conditions"`)]
	require.Contains(t, entry, "Overridden")
	require.Contains(t, entry, "Abandoned")
	require.NotContains(t, entry, "Override</button>")
	require.Contains(t, run[strings.Index(run, `aria-label="Success conditions"`):], "Override</button>", "now the success condition waits")
}

// BenchmarkPipelinePageWithRollbackTargets renders the page of a V2 pipeline whose Run
// stage succeeded in 100 executions, all offered as rollback targets, with an entry
// condition on it: the page reads the targets and conditions from the snapshot.
func BenchmarkPipelinePageWithRollbackTargets(b *testing.B) {
	ops := setupOps(b)
	d := v2Declaration("many")
	d.Stages = append(d.Stages[:1], d.Stages[2])
	d.Stages[1].BeforeEntry = &plan.ConditionGate{Conditions: []plan.Condition{{Rules: []plan.Rule{{Name: "Check",
		RuleTypeID:    plan.RuleTypeID{Category: "Rule", Owner: "AWS", Provider: "VariableCheck", Version: "1"},
		Configuration: map[string]string{"Variable": "#{codepipeline.PipelineExecutionId}", "Operator": "NE", "Value": "x"}}}}}}
	_, err := ops.pl.CreatePipeline(b.Context(), d, nil)
	require.NoError(b, err)
	for range 100 {
		id, err := ops.pl.StartPipelineExecution(b.Context(), "many", nil, "", nil)
		require.NoError(b, err)
		require.Eventually(b, func() bool {
			e, _, err := ops.pl.Execution(b.Context(), "many", id)
			require.NoError(b, err)
			return !e.Active()
		}, 10*time.Second, time.Millisecond)
	}
	var body string
	for b.Loop() {
		var code int
		if code, body = ops.get(b, "/_console/pipelines/many"); code != http.StatusOK {
			b.Fatalf("status %d", code)
		}
	}
	b.ReportMetric(float64(strings.Count(body, `<option value=`)), "targets")
}
