package plan

import "stepline"

// Stage condition types (ConditionType in the model; ON_FAILURE is ours: the model
// only lets BEFORE_ENTRY and ON_SUCCESS be overridden).
const (
	ConditionBeforeEntry = "BEFORE_ENTRY"
	ConditionOnSuccess   = "ON_SUCCESS"
	ConditionOnFailure   = "ON_FAILURE"
)

// StatusErrored is a condition's status when a rule could not be evaluated at all.
const StatusErrored = "Errored"

// ErrorRuleUnavailable is the error code of a rule whose provider needs an AWS service
// stepline has none of, named like the Step Functions integrations' error
// (docs/integrations.md) so it cannot be mistaken for something AWS said. A condition
// with such a rule ends Errored: it fails the stage but engages no result, so a SKIP
// or ROLLBACK never happens because a rule could not run.
const ErrorRuleUnavailable = "Stepline.IntegrationUnavailable"

// Condition results (Result in the model).
const (
	ResultFail     = "FAIL"
	ResultSkip     = "SKIP"
	ResultRollback = "ROLLBACK"
	ResultRetry    = "RETRY"
)

// ConditionsOf returns the stage's conditions of the type.
func (s *Stage) ConditionsOf(kind string) []Condition {
	switch kind {
	case ConditionBeforeEntry:
		if s.BeforeEntry != nil {
			return s.BeforeEntry.Conditions
		}
	case ConditionOnSuccess:
		if s.OnSuccess != nil {
			return s.OnSuccess.Conditions
		}
	case ConditionOnFailure:
		if s.OnFailure != nil {
			return s.OnFailure.Conditions
		}
	}
	return nil
}

// FindRule returns the declaration of a rule of a stage condition, or nil.
func (p *Pipeline) FindRule(stage, kind, name string) *Rule {
	i := p.StageIndex(stage)
	if i < 0 {
		return nil
	}
	conds := p.Stages[i].ConditionsOf(kind)
	for k := range conds {
		for j := range conds[k].Rules {
			if conds[k].Rules[j].Name == name {
				return &conds[k].Rules[j]
			}
		}
	}
	return nil
}

// LastCondition returns the newest evaluation of the stage's condition of the type, or nil.
func (e *Execution) LastCondition(stage, kind string) *ConditionRun {
	for i := len(e.Conditions) - 1; i >= 0; i-- {
		if c := e.Conditions[i]; c.Stage == stage && c.Type == kind {
			return c
		}
	}
	return nil
}

// Rule returns the rule execution with the id, or nil.
func (e *Execution) Rule(ruleExecutionID string) *RuleRun {
	for _, r := range e.Rules {
		if r.ID == ruleExecutionID {
			return r
		}
	}
	return nil
}

// LatestRule returns the newest execution of the named rule of a stage condition, or nil.
func (e *Execution) LatestRule(stage, kind, rule string) *RuleRun {
	for i := len(e.Rules) - 1; i >= 0; i-- {
		if r := e.Rules[i]; r.Stage == stage && r.Type == kind && r.Rule == rule {
			return r
		}
	}
	return nil
}

func passed(c *ConditionRun) bool {
	return c.Status == StatusSucceeded || c.Status == StatusOverridden
}

// gate decides whether the stage's condition of the kind holds e back. It starts the
// condition's rules when they have not run for this stage attempt (for an entry
// condition: since the stage was entered or last retried after a failed entry) and
// returns true while they run. Rollback executions evaluate no conditions: they
// restore a state that already passed them, and must not roll back again.
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/concepts-how-it-works-conditions.html)
func (r *planner) gate(e *Execution, i int, kind string) bool {
	st := &r.p.Stages[i]
	sr := &e.Stages[i]
	conds := st.ConditionsOf(kind)
	if len(conds) == 0 || e.Type == ExecutionRollback {
		return false
	}
	if sr.Gate != "" {
		return true
	}
	if last := e.LastCondition(st.Name, kind); last != nil {
		if kind == ConditionBeforeEntry && (passed(last) || last.Attempt == sr.Attempt) {
			return false
		}
		if kind != ConditionBeforeEntry && last.Attempt == sr.Attempt {
			return false
		}
	}
	cond := conds[0]
	e.Conditions = append(e.Conditions, &ConditionRun{
		Stage: st.Name, Type: kind, Attempt: sr.Attempt, Result: cond.Result, Status: StatusInProgress, Updated: r.now.Time,
	})
	sr.Gate = kind
	for _, rule := range cond.Rules {
		run := &RuleRun{
			ID: RuleExecutionID(e.ID, st.Name, kind, rule.Name, sr.Attempt), Stage: st.Name, Type: kind, Rule: rule.Name,
			Attempt: sr.Attempt, Status: StatusInProgress, StartTime: r.now.Time, Updated: r.now.Time,
		}
		e.Rules = append(e.Rules, run)
		r.emit(Command{Kind: CommandRunRule, ExecutionID: e.ID, ActionExecutionID: run.ID, Stage: st.Name, Action: rule.Name, Condition: kind})
	}
	e.LastUpdateTime = r.now.Time
	return true
}

// failedGate reports the condition of the kind that failed in this stage attempt, or nil.
func (r *planner) failedGate(e *Execution, i int, kind string) *ConditionRun {
	st := &r.p.Stages[i]
	c := e.LastCondition(st.Name, kind)
	if c == nil || c.Status != StatusFailed || (kind != ConditionBeforeEntry && c.Attempt != e.Stages[i].Attempt) {
		return nil
	}
	return c
}

