package plan

import "maps"

// clone deep-copies the runtime so Next never changes its argument.
func (r Runtime) clone() *Runtime {
	out := &Runtime{Seed: r.Seed, Executions: make([]*Execution, len(r.Executions))}
	for i, e := range r.Executions {
		c := *e
		c.Variables = maps.Clone(e.Variables)
		c.Stages = append([]StageRun(nil), e.Stages...)
		c.SourceRevisions = append([]SourceRevision(nil), e.SourceRevisions...)
		c.Actions = make([]*ActionRun, len(e.Actions))
		for k, a := range e.Actions {
			ac := *a
			ac.Result.OutputVariables = maps.Clone(a.Result.OutputVariables)
			ac.Result.OutputArtifacts = append([]ArtifactLocation(nil), a.Result.OutputArtifacts...)
			c.Actions[k] = &ac
		}
		c.Inherited = append([]*ActionRun(nil), e.Inherited...) // never changed in place
		c.Conditions = make([]*ConditionRun, len(e.Conditions))
		for k, cr := range e.Conditions {
			cc := *cr
			c.Conditions[k] = &cc
		}
		c.Rules = make([]*RuleRun, len(e.Rules))
		for k, rr := range e.Rules {
			rc := *rr
			c.Rules[k] = &rc
		}
		out.Executions[i] = &c
	}
	if r.Transitions != nil {
		out.Transitions = make(map[string]*Transition, len(r.Transitions))
		for k, t := range r.Transitions {
			tc := *t
			out.Transitions[k] = &tc
		}
	}
	return out
}
