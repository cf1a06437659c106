package sfn

import (
	"encoding/json"
	"fmt"
	"time"

	"stepline/store"
)

// Execution statuses, as AWS spells them.
const (
	ExecRunning        = "RUNNING"
	ExecSucceeded      = "SUCCEEDED"
	ExecFailed         = "FAILED"
	ExecTimedOut       = "TIMED_OUT"
	ExecAborted        = "ABORTED"
	ExecPendingRedrive = "PENDING_REDRIVE"
)

// execDoc is the service document kept in store.Execution.Data: what DescribeExecution
// and DescribeStateMachineForExecution need beyond the indexed columns, and the
// executor's bookkeeping of the timers and tasks the execution owns.
type execDoc struct {
	Input       string `json:"in"`
	Output      string `json:"out,omitempty"`
	HasOutput   bool   `json:"ho,omitempty"`
	Error       string `json:"err,omitempty"`
	Cause       string `json:"cause,omitempty"`
	TraceHeader string `json:"th,omitempty"`
	Type        string `json:"type"`
	SMName      string `json:"smn"`
	RoleARN     string `json:"role"`
	// DefinitionKey names the definition the execution runs (see execution_definition.go),
	// kept so that an update of the state machine never changes a running execution and
	// DescribeStateMachineForExecution returns what actually ran.
	DefinitionKey string `json:"def"`
	RevisionID    string `json:"rev,omitempty"`
	Seed          uint64 `json:"seed"`

	RedriveCount int       `json:"rc,omitempty"`
	RedriveDate  time.Time `json:"rd,omitzero"`
	// RedriveTokens are the recent RedriveExecution client tokens and when they were used.
	RedriveTokens map[string]time.Time `json:"rt,omitempty"`

	// Parent is set on an execution started by a states:startExecution task, so that
	// its end wakes that task.
	Parent *parentRef `json:"parent,omitempty"`
	// MapRun is set on a Distributed Map's child, so that its end reaches the run.
	MapRun *mapRunRef `json:"mr,omitempty"`

	// Tasks are the tasks the interpreter waits for, by task id.
	Tasks map[string]taskMeta `json:"tasks,omitempty"`
	// Timers are the ids of this execution's pending store timers, so closing the
	// execution can remove them all in the same write.
	Timers map[string]bool `json:"timers,omitempty"`
}

// parentRef names the task of another execution waiting for this one.
type parentRef struct {
	ExecutionARN string `json:"arn"`
	TaskID       string `json:"task"`
	Pattern      string `json:"pattern,omitempty"` // "", "sync" or "sync:2"
}

// taskMeta is what the executor needs to know about an open task after it was
// scheduled: its deadlines (armed when it starts) and the nested execution it runs.
type taskMeta struct {
	Kind      string `json:"kind"`
	Timeout   int64  `json:"to,omitempty"`
	Heartbeat int64  `json:"hb,omitempty"`
	Started   bool   `json:"st,omitempty"`
	Child     string `json:"child,omitempty"`
	MapRun    string `json:"mr,omitempty"` // the map run a map run task runs
}

func decodeExecDoc(ex store.Execution) (*execDoc, error) {
	var d execDoc
	if err := json.Unmarshal(ex.Data, &d); err != nil {
		return nil, fmt.Errorf("decode execution %s: %w", ex.ARN, err)
	}
	return &d, nil
}

func (d *execDoc) encode() []byte {
	b, _ := json.Marshal(d) // strings, numbers and maps of them: cannot fail
	return b
}

// isClosed reports whether an execution has ended (a redrivable failure is closed too).
func isClosed(status string) bool { return status != ExecRunning }
