package plan

import (
	"slices"
	"time"
)

// Pipeline execution statuses (PipelineExecutionStatus in the CodePipeline model).
const (
	StatusInProgress = "InProgress"
	StatusSucceeded  = "Succeeded"
	StatusFailed     = "Failed"
	StatusStopped    = "Stopped"
	StatusStopping   = "Stopping"
	StatusSuperseded = "Superseded"
	StatusCancelled  = "Cancelled"
	// StatusAbandoned is an action's status after stop-and-abandon.
	StatusAbandoned = "Abandoned"
	// StatusSkipped is a stage's status when an entry condition with result SKIP failed.
	StatusSkipped = "Skipped"
	// StatusOverridden is a condition's status after OverrideStageCondition.
	StatusOverridden = "Overridden"
)

// Execution types (ExecutionType in the model).
const (
	ExecutionStandard = "STANDARD"
	ExecutionRollback = "ROLLBACK"
)

// Runtime is everything the planner knows about one pipeline's executions: the
// engine stores it as a snapshot and feeds it back to Next with each event.
type Runtime struct {
	// Seed is a secret the engine draws when the pipeline is created; approval
	// tokens are derived from it so they cannot be guessed from execution ids.
	Seed string
	// Executions are every execution kept, oldest first.
	Executions []*Execution
	// Transitions holds the inbound transitions that were ever changed, by stage.
	Transitions map[string]*Transition
}

// Transition is the state of a stage's inbound transition.
type Transition struct {
	Enabled       bool
	Reason        string
	LastChangedBy string
	LastChangedAt time.Time
}

// Execution is one pipeline execution.
type Execution struct {
	ID              string
	PipelineVersion int
	Status          string
	StatusSummary   string
	Trigger         ExecTrigger
	StartTime       time.Time
	LastUpdateTime  time.Time
	Variables       map[string]string // resolved pipeline-level variables
	// Stage is the index of the stage the execution is in or waiting for.
	Stage int
	// Inbound is true while the execution waits in front of Stage.
	Inbound bool
	// Stages has one entry per declared stage, empty until the stage is entered.
	Stages []StageRun
	// StageNames names Stages' entries: the stages of PipelineVersion, so an edit
	// that removes, adds or reorders stages does not lend one stage's run to another.
	StageNames []string `json:",omitempty"`
	// Actions is every action execution, in start order; retries add new ones.
	Actions []*ActionRun
	// SourceRevisions override what source actions fetch (StartPipelineExecution).
	SourceRevisions []SourceRevision `json:",omitempty"`
	// StopReason and StopAbandon record a stop request.
	StopReason  string
	StopAbandon bool
	// Type is ExecutionRollback for a rollback execution, "" for a standard one.
	Type string `json:",omitempty"`
	// RollbackTarget is the execution whose revisions a rollback execution restores.
	RollbackTarget string `json:",omitempty"`
	// Inherited are the target's succeeded runs of the stages before the rolled-back
	// one: a rollback execution reads their artifacts and output variables.
	Inherited []*ActionRun `json:",omitempty"`
	// Conditions is every evaluation of a stage condition, in start order.
	Conditions []*ConditionRun `json:",omitempty"`
	// Rules is every rule execution, in start order.
	Rules []*RuleRun `json:",omitempty"`
}

// ConditionRun is one evaluation of a stage's condition (beforeEntry, onSuccess or
// onFailure) during one stage attempt.
type ConditionRun struct {
	Stage   string
	Type    string // ConditionBeforeEntry, ConditionOnSuccess or ConditionOnFailure
	Attempt int
	// Result is the declared result, engaged when the condition fails.
	Result  string
	Status  string
	Summary string `json:",omitempty"`
	Updated time.Time
}

// RuleRun is one rule execution of a condition.
type RuleRun struct {
	ID        string // ruleExecutionId
	Stage     string
	Type      string // the condition type
	Rule      string
	Attempt   int
	Status    string
	StartTime time.Time
	Updated   time.Time
	Result    ActionResult
}

// ExecTrigger says what started an execution (ExecutionTrigger in the model).
type ExecTrigger struct {
	Type   string
	Detail string
}

// SourceRevision makes a source action fetch a given revision instead of the latest:
// RevisionType is COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID or S3_OBJECT_KEY.
type SourceRevision struct {
	ActionName    string
	RevisionType  string
	RevisionValue string
}

