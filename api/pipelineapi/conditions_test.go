package pipelineapi_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/stretchr/testify/require"
)

func ruleDecl(name, provider string, cfg map[string]string) types.RuleDeclaration {
	return types.RuleDeclaration{
		Name: aws.String(name),
		RuleTypeId: &types.RuleTypeId{Category: types.RuleCategoryRule, Owner: types.RuleOwnerAws,
			Provider: aws.String(provider), Version: aws.String("1")},
		Configuration: cfg,
	}
}

func isProd(result types.Result) []types.Condition {
	return []types.Condition{{Result: result, Rules: []types.RuleDeclaration{
		ruleDecl("IsProd", "VariableCheck", map[string]string{"Variable": "#{variables.env}", "Operator": "EQ", "Value": "prod"}),
	}}}
}

func TestSDKEntryCondition(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	ctx := t.Context()
	d := flowDeclaration("entry")
	d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultFail)}
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	first := firstExecution(t, b.client, "entry")
	ex := MustFinish(t, b.client, "entry", first)
	require.Equal(t, types.PipelineExecutionStatusFailed, ex.Status)
	require.Contains(t, aws.ToString(ex.StatusSummary), "Rule 'IsProd' failed")

	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("entry")})
	require.NoError(t, err)
	deploy := st.StageStates[1]
	require.Equal(t, types.StageExecutionStatusFailed, deploy.LatestExecution.Status)
	require.Nil(t, deploy.ActionStates[0].LatestExecution, "the stage's actions never ran")
	cs := deploy.BeforeEntryConditionState
	require.Equal(t, types.ConditionExecutionStatusFailed, cs.LatestExecution.Status)
	rule := cs.ConditionStates[0].RuleStates[0]
	require.Equal(t, "IsProd", aws.ToString(rule.RuleName))
	require.Equal(t, types.RuleExecutionStatusFailed, rule.LatestExecution.Status)
	require.Equal(t, "The variable check failed: 'dev' EQ 'prod' is false", aws.ToString(rule.LatestExecution.ErrorDetails.Message))
	require.Nil(t, deploy.OnSuccessConditionState)

	ok := MustStart(t, b.client, "entry", map[string]string{"env": "prod"})
	require.Equal(t, types.PipelineExecutionStatusSucceeded, ok.Status)

	rules, err := b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("entry")})
	require.NoError(t, err)
	require.Len(t, rules.RuleExecutionDetails, 2)
	newest := rules.RuleExecutionDetails[0]
	require.Equal(t, aws.ToString(ok.PipelineExecutionId), aws.ToString(newest.PipelineExecutionId))
	require.Equal(t, types.RuleExecutionStatusSucceeded, newest.Status)
	require.Equal(t, "prod", newest.Input.ResolvedConfiguration["Variable"])
	require.Equal(t, "#{variables.env}", newest.Input.Configuration["Variable"])
	require.Equal(t, "VariableCheck", aws.ToString(newest.Input.RuleTypeId.Provider))

	t.Run("FilterAndPaging", func(t *testing.T) {
		one, err := b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("entry"),
			Filter: &types.RuleExecutionFilter{PipelineExecutionId: aws.String(first)}})
		require.NoError(t, err)
		require.Len(t, one.RuleExecutionDetails, 1)
		require.Equal(t, types.RuleExecutionStatusFailed, one.RuleExecutionDetails[0].Status)

		page, err := b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("entry"), MaxResults: aws.Int32(1)})
		require.NoError(t, err)
		require.Len(t, page.RuleExecutionDetails, 1)
		require.NotNil(t, page.NextToken)
		page2, err := b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("entry"), MaxResults: aws.Int32(1), NextToken: page.NextToken})
		require.NoError(t, err)
		require.Len(t, page2.RuleExecutionDetails, 1)
		require.Nil(t, page2.NextToken)
		require.Equal(t, first, aws.ToString(page2.RuleExecutionDetails[0].PipelineExecutionId))

		_, err = b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("entry"), NextToken: aws.String("garbage")})
		requireAPICode(t, err, "InvalidNextTokenException")
		_, err = b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("entry"),
			Filter: &types.RuleExecutionFilter{PipelineExecutionId: aws.String("00000000-0000-4000-8000-000000000000")}})
		requireAPICode(t, err, "PipelineExecutionNotFoundException")
		_, err = b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("nope")})
		requireAPICode(t, err, "PipelineNotFoundException")
	})
}