// ruleEvent records a rule's outcome; the last rule of a condition to finish decides it.
func (r *planner) ruleEvent(e *Execution, ev Event) {
	run := e.Rule(ev.ActionExecutionID)
	if run == nil || run.Status != StatusInProgress {
		return
	}
	mergeResult(&run.Result, ev.Result)
	run.Updated = ev.Time
	e.LastUpdateTime = ev.Time
	if ev.Kind != EventActionCompleted {
		return
	}
	run.Status = ev.Status
	i := r.p.StageIndex(run.Stage)
	if i < 0 || i >= len(e.Stages) || e.Stages[i].Gate != run.Type {
		return
	}
	c := e.LastCondition(run.Stage, run.Type)
	failed, errored := "", ""
	for _, o := range e.Rules {
		if o.Stage != run.Stage || o.Type != run.Type || o.Attempt != c.Attempt {
			continue
		}
		switch {
		case o.Status == StatusInProgress:
			return
		case o.Status == StatusSucceeded:
		case o.Result.ErrorCode == ErrorRuleUnavailable && errored == "":
			errored = ruleFailure(o)
		case failed == "":
			failed = ruleFailure(o)
		}
	}
	e.Stages[i].Gate = ""
	c.Updated = ev.Time
	switch {
	case errored != "":
		c.Status, c.Summary = StatusErrored, errored
	case failed != "":
		c.Status, c.Summary = StatusFailed, failed
	default:
		c.Status = StatusSucceeded
	}
	r.afterGate(e, i, c)
}

func ruleFailure(o *RuleRun) string {
	msg := o.Result.ErrorMessage
	if msg == "" {
		msg = o.Result.Summary
	}
	return "Rule '" + o.Rule + "' failed: " + msg
}

// afterGate carries on once a condition is decided. A passed condition lets the stage
// go on; a failed one engages its result: FAIL fails the stage, SKIP skips it, and
// ROLLBACK fails it and rolls it back. An onFailure condition decides only whether the
// failing stage is rolled back.
func (r *planner) afterGate(e *Execution, i int, c *ConditionRun) {
	if !e.Active() || !e.Holds(i) {
		return
	}
	if passed(c) || c.Type == ConditionOnFailure {
		r.progress(e)
		return
	}
	sr := &e.Stages[i]
	switch {
	case c.Status == StatusErrored:
		sr.Status = StatusFailed
		r.end(e, StatusFailed, c.Summary)
	case c.Result == ResultSkip:
		sr.Status = StatusSkipped
		r.leave(e, i)
	default:
		sr.Status = StatusFailed
		r.end(e, StatusFailed, c.Summary)
		if c.Result == ResultRollback {
			r.autoRollback(e, i)
		}
	}
}

// abandonRules abandons e's running rules: their conditions end Abandoned.
func (r *planner) abandonRules(e *Execution) {
	for _, run := range e.Rules {
		if run.Status != StatusInProgress {
			continue
		}
		run.Status = StatusAbandoned
		run.Updated = r.now.Time
		r.emit(Command{Kind: CommandAbandonRule, ExecutionID: e.ID, ActionExecutionID: run.ID, Stage: run.Stage, Action: run.Rule, Condition: run.Type})
	}
	for i := range e.Stages {
		sr := &e.Stages[i]
		if sr.Gate == "" {
			continue
		}
		if c := e.LastCondition(r.p.Stages[i].Name, sr.Gate); c != nil && c.Status == StatusInProgress {
			c.Status, c.Updated = StatusAbandoned, r.now.Time
		}
		sr.Gate = ""
	}
}

// override is OverrideStageCondition: the condition being evaluated stops evaluating
// its rules, ends Overridden, and lets the execution go on as if it had passed
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_OverrideStageCondition.html).
// Conditions with result SKIP cannot be overridden
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html).
func (r *planner) override(ev Event) *stepline.Error {
	i := r.p.StageIndex(ev.Stage)
	if i < 0 {
		return errorf(CodeStageNotFound, "Stage '%s' not found in pipeline '%s'", ev.Stage, r.p.Name)
	}
	if ev.ConditionType != ConditionBeforeEntry && ev.ConditionType != ConditionOnSuccess {
		return errorf(CodeValidation, "Invalid condition type '%s'. Valid values are BEFORE_ENTRY and ON_SUCCESS", ev.ConditionType)
	}
	e := r.rt.Find(ev.ExecutionID)
	if e == nil {
		return errorf(CodeExecutionNotFound, "Pipeline execution with id '%s' does not exist", ev.ExecutionID)
	}
	if e.PipelineVersion != r.p.Version || i >= len(e.Stages) || !e.Holds(i) || e.Stages[i].Gate != ev.ConditionType {
		return errorf(CodeConditionNotOverridable,
			"No %s condition of stage '%s' is being evaluated in pipeline execution '%s'", ev.ConditionType, ev.Stage, e.ID)
	}
	c := e.LastCondition(ev.Stage, ev.ConditionType)
	if c.Result == ResultSkip {
		return errorf(CodeConditionNotOverridable, "Conditions with result SKIP cannot be overridden")
	}
	r.abandonRules(e)
	c.Status, c.Updated = StatusOverridden, ev.Time
	if ev.By != "" {
		c.Summary = "Overridden by " + ev.By
	}
	e.LastUpdateTime = ev.Time
	r.afterGate(e, i, c)
	return nil
}

// RuleExecutionID derives a rule execution's id from the pipeline execution, the
// condition and the stage attempt, as ActionExecutionID does for actions.
func RuleExecutionID(executionID, stage, kind, rule string, attempt int) string {
	return ActionExecutionID(executionID, stage+"\x00"+kind, rule, attempt)
}
