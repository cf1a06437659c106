package asl

import (
	"errors"
	"fmt"
	"strings"

	"stepline/jsonvalue"
)

// errBadDefinition wraps every reason Parse rejects a definition. Definitions reach Parse
// after validate accepted them, so these are defensive: Parse must never panic.
var errBadDefinition = errors.New("asl: invalid definition")

// Parse parses a definition that validate accepted. It never panics, whatever the input.
func Parse(definition string) (*Machine, error) {
	v, err := jsonvalue.ParseString(definition)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadDefinition, err)
	}
	root, ok := v.(*jsonvalue.Object)
	if !ok {
		return nil, fmt.Errorf("%w: not an object", errBadDefinition)
	}
	m := &Machine{}
	m.jsonata = str(root, "QueryLanguage") == "JSONata"
	if t, ok := root.Get("TimeoutSeconds"); ok {
		if n, ok := jsonvalue.Int(t); ok && n > 0 {
			m.timeout = n
		}
	}
	if _, err := m.parseGraph(root, m.jsonata); err != nil {
		return nil, err
	}
	return m, nil
}

func str(o *jsonvalue.Object, k string) string {
	v, _ := o.Get(k)
	s, _ := v.(string)
	return s
}

// parseGraph adds the graph described by o (StartAt + States) and its nested graphs.
func (m *Machine) parseGraph(o *jsonvalue.Object, jsonata bool) (int, error) {
	g := &graph{byName: map[string]int{}}
	idx := len(m.graphs)
	m.graphs = append(m.graphs, g)
	states, ok := get(o, "States").(*jsonvalue.Object)
	if !ok {
		return 0, fmt.Errorf("%w: States missing", errBadDefinition)
	}
	for _, name := range states.Keys() {
		g.byName[name] = len(g.nodes)
		g.nodes = append(g.nodes, &node{name: name})
	}
	for i, name := range states.Keys() {
		so, ok := get(states, name).(*jsonvalue.Object)
		if !ok {
			return 0, fmt.Errorf("%w: state %q is not an object", errBadDefinition, name)
		}
		if err := m.parseState(g, g.nodes[i], so, jsonata); err != nil {
			return 0, err
		}
	}
	start, ok := g.byName[str(o, "StartAt")]
	if !ok {
		return 0, fmt.Errorf("%w: StartAt %q is not a state", errBadDefinition, str(o, "StartAt"))
	}
	g.start = start
	return idx, nil
}

func get(o *jsonvalue.Object, k string) any {
	v, _ := o.Get(k)
	return v
}

func has(o *jsonvalue.Object, k string) bool {
	_, ok := o.Get(k)
	return ok
}

func pathOf(o *jsonvalue.Object, k string) pathField {
	v, ok := o.Get(k)
	if !ok {
		return pathField{}
	}
	if v == nil {
		return pathField{set: true, null: true}
	}
	s, _ := v.(string)
	return pathField{set: true, path: s}
}

func (g *graph) target(o *jsonvalue.Object, k string) (int, error) {
	name, ok := get(o, k).(string)
	if !ok {
		return -1, nil
	}
	i, ok := g.byName[name]
	if !ok {
		return -1, fmt.Errorf("%w: %s %q is not a state", errBadDefinition, k, name)
	}
	return i, nil
}

var stateTypes = map[string]stateType{
	"Pass": typePass, "Task": typeTask, "Choice": typeChoice, "Wait": typeWait,
	"Succeed": typeSucceed, "Fail": typeFail, "Parallel": typeParallel, "Map": typeMap,
}

func (m *Machine) parseState(g *graph, n *node, o *jsonvalue.Object, jsonata bool) error {
	t, ok := stateTypes[str(o, "Type")]
	if !ok {
		return fmt.Errorf("%w: state %q has unknown type %q", errBadDefinition, n.name, str(o, "Type"))
	}
	n.typ = t
	n.quotedName = jsonvalue.AppendString(nil, n.name)
	n.enteredType = typeNames[t] + "StateEntered"
	n.exitedType = typeNames[t] + "StateExited"
	switch str(o, "QueryLanguage") {
	case "JSONata":
		jsonata = true
	case "JSONPath":
		jsonata = false
	}
	n.jsonata = jsonata
	var err error
	if n.next, err = g.target(o, "Next"); err != nil {
		return err
	}
	n.inputPath, n.outputPath, n.resultPath = pathOf(o, "InputPath"), pathOf(o, "OutputPath"), pathOf(o, "ResultPath")
	n.parameters, n.hasParameters = o.Get("Parameters")
	if jsonata {
		n.parameters, n.hasParameters = o.Get("Arguments")
	}
	n.resultSelector, n.hasResultSelector = o.Get("ResultSelector")
	n.result, n.hasResult = o.Get("Result")
	n.output, n.hasOutput = o.Get("Output")
	if a, ok := o.Get("Assign"); ok {
		n.assign = &assignBlock{raw: a}
	}
	switch t {
	case typeTask:
		n.resource = str(o, "Resource")
		n.task = parseResource(n.resource)
		n.timeoutSeconds, _ = o.Get("TimeoutSeconds")
		n.heartbeatSeconds, _ = o.Get("HeartbeatSeconds")
		n.timeoutSecondsPath = str(o, "TimeoutSecondsPath")
		n.heartbeatSecondsPath = str(o, "HeartbeatSecondsPath")
		n.credentials, _ = o.Get("Credentials")
	case typeChoice:
		return m.parseChoice(g, n, o)
	case typeWait:
		n.seconds, _ = o.Get("Seconds")
		n.timestamp, _ = o.Get("Timestamp")
		n.secondsPath, n.timestampPath = str(o, "SecondsPath"), str(o, "TimestampPath")
	case typeFail:
		n.failError, n.hasError = o.Get("Error")
		n.failCause, n.hasCause = o.Get("Cause")
		n.errorPath, n.causePath = str(o, "ErrorPath"), str(o, "CausePath")
	case typeParallel:
		branches, _ := get(o, "Branches").([]any)
		for _, b := range branches {
			bo, ok := b.(*jsonvalue.Object)
			if !ok {
				return fmt.Errorf("%w: branch of %q is not an object", errBadDefinition, n.name)
			}
			gi, err := m.parseGraph(bo, jsonata)
			if err != nil {
				return err
			}
			n.branches = append(n.branches, gi)
		}
	case typeMap:
		if err := m.parseMap(n, o, jsonata); err != nil {
			return err
		}
	}
	if t == typeTask || t == typeParallel || t == typeMap {
		if err := parseErrorHandling(g, n, o); err != nil {
			return err
		}
	}
	return nil
}

