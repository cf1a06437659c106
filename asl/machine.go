package asl

import (
	"sync"

	"stepline/jsonvalue"
)

// Machine is a parsed state machine definition. Immutable after Parse; safe for
// concurrent use by any number of executions.
type Machine struct {
	graphs  []*graph // graphs[0] is the top level; branches and item processors follow
	timeout int64    // the execution's TimeoutSeconds, 0 for none
	jsonata bool     // top-level QueryLanguage is JSONata

	exprs sync.Map // JSONata expression text → *jsonata.Expr, filled lazily
	paths sync.Map // JSONPath text → *jsonpath.Path, filled lazily
	// selectors maps a path field (selectorKey) to its *payload.Selector, filled lazily.
	selectors sync.Map
	// templates maps a payload template (a *jsonvalue.Object of the definition) to its
	// *payload.Template, filled lazily.
	templates sync.Map
}

// graph is one StartAt/States block: the top level, a Parallel branch or a Map's
// item processor. States refer to each other by index within their graph.
type graph struct {
	start  int
	nodes  []*node
	byName map[string]int
}

// stateType is the Type of a state.
type stateType uint8

const (
	typePass stateType = iota
	typeTask
	typeChoice
	typeWait
	typeSucceed
	typeFail
	typeParallel
	typeMap
)

// typeNames holds the prefix AWS uses for each type's history events
// (PassStateEntered, TaskStateExited, ...).
var typeNames = [...]string{"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}

// pathField is an InputPath/OutputPath/ResultPath: absent (the default "$"), null, or a path.
type pathField struct {
	set  bool
	null bool
	path string
}

// isIdentity reports whether the field leaves the value as it is ("$" or absent).
func (p pathField) isIdentity() bool { return !p.set || (!p.null && p.path == "$") }

// node is one state. Fields irrelevant to its type stay zero.
type node struct {
	name    string
	typ     stateType
	next    int // index of Next in the same graph, -1 when End
	jsonata bool

	enteredType string // "<Type>StateEntered", precomputed to keep transitions cheap
	quotedName  []byte // name as a JSON string literal
	exitedType  string

	inputPath, outputPath, resultPath pathField
	parameters                        any // Parameters (JSONPath) or Arguments (JSONata)
	hasParameters                     bool
	resultSelector                    any
	hasResultSelector                 bool
	result                            any // Pass Result
	hasResult                         bool
	output                            any // JSONata Output
	hasOutput                         bool
	assign                            *assignBlock

	// Task
	resource             string
	task                 resourceInfo
	timeoutSeconds       any // number or "{% %}"
	heartbeatSeconds     any
	timeoutSecondsPath   string
	heartbeatSecondsPath string
	credentials          any // Credentials: {"RoleArn": ...} or its ".$"/JSONata forms
	retry                []retrier
	catch                []catcher

	// Choice
	choices     []*choiceRule
	defaultNext int // -1 when absent

	// Wait
	seconds       any
	timestamp     any
	secondsPath   string
	timestampPath string

	// Fail
	failError, failCause any // string or "{% %}"
	errorPath, causePath string
	hasError, hasCause   bool

	// Parallel
	branches []int // graph indices

	// Map
	processor                      int // graph index
	itemsPath                      pathField
	items                          any
	hasItems                       bool
	itemSelector                   any
	hasItemSelector                bool
	maxConcurrency                 any
	maxConcurrencyPath             string
	toleratedFailurePercentage     any
	toleratedFailurePercentagePath string
	toleratedFailureCount          any
	toleratedFailureCountPath      string
	distributed                    bool
	batcher                        *jsonvalue.Object // ItemBatcher, nil when absent
	label                          string
	run                            *mapRunSpec // Distributed Map only; see maprun.go
}
