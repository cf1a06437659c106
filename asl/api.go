package asl

import "time"

// This file is the contract between the interpreter and the engines that drive it
// (sfn's durable executor, its in-memory Express runner and `stepline run`). The
// engine feeds Inputs to (*Machine).Step and carries out the Commands of each Decision;
// everything else an execution does happens inside Step.

// ExecutionInfo is what the interpreter knows of the execution it runs: the values of
// the context object's Execution and StateMachine fields.
type ExecutionInfo struct {
	ExecutionARN     string
	Name             string
	StateMachineARN  string
	StateMachineName string
	RoleARN          string
	Type             string // STANDARD or EXPRESS
	StartTime        time.Time
	RedriveCount     int
	RedriveTime      time.Time // zero until redriven
	// MapRuns says the engine runs Distributed Maps as map runs of child executions
	// (ReadItems, StartMapRun); without it their items run inline (maprun.go).
	MapRuns bool
}

// Input is an event from outside the interpreter.
type Input interface{ isInput() }

// Start begins an execution. Input is a jsonvalue value. Seed feeds the execution's
// deterministic random source (States.UUID, States.MathRandom, $uuid, $random, jitter,
// task token nonces), so that replaying the same Inputs reproduces the same history.
type Start struct {
	Info  ExecutionInfo
	Input any
	Seed  uint64
	// InputText, when set, is the input exactly as the caller sent it (it must parse to
	// Input). AWS echoes that text verbatim in ExecutionStarted and in the first states'
	// events until a state changes the value, so the engine should pass it through.
	InputText string
}

// TaskStarted reports that a scheduled task began: an activity worker took it
// (WorkerName set), or a service call was dispatched.
type TaskStarted struct {
	TaskID     string
	WorkerName string
}

// TaskSubmitted reports that a .sync task's request was accepted and the engine now
// waits for it to finish. Output is the submit response (jsonvalue).
type TaskSubmitted struct {
	TaskID string
	Output any
}

// TaskSucceeded reports a task's result (jsonvalue).
type TaskSucceeded struct {
	TaskID string
	Output any
}

// TaskFailed reports a task's failure with its error name and cause. Sent before
// TaskStarted it means the task could not be started at all (an activity that does not
// exist): history then says ActivityScheduleFailed, LambdaFunctionScheduleFailed or
// TaskStartFailed. Error "States.Runtime" is terminal: no Retry or Catch applies.
type TaskFailed struct {
	TaskID string
	Error  string
	Cause  string
}

// TaskTimedOut reports that a task passed its TimeoutSeconds (Heartbeat false) or its
// HeartbeatSeconds (Heartbeat true). The engine measures both from TaskStarted.
type TaskTimedOut struct {
	TaskID    string
	Heartbeat bool
}

// TimerFired reports that a timer asked for by StartTimer is due.
type TimerFired struct {
	TimerID string
}

// Stop aborts the execution (StopExecution). Error and Cause may be empty.
type Stop struct {
	Error string
	Cause string
}

// Redrive restarts a FAILED, TIMED_OUT or ABORTED execution (RedriveExecution): it
// writes ExecutionRedriven and enters again the state where the execution stopped, with
// the input that state had; states that succeeded are not run again. Step returns
// ErrNotRedrivable for a running or succeeded execution.
type Redrive struct{}

func (Start) isInput()         {}
func (TaskStarted) isInput()   {}
func (TaskSubmitted) isInput() {}
func (TaskSucceeded) isInput() {}
func (TaskFailed) isInput()    {}
func (TaskTimedOut) isInput()  {}
func (TimerFired) isInput()    {}
func (Stop) isInput()          {}
func (Redrive) isInput()       {}

// Decision is the result of one Step.
type Decision struct {
	State    *State    // the snapshot to persist with Events
	Events   []Event   // new history events, ids assigned, in order
	Commands []Command // what the engine must do next, in order
}

// Event is one history event. Details is the compact JSON object AWS puts under
// "<type with a lower-case first letter>EventDetails" (for example the details of a
// PassStateEntered are {"name":"Hello","input":"{}","inputDetails":{"truncated":false}}),
// or nil for events without details.
type Event struct {
	ID              int64
	PreviousEventID int64
	Timestamp       time.Time
	Type            string
	Details         []byte
}

// Command is work for the engine.
type Command interface{ isCommand() }

// TaskKind says which family of history events a task produces and who runs it.
type TaskKind int

// The task kinds.
const (
	TaskService  TaskKind = iota // arn:aws:states:::<service>:<action>: Task* events
	TaskActivity                 // arn:aws:states:<r>:<a>:activity:<name>: Activity* events
	TaskLambda                   // a bare Lambda function ARN: LambdaFunction* events
)

// ScheduleTask asks the engine to run a task. The engine answers later with
// TaskStarted, then TaskSucceeded, TaskFailed or TaskTimedOut (and TaskSubmitted for
// .sync patterns) carrying the same TaskID. Outcomes for tasks the interpreter no longer
// waits for (a stopped execution, a second answer) are ignored, so delivery may repeat.
type ScheduleTask struct {
	TaskID           string   // unique within the execution
	StateName        string   // the Task state that asked
	Kind             TaskKind // event family
	Resource         string   // the Resource as written (without pattern suffix parsing)
	Service          string   // for TaskService: "states", "lambda", "http", "aws-sdk:s3"...
	Action           string   // for TaskService: "startExecution", "invoke", ...
	Pattern          string   // "", "sync", "sync:2" or "waitForTaskToken"
	Input            any      // the effective parameters (jsonvalue)
	Token            string   // the task token ($$.Task.Token); see NewTaskToken
	TimeoutSeconds   int64    // 0: none
	HeartbeatSeconds int64    // 0: none
	Region           string
	RoleARN          string // the state's Credentials role; "" means the execution's role
}

// CancelTask tells the engine the interpreter no longer waits for a task (the
// execution stopped, timed out, or a Parallel branch failed): cancel what can be
// cancelled (a nested execution, an activity not yet taken) and drop its outbox row.
type CancelTask struct {
	TaskID string
}

// StartTimer asks for TimerFired{TimerID} at FireAt: Wait states, retry back-off, the
// execution's TimeoutSeconds. A timer with an id already pending replaces it.
type StartTimer struct {
	TimerID string
	FireAt  time.Time
}

// CancelTimer withdraws a timer that is no longer needed.
type CancelTimer struct {
	TimerID string
}

// Close ends the execution. Status is SUCCEEDED, FAILED, TIMED_OUT or ABORTED; Output
// (jsonvalue) is set on success, Error and Cause otherwise.
type Close struct {
	Status string
	Output any
	Error  string
	Cause  string
}

func (ScheduleTask) isCommand() {}
func (CancelTask) isCommand()   {}
func (StartTimer) isCommand()   {}
func (CancelTimer) isCommand()  {}
func (Close) isCommand()        {}