func (m *Machine) parseMap(n *node, o *jsonvalue.Object, jsonata bool) error {
	proc, ok := get(o, "ItemProcessor").(*jsonvalue.Object)
	if !ok {
		proc, ok = get(o, "Iterator").(*jsonvalue.Object)
	}
	if !ok {
		return fmt.Errorf("%w: Map %q has no ItemProcessor", errBadDefinition, n.name)
	}
	if cfg, ok := get(proc, "ProcessorConfig").(*jsonvalue.Object); ok {
		n.distributed = str(cfg, "Mode") == "DISTRIBUTED"
	}
	gi, err := m.parseGraph(proc, jsonata)
	if err != nil {
		return err
	}
	n.processor = gi
	n.itemsPath = pathOf(o, "ItemsPath")
	n.items, n.hasItems = o.Get("Items")
	n.itemSelector, n.hasItemSelector = o.Get("ItemSelector")
	if !n.hasItemSelector && !jsonata && n.hasParameters {
		// Parameters is the legacy name of ItemSelector on Map states.
		n.itemSelector, n.hasItemSelector = n.parameters, true
	}
	n.hasParameters = false
	n.maxConcurrency, _ = o.Get("MaxConcurrency")
	n.maxConcurrencyPath = str(o, "MaxConcurrencyPath")
	n.toleratedFailurePercentage, _ = o.Get("ToleratedFailurePercentage")
	n.toleratedFailurePercentagePath = str(o, "ToleratedFailurePercentagePath")
	n.toleratedFailureCount, _ = o.Get("ToleratedFailureCount")
	n.toleratedFailureCountPath = str(o, "ToleratedFailureCountPath")
	n.label = str(o, "Label")
	n.batcher, _ = get(o, "ItemBatcher").(*jsonvalue.Object)
	parseMapRun(n, o, proc, jsonata)
	return nil
}

// resourceInfo is what a Task's Resource says about the events it produces and the
// integration that runs it.
type resourceInfo struct {
	kind         TaskKind
	service      string // "lambda", "states", "aws-sdk:s3", ...
	action       string // "invoke", "startExecution", ...
	pattern      string // "", "sync", "sync:2", "waitForTaskToken"
	resourceType string // resourceType of Task* events
	resourceName string // resource of Task* events: action plus pattern suffix
	region       string // from the ARN, empty when it has none
}

// exposesToken reports whether $$.Task.Token exists for the task: callbacks
// (.waitForTaskToken) and activities hand the token to someone who must return it.
func (ri resourceInfo) exposesToken() bool {
	return ri.kind == TaskActivity || ri.pattern == "waitForTaskToken"
}

// parseResource classifies a Task Resource
// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html).
func parseResource(r string) resourceInfo {
	parts := strings.SplitN(r, ":", 7)
	if len(parts) < 6 || parts[0] != "arn" {
		return resourceInfo{kind: TaskService, resourceType: "unknown", resourceName: r}
	}
	region := parts[3]
	switch {
	case parts[2] == "lambda":
		return resourceInfo{kind: TaskLambda, service: "lambda", region: region}
	case parts[2] == "states" && parts[5] == "activity":
		return resourceInfo{kind: TaskActivity, region: region}
	}
	// arn:aws:states:::<service>:<action>[.<pattern>] or arn:aws:states:::aws-sdk:<svc>:<action>
	rest := strings.Join(parts[5:], ":")
	service, action := rest, ""
	if strings.HasPrefix(rest, "aws-sdk:") {
		if i := strings.IndexByte(rest[len("aws-sdk:"):], ':'); i >= 0 {
			service, action = rest[:len("aws-sdk:")+i], rest[len("aws-sdk:")+i+1:]
		}
	} else if i := strings.IndexByte(rest, ':'); i >= 0 {
		service, action = rest[:i], rest[i+1:]
	}
	name := action
	pattern := ""
	if i := strings.IndexByte(action, '.'); i >= 0 {
		action, pattern = action[:i], action[i+1:]
	}
	return resourceInfo{kind: TaskService, service: service, action: action, pattern: pattern,
		resourceType: service, resourceName: name, region: region}
}