func TestSDKEntryConditionSkip(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	ctx := t.Context()
	d := flowDeclaration("skip")
	d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultSkip)}
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	ex := MustFinish(t, b.client, "skip", firstExecution(t, b.client, "skip"))
	require.Equal(t, types.PipelineExecutionStatusSucceeded, ex.Status)
	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("skip")})
	require.NoError(t, err)
	require.Equal(t, types.StageExecutionStatusSkipped, st.StageStates[1].LatestExecution.Status)
	require.Equal(t, types.StageExecutionStatusSucceeded, st.StageStates[2].LatestExecution.Status)
}

func TestSDKSuccessConditions(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	ctx := t.Context()
	window := func(cron string) []types.Condition {
		return []types.Condition{{Result: types.ResultFail, Rules: []types.RuleDeclaration{
			ruleDecl("Window", "DeploymentWindow", map[string]string{"Cron": cron, "TimeZone": "Asia/Tokyo"}),
		}}}
	}
	cases := []struct {
		name, cron string
		want       types.PipelineExecutionStatus
		message    string
	}{
		{"AlwaysOpen", "* * * * * ?", types.PipelineExecutionStatusSucceeded, ""},
		{"NeverOpen", "* 0 0 1 1 ? 2199", types.PipelineExecutionStatusFailed, "The deployment window '* 0 0 1 1 ? 2199' does not open in the five years after"},
	}
	for _, c := range cases {
		d := flowDeclaration(c.name)
		d.Stages[1].OnSuccess = &types.SuccessConditions{Conditions: window(c.cron)}
		_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
		require.NoError(t, err)
		ex := MustFinish(t, b.client, c.name, firstExecution(t, b.client, c.name))
		require.Equal(t, c.want, ex.Status, c.name)
		require.Contains(t, aws.ToString(ex.StatusSummary), c.message)
		st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String(c.name)})
		require.NoError(t, err)
		rule := st.StageStates[1].OnSuccessConditionState.ConditionStates[0].RuleStates[0].LatestExecution
		if c.message == "" {
			require.Contains(t, aws.ToString(rule.Summary), "JST")
		} else {
			require.Contains(t, aws.ToString(rule.ErrorDetails.Message), "JST")
		}
	}

	// A rule whose provider needs an AWS service stepline lacks fails clearly.
	d := flowDeclaration("alarm")
	d.Stages[1].OnSuccess = &types.SuccessConditions{Conditions: []types.Condition{{Result: types.ResultFail, Rules: []types.RuleDeclaration{
		ruleDecl("Alarm", "CloudWatchAlarm", map[string]string{"AlarmName": "errors", "AlarmStates": "ALARM"}),
	}}}}
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	ex := MustFinish(t, b.client, "alarm", firstExecution(t, b.client, "alarm"))
	require.Equal(t, types.PipelineExecutionStatusFailed, ex.Status)
	rules, err := b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("alarm")})
	require.NoError(t, err)
	require.Equal(t, "Stepline.IntegrationUnavailable", aws.ToString(rules.RuleExecutionDetails[0].Output.ExecutionResult.ErrorDetails.Code))
	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("alarm")})
	require.NoError(t, err)
	require.Equal(t, types.ConditionExecutionStatusErrored, st.StageStates[1].OnSuccessConditionState.LatestExecution.Status)
}

