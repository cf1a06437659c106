package plan

import "time"

// Event kinds: what can happen to a pipeline's executions.
const (
	// EventStart starts an execution (ExecutionID, Trigger, Variables).
	EventStart = "Start"
	// EventActionUpdated records progress of a running action (external id, summary).
	EventActionUpdated = "ActionUpdated"
	// EventActionCompleted ends an action with Status Succeeded or Failed.
	EventActionCompleted = "ActionCompleted"
	// EventApproval answers a Manual approval (Token, Status Approved|Rejected).
	EventApproval = "Approval"
	// EventStop stops an execution (Abandon, Reason).
	EventStop = "Stop"
	// EventRetry retries a failed or stopped stage (Stage, RetryMode).
	EventRetry = "Retry"
	// EventTransition enables or disables a stage's inbound transition.
	EventTransition = "Transition"
	// EventCancel cancels every running execution: the pipeline was updated.
	EventCancel = "Cancel"
	// EventRollback starts a rollback execution (ExecutionID, Stage, Target, Trigger).
	EventRollback = "Rollback"
	// EventOverride overrides the condition being evaluated (Stage, ConditionType).
	EventOverride = "Override"
)

// Retry modes of RetryStageExecution.
const (
	RetryFailedActions = "FAILED_ACTIONS"
	RetryAllActions    = "ALL_ACTIONS"
)

// Event is one input to Next. Only the fields its Kind names are read.
type Event struct {
	Kind              string
	Time              time.Time
	ExecutionID       string
	ActionExecutionID string
	Trigger           ExecTrigger
	Variables         map[string]string
	SourceRevisions   []SourceRevision
	Status            string
	Result            ActionResult
	Token             string
	Stage             string
	Action            string
	RetryMode         string
	Abandon           bool
	Reason            string
	Enabled           bool
	By                string
	// Target is the execution RollbackStage rolls back to.
	Target string `json:",omitempty"`
	// ConditionType is BEFORE_ENTRY or ON_SUCCESS for OverrideStageCondition.
	ConditionType string `json:",omitempty"`
}

// Command kinds: what the engine must do after Next.
const (
	// CommandRunAction starts an action execution with its provider.
	CommandRunAction = "RunAction"
	// CommandAbandonAction forgets a running action execution: its outcome no
	// longer matters (stop-and-abandon, cancellation, supersession).
	CommandAbandonAction = "AbandonAction"
	// CommandExecutionEnded reports that an execution reached a final status.
	CommandExecutionEnded = "ExecutionEnded"
	// CommandRunRule evaluates a rule of a stage condition; its outcome comes back as
	// an EventActionCompleted naming the rule execution id.
	CommandRunRule = "RunRule"
	// CommandAbandonRule forgets a running rule execution.
	CommandAbandonRule = "AbandonRule"
)

// Command is one thing the engine must do.
type Command struct {
	Kind              string
	ExecutionID       string
	ActionExecutionID string
	Stage             string
	Action            string
	Status            string
	// Condition is the condition type of a rule command.
	Condition string `json:",omitempty"`
}