// StageRun is an execution's progress through one stage.
type StageRun struct {
	Status string
	// Attempt counts entries and retries of the stage, from 1.
	Attempt int
	// Base is the first attempt whose succeeded actions still count: a FAILED_ACTIONS
	// retry keeps it, an ALL_ACTIONS retry moves it to the new attempt.
	Base        int
	ManualRetry int
	AutoRetry   int // automatic retries used (onFailure RETRY allows one)
	// Gate is the type of the condition whose rules are running, "" when none.
	Gate string `json:",omitempty"`
}

// ActionRun is one action execution.
type ActionRun struct {
	ID        string // actionExecutionId
	Stage     string
	Action    string
	Attempt   int // the stage attempt it belongs to
	Status    string
	StartTime time.Time
	Updated   time.Time
	Token     string // approval token, Manual approvals only
	Result    ActionResult
}

// ActionResult is what an action provider reports.
type ActionResult struct {
	Summary             string
	ExternalExecutionID string
	ExternalURL         string
	ErrorCode           string
	ErrorMessage        string
	OutputVariables     map[string]string
	OutputArtifacts     []ArtifactLocation
	UpdatedBy           string
	// ContinuationToken is what a job worker asked to be handed back with the next
	// job for the same action (PutJobSuccessResult with a continuation token).
	ContinuationToken string
}

// ArtifactLocation is where an action stored one output artifact.
type ArtifactLocation struct {
	Name   string
	Bucket string
	Key    string
	// ObjectVersion is the artifact object's version id ("" when unversioned).
	ObjectVersion string
	// Revision is the source revision the artifact holds (a commit id, the source
	// object's version id), for source actions.
	Revision string
}

// Find returns the execution with the id, or nil.
func (r *Runtime) Find(id string) *Execution {
	for _, e := range r.Executions {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// TransitionEnabled reports whether executions may enter the stage.
func (r *Runtime) TransitionEnabled(stage string) bool {
	t, ok := r.Transitions[stage]
	return !ok || t.Enabled
}

// StageRunOf returns the execution's run of the stage named name, which is stage i of
// the pipeline's version current; ok is false when the execution did not enter it.
// Executions of another version are matched by stage name; those recorded before
// stage names were kept count only when of the current version.
func (e *Execution) StageRunOf(name string, i, current int) (run StageRun, ok bool) {
	j := -1
	switch {
	case len(e.StageNames) > 0:
		j = slices.Index(e.StageNames, name)
	case e.PipelineVersion == current:
		j = i
	}
	if j < 0 || j >= len(e.Stages) || e.Stages[j].Attempt == 0 {
		return StageRun{}, false
	}
	return e.Stages[j], true
}

// Active reports whether the execution has not ended.
func (e *Execution) Active() bool {
	return e.Status == StatusInProgress || e.Status == StatusStopping
}

// Latest returns the newest run of the named action in the stage, or nil.
func (e *Execution) Latest(stage, action string) *ActionRun {
	for i := len(e.Actions) - 1; i >= 0; i-- {
		if a := e.Actions[i]; a.Stage == stage && a.Action == action {
			return a
		}
	}
	return nil
}

// Produced returns the run of the action whose artifacts and variables the execution
// sees: its own latest run or, in a rollback execution, the one it inherited.
func (e *Execution) Produced(stage, action string) *ActionRun {
	if run := e.Latest(stage, action); run != nil {
		return run
	}
	for _, a := range e.Inherited {
		if a.Stage == stage && a.Action == action {
			return a
		}
	}
	return nil
}

// ExecutionType is the execution's ExecutionType: STANDARD or ROLLBACK.
func (e *Execution) ExecutionType() string {
	if e.Type == "" {
		return ExecutionStandard
	}
	return e.Type
}

// Run returns the action run with the id, or nil.
func (e *Execution) Run(actionExecutionID string) *ActionRun {
	for _, a := range e.Actions {
		if a.ID == actionExecutionID {
			return a
		}
	}
	return nil
}

// Holds reports whether the execution is inside (not in front of) stage i.
func (e *Execution) Holds(i int) bool {
	return e.Active() && e.Stage == i && !e.Inbound
}

// stageNames lists the pipeline's stage names in order.
func (p *Pipeline) stageNames() []string {
	names := make([]string, len(p.Stages))
	for i, st := range p.Stages {
		names[i] = st.Name
	}
	return names
}