func TestSDKOverrideStageCondition(t *testing.T) {
	t.Parallel()
	// The job loop is not started, so the entry condition's rule stays in progress
	// until the override.
	b := setupFlow(t, false)
	ctx := t.Context()
	d := flowDeclaration("override")
	d.Stages[0].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultFail)}
	d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultSkip)}
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	id := firstExecution(t, b.client, "override")
	override := func(stage string, kind types.ConditionType, exec string) error {
		_, err := b.client.OverrideStageCondition(ctx, &cp.OverrideStageConditionInput{PipelineName: aws.String("override"),
			StageName: aws.String(stage), PipelineExecutionId: aws.String(exec), ConditionType: kind})
		return err
	}
	requireAPICode(t, override("Source", types.ConditionTypeOnSuccess, id), "ConditionNotOverridableException")
	requireAPICode(t, override("Deploy", types.ConditionTypeBeforeEntry, id), "ConditionNotOverridableException")
	requireAPICode(t, override("Nope", types.ConditionTypeBeforeEntry, id), "StageNotFoundException")
	requireAPICode(t, override("Source", types.ConditionTypeBeforeEntry, "00000000-0000-4000-8000-000000000000"), "PipelineExecutionNotFoundException")
	requireAPICode(t, override("Source", "SOMETIMES", id), "ValidationException")
	_, err = b.client.OverrideStageCondition(ctx, &cp.OverrideStageConditionInput{PipelineName: aws.String("nope"),
		StageName: aws.String("Source"), PipelineExecutionId: aws.String(id), ConditionType: types.ConditionTypeBeforeEntry})
	requireAPICode(t, err, "PipelineNotFoundException")

	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("override")})
	require.NoError(t, err)
	require.Equal(t, types.ConditionExecutionStatusInProgress, st.StageStates[0].BeforeEntryConditionState.LatestExecution.Status)

	require.NoError(t, override("Source", types.ConditionTypeBeforeEntry, id))
	requireAPICode(t, override("Source", types.ConditionTypeBeforeEntry, id), "ConditionNotOverridableException")
	require.NoError(t, b.svc.Start(t.Context()))
	// Deploy's SKIP condition fails (env is dev), which cannot be overridden.
	ex := MustFinish(t, b.client, "override", id)
	require.Equal(t, types.PipelineExecutionStatusSucceeded, ex.Status)

	st, err = b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("override")})
	require.NoError(t, err)
	source := st.StageStates[0].BeforeEntryConditionState
	require.Equal(t, types.ConditionExecutionStatusOverridden, source.LatestExecution.Status)
	require.Equal(t, types.RuleExecutionStatusAbandoned, source.ConditionStates[0].RuleStates[0].LatestExecution.Status)
	require.Equal(t, types.StageExecutionStatusSkipped, st.StageStates[1].LatestExecution.Status)
	require.Eventually(t, func() bool {
		list, err := b.client.ListRuleExecutions(ctx, &cp.ListRuleExecutionsInput{PipelineName: aws.String("override")})
		require.NoError(t, err)
		return len(list.RuleExecutionDetails) == 2
	}, 10*time.Second, 5*time.Millisecond)
}

func TestSDKListRuleTypes(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	out, err := b.client.ListRuleTypes(t.Context(), &cp.ListRuleTypesInput{})
	require.NoError(t, err)
	var providers []string
	for _, rt := range out.RuleTypes {
		providers = append(providers, aws.ToString(rt.Id.Provider))
		require.Equal(t, types.RuleCategoryRule, rt.Id.Category)
		if aws.ToString(rt.Id.Provider) == "VariableCheck" {
			var names []string
			for _, p := range rt.RuleConfigurationProperties {
				names = append(names, aws.ToString(p.Name))
				require.True(t, p.Required)
			}
			require.Equal(t, []string{"Variable", "Value", "Operator"}, names)
		}
	}
	require.Equal(t, []string{"CloudWatchAlarm", "Commands", "DeploymentWindow", "LambdaInvoke", "VariableCheck"}, providers)
	out, err = b.client.ListRuleTypes(t.Context(), &cp.ListRuleTypesInput{RuleOwnerFilter: types.RuleOwnerAws})
	require.NoError(t, err)
	require.Len(t, out.RuleTypes, 5)
}

