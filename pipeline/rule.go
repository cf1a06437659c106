package pipeline

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // DeploymentWindow time zones must not depend on the host's zoneinfo

	"stepline/pipeline/action"
	"stepline/pipeline/plan"
	"stepline/store"
)

// Rules of stage conditions run as jobs like actions do (the same outbox task, lease
// and completion event), so a rule being evaluated when the server dies is evaluated
// again after restart. VariableCheck and DeploymentWindow are evaluated here; the
// other providers need AWS services stepline does not have, and fail with
// plan.ErrorRuleUnavailable.

func ruleTask(doc pipelineDoc, c plan.Command, now time.Time) store.Task {
	in, _ := json.Marshal(jobInput{PipelineARN: doc.arn(), ExecutionID: c.ExecutionID, ActionExecutionID: c.ActionExecutionID,
		Stage: c.Stage, Action: c.Action, Condition: c.Condition})
	return store.Task{ExecutionARN: doc.RuntimeARN, ID: c.ActionExecutionID, Kind: taskKind, State: jobScheduled, Input: in, CreatedAt: now}
}

// endedRules lists the rule runs of old that were running and are not in now.
func endedRules(old, now *plan.Execution) []string {
	var ids []string
	for _, r := range old.Rules {
		if r.Status != plan.StatusInProgress {
			continue
		}
		if now == nil {
			ids = append(ids, r.ID)
			continue
		}
		if nr := now.Rule(r.ID); nr == nil || nr.Status != plan.StatusInProgress {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// evaluateRule decides one rule of a condition at now.
func evaluateRule(p plan.Pipeline, e *plan.Execution, in jobInput, now time.Time) (action.Outcome, error) {
	run := e.Rule(in.ActionExecutionID)
	if run == nil || run.Status != plan.StatusInProgress {
		return action.Outcome{}, errJobGone
	}
	rule := p.FindRule(in.Stage, in.Condition, in.Action)
	if rule == nil {
		return ruleFailed("RuleFailed", "rule not found in the pipeline declaration"), nil
	}
	cfg := ResolveConfiguration(p, e, rule.Configuration)
	switch rule.RuleTypeID.Provider {
	case "VariableCheck":
		return variableCheck(cfg), nil
	case "DeploymentWindow":
		return deploymentWindow(cfg, now), nil
	}
	return ruleFailed(plan.ErrorRuleUnavailable, fmt.Sprintf(
		"The rule provider '%s' of rule '%s' needs an AWS service that stepline does not have, so the rule cannot pass here. Use a VariableCheck or DeploymentWindow rule, or override the condition.",
		rule.RuleTypeID.Provider, rule.Name)), nil
}

func ruleFailed(code, msg string) action.Outcome {
	return action.Outcome{Status: plan.StatusFailed, Result: plan.ActionResult{ErrorCode: code, ErrorMessage: msg}}
}

func rulePassed(summary string) action.Outcome {
	return action.Outcome{Status: plan.StatusSucceeded, Result: plan.ActionResult{Summary: summary}}
}

// variableCheck is the VariableCheck rule
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-VariableCheck.html).
// A variable reference that resolves to nothing fails the rule: there is no value to
// compare.
func variableCheck(cfg map[string]string) action.Outcome {
	v, op, want := cfg["Variable"], cfg["Operator"], cfg["Value"]
	if ref := variableRef.FindString(v); ref != "" {
		return ruleFailed("RuleFailed", fmt.Sprintf("The variable %s could not be resolved", ref))
	}
	ok, err := plan.CheckVariable(v, op, want)
	if err != nil {
		return ruleFailed("RuleFailed", strings.ToUpper(err.Error()[:1])+err.Error()[1:])
	}
	if !ok {
		return ruleFailed("RuleFailed", fmt.Sprintf("The variable check failed: '%s' %s '%s' is false", v, op, want))
	}
	return rulePassed(fmt.Sprintf("The variable check passed: '%s' %s '%s'", v, op, want))
}

// deploymentWindow is the DeploymentWindow rule
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html):
// it passes when now, in TimeZone (UTC when omitted), lies in the cron window, and
// otherwise waits for the window to open (a CloudWatchAlarm rule beside it "might
// succeed before the deployment window ... opens", rule-reference-CloudWatchAlarm.html):
// the job parks until then and is evaluated again. A window that does not open within
// five years fails the rule.
func deploymentWindow(cfg map[string]string, now time.Time) action.Outcome {
	c, err := plan.ParseCron(cfg["Cron"])
	if err != nil {
		return ruleFailed("RuleFailed", fmt.Sprintf("The cron expression '%s' is not valid: %s", cfg["Cron"], err))
	}
	loc := time.UTC
	if tz := cfg["TimeZone"]; tz != "" {
		if loc, err = time.LoadLocation(tz); err != nil {
			return ruleFailed("RuleFailed", fmt.Sprintf("The time zone '%s' is not known", tz))
		}
	}
	t := now.In(loc)
	if !c.Matches(t) {
		next, ok := c.Next(t)
		if !ok {
			return ruleFailed("RuleFailed", fmt.Sprintf("The deployment window '%s' does not open in the five years after %s", cfg["Cron"], t.Format("2006-01-02 15:04 MST")))
		}
		return action.Outcome{Status: action.Waiting, Timeout: next.Sub(now),
			Result: plan.ActionResult{Summary: fmt.Sprintf("Waiting for the deployment window '%s' to open at %s", cfg["Cron"], next.Format("2006-01-02 15:04 MST"))}}
	}
	return rulePassed(fmt.Sprintf("%s is inside the deployment window '%s'", t.Format("2006-01-02 15:04 MST"), cfg["Cron"]))
}