func TestSDKConditionValidation(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	ctx := t.Context()
	cases := []struct {
		name    string
		mutate  func(d *types.PipelineDeclaration)
		message string
	}{
		{"V1", func(d *types.PipelineDeclaration) {
			d.PipelineType = types.PipelineTypeV1
			d.Variables = nil
			d.Stages[1].Actions[0].Configuration["FunctionName"] = "f"
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultFail)}
		}, "Stage level conditions can only be used with V2 pipelines."},
		{"EntryRollback", func(d *types.PipelineDeclaration) {
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultRollback)}
		}, "The entry condition of stage 'Deploy' has an invalid result 'ROLLBACK'. Valid results are FAIL and SKIP"},
		{"SuccessSkip", func(d *types.PipelineDeclaration) {
			d.Stages[1].OnSuccess = &types.SuccessConditions{Conditions: isProd(types.ResultSkip)}
		}, "The success condition of stage 'Deploy' has an invalid result 'SKIP'. Valid results are ROLLBACK and FAIL"},
		{"BothResultAndConditions", func(d *types.PipelineDeclaration) {
			d.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback, Conditions: isProd(types.ResultRollback)}
		}, "The following stage cannot have a failure exit gate configured with both top level result and conditions: 'Deploy'"},
		{"UnknownRule", func(d *types.PipelineDeclaration) {
			c := isProd(types.ResultFail)
			c[0].Rules[0].RuleTypeId.Provider = aws.String("Nope")
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: c}
		}, "RuleType (Category: 'Rule', Provider: 'Nope', Owner: 'AWS', Version: '1') in rule 'IsProd' is not available in region"},
		{"MissingConfiguration", func(d *types.PipelineDeclaration) {
			c := isProd(types.ResultFail)
			delete(c[0].Rules[0].Configuration, "Value")
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: c}
		}, "Rule configuration for rule 'IsProd' is missing required configuration 'Value'"},
		{"BadOperator", func(d *types.PipelineDeclaration) {
			c := isProd(types.ResultFail)
			c[0].Rules[0].Configuration["Operator"] = "GT"
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: c}
		}, "Rule configuration for rule 'IsProd' contains an invalid value 'GT' for configuration 'Operator'. Valid values are EQ, NE, CONTAINS and MATCHES"},
		{"BadCron", func(d *types.PipelineDeclaration) {
			d.Stages[1].OnSuccess = &types.SuccessConditions{Conditions: []types.Condition{{Result: types.ResultFail, Rules: []types.RuleDeclaration{
				ruleDecl("W", "DeploymentWindow", map[string]string{"Cron": "0 9 * * *"}),
			}}}}
		}, "Rule configuration for rule 'W' contains an invalid value '0 9 * * *' for configuration 'Cron': a cron expression has 6 or 7 fields, not 5"},
		{"SkipWithWindow", func(d *types.PipelineDeclaration) {
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: types.ResultSkip, Rules: []types.RuleDeclaration{
				ruleDecl("W", "DeploymentWindow", map[string]string{"Cron": "* * * * * ?"}),
			}}}}
		}, "The entry condition of stage 'Deploy' has result SKIP, which only LambdaInvoke and VariableCheck rules support; rule 'W' is DeploymentWindow"},
		{"DuplicateRule", func(d *types.PipelineDeclaration) {
			c := isProd(types.ResultFail)
			c[0].Rules = append(c[0].Rules, c[0].Rules[0])
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: c}
		}, "Rule name 'IsProd' is used more than once in the entry condition of stage 'Deploy'"},
		{"RetryConfigurationWithoutRetry", func(d *types.PipelineDeclaration) {
			d.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback,
				RetryConfiguration: &types.RetryConfiguration{RetryMode: types.StageRetryModeAllActions}}
		}, "Stage 'Deploy' can only have a retry configuration with failure result RETRY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := flowDeclaration("bad" + c.name)
			c.mutate(d)
			_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
			var isd *types.InvalidStageDeclarationException
			require.ErrorAs(t, err, &isd)
			require.Equal(t, c.message, isd.ErrorMessage())
			_, err = b.client.GetPipeline(ctx, &cp.GetPipelineInput{Name: d.Name})
			requireAPICode(t, err, "PipelineNotFoundException")
		})
	}
}

// TestSDKRuleResumesAfterRestart: a rule job written by a server that never ran it (as
// after kill -9) is evaluated by the next server on the same database.
func TestSDKRuleResumesAfterRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	first := setupFlowAt(t, path, false)
	d := flowDeclaration("resume")
	d.Stages[0].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultFail)}
	d.Variables[1].DefaultValue = aws.String("prod")
	_, err := first.client.CreatePipeline(t.Context(), &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	id := firstExecution(t, first.client, "resume")
	st, err := first.client.GetPipelineState(t.Context(), &cp.GetPipelineStateInput{Name: aws.String("resume")})
	require.NoError(t, err)
	require.Equal(t, types.RuleExecutionStatusInProgress, st.StageStates[0].BeforeEntryConditionState.ConditionStates[0].RuleStates[0].LatestExecution.Status)
	first.svc.Stop()

	second := setupFlowAt(t, path, true)
	ex := MustFinish(t, second.client, "resume", id)
	require.Equal(t, types.PipelineExecutionStatusSucceeded, ex.Status)
	rules, err := second.client.ListRuleExecutions(t.Context(), &cp.ListRuleExecutionsInput{PipelineName: aws.String("resume")})
	require.NoError(t, err)
	require.Len(t, rules.RuleExecutionDetails, 1)
	require.Equal(t, types.RuleExecutionStatusSucceeded, rules.RuleExecutionDetails[0].Status)
}

// TestSDKOverrideWaitingWindow: a DeploymentWindow rule outside its window waits for it
// to open; overriding the onSuccess condition lets the execution go on at once.
func TestSDKOverrideWaitingWindow(t *testing.T) {
	t.Parallel()
	b := setupFlow(t, true)
	ctx := t.Context()
	cron := fmt.Sprintf("* 0 0 1 1 ? %d", time.Now().Year()+1) // next New Year's first minute
	d := flowDeclaration("window")
	d.Stages[1].OnSuccess = &types.SuccessConditions{Conditions: []types.Condition{{Result: types.ResultFail, Rules: []types.RuleDeclaration{
		ruleDecl("Window", "DeploymentWindow", map[string]string{"Cron": cron}),
	}}}}
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
	require.NoError(t, err)
	id := firstExecution(t, b.client, "window")
	var rule *types.RuleExecution
	require.Eventually(t, func() bool {
		st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("window")})
		require.NoError(t, err)
		cs := st.StageStates[1].OnSuccessConditionState
		if cs == nil || cs.ConditionStates[0].RuleStates[0].LatestExecution == nil {
			return false
		}
		rule = cs.ConditionStates[0].RuleStates[0].LatestExecution
		return rule.Summary != nil
	}, 10*time.Second, 5*time.Millisecond)
	require.Equal(t, types.RuleExecutionStatusInProgress, rule.Status)
	require.Contains(t, aws.ToString(rule.Summary), "Waiting for the deployment window")

	_, err = b.client.OverrideStageCondition(ctx, &cp.OverrideStageConditionInput{PipelineName: aws.String("window"),
		StageName: aws.String("Deploy"), PipelineExecutionId: aws.String(id), ConditionType: types.ConditionTypeOnSuccess})
	require.NoError(t, err)
	require.Equal(t, types.PipelineExecutionStatusSucceeded, MustFinish(t, b.client, "window", id).Status)
	st, err := b.client.GetPipelineState(ctx, &cp.GetPipelineStateInput{Name: aws.String("window")})
	require.NoError(t, err)
	cs := st.StageStates[1].OnSuccessConditionState
	require.Equal(t, types.ConditionExecutionStatusOverridden, cs.LatestExecution.Status)
	require.Equal(t, types.RuleExecutionStatusAbandoned, cs.ConditionStates[0].RuleStates[0].LatestExecution.Status)
}

// BenchmarkEntryConditionExecution measures whole executions over the API of the
// three-stage flow pipeline (PARALLEL mode, so they do not wait for each other), with
// and without a VariableCheck entry condition on the middle stage: the difference is
// the rule job's two durable writes. Each execution is observed by polling.
func BenchmarkEntryConditionExecution(b *testing.B) {
	fb := setupFlow(b, true)
	ctx := context.Background()
	for _, withCondition := range []bool{false, true} {
		name := map[bool]string{false: "NoCondition", true: "EntryCondition"}[withCondition]
		d := flowDeclaration(name)
		if withCondition {
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: isProd(types.ResultFail)}
		}
		d.Variables[1].DefaultValue = aws.String("prod")
		d.ExecutionMode = types.ExecutionModeParallel
		if _, err := fb.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d}); err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				benchExecution(b, fb.client, name)
			}
		})
	}
}

func benchExecution(b *testing.B, c *cp.Client, name string) {
	ctx := context.Background()
	out, err := c.StartPipelineExecution(ctx, &cp.StartPipelineExecutionInput{Name: aws.String(name)})
	if err != nil {
		b.Fatal(err)
	}
	for {
		ex, err := c.GetPipelineExecution(ctx, &cp.GetPipelineExecutionInput{PipelineName: aws.String(name), PipelineExecutionId: out.PipelineExecutionId})
		if err != nil {
			b.Fatal(err)
		}
		switch ex.PipelineExecution.Status {
		case types.PipelineExecutionStatusSucceeded:
			return
		case types.PipelineExecutionStatusInProgress:
			time.Sleep(200 * time.Microsecond)
		default:
			b.Fatal(ex.PipelineExecution.Status)
		}
	}
}
