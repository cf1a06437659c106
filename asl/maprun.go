package asl

import (
	"strings"

	"stepline/jsonvalue"
)

// This file is the Distributed Map's part of the contract (api.go). When the engine
// sets ExecutionInfo.MapRuns, a Distributed Map does not run its items inside this
// execution: it asks the engine to read its items (ReadItems, when it has an
// ItemReader), then to run them as a map run of child executions (StartMapRun), and
// waits for MapRunEnded. Without MapRuns (stepline run, TestState, Express) the items
// run inline as quiet frames, as mapstate.go does, and an ItemReader fails.

// ReadItems asks the engine to read a Distributed Map's items with its ItemReader
// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
// The engine answers ItemsRead with the same TaskID.
type ReadItems struct {
	TaskID       string
	StateName    string
	Resource     string // arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2
	Parameters   any    // the evaluated Parameters (JSONPath) or Arguments (JSONata): Bucket, Key, Prefix...
	ReaderConfig any    // the evaluated ReaderConfig object, nil when absent
}

// ItemsRead answers ReadItems: the items read, or Error and Cause
// (States.ItemReaderFailed), which go through the Map's Retry and Catch.
type ItemsRead struct {
	TaskID string
	Items  []any
	Error  string
	Cause  string
}

// StartMapRun asks the engine to run a Distributed Map's items as a map run: one child
// execution per item (or batch) of the ItemProcessor's definition, at most
// MaxConcurrency at a time. The engine answers MapRunEnded with the same TaskID.
type StartMapRun struct {
	TaskID         string
	MapRunARN      string
	StateName      string
	Label          string // the Map's Label, or its name
	Definition     []byte // the ItemProcessor as a state machine definition (JSON)
	ExecutionType  string // STANDARD or EXPRESS
	Inputs         []any  // each child's input: ItemSelector and ItemBatcher applied
	ItemCount      int    // items before batching
	MaxConcurrency int    // 0: no limit of the Map's own
	// ToleratedFailureCount and ToleratedFailurePercentage are -1 when not set.
	ToleratedFailureCount      int64
	ToleratedFailurePercentage float64
	// WriterResource and WriterParameters are the ResultWriter's Resource and its
	// evaluated Parameters or Arguments (Bucket, Prefix); WriterResource is empty
	// without a ResultWriter.
	WriterResource   string
	WriterParameters any
}

// MapRunEnded reports a map run's end. Status SUCCEEDED carries the Map's result in
// Output (the children's outputs in item order, or the ResultWriterDetails); FAILED
// carries Error and Cause (States.ExceedToleratedFailureThreshold, ...).
type MapRunEnded struct {
	TaskID string
	Status string
	Output any
	Error  string
	Cause  string
}

func (ItemsRead) isInput()   {}
func (MapRunEnded) isInput() {}

func (ReadItems) isCommand()   {}
func (StartMapRun) isCommand() {}

// The waits of a Distributed Map run by the engine; taskID holds the map run ARN.
const (
	waitItems  waitKind = waitDone + 1 + iota // ItemsRead
	waitMapRun                                // MapRunEnded
)

// mapRunSpec is what a Distributed Map keeps beyond an inline Map's fields.
type mapRunSpec struct {
	definition    []byte            // the ItemProcessor as a definition of its own
	executionType string            // STANDARD or EXPRESS
	reader        *jsonvalue.Object // ItemReader, nil when absent
	writer        *jsonvalue.Object // ResultWriter, nil when absent
}

// parseMapRun keeps a Distributed Map's child definition, ItemReader and ResultWriter.
// The child definition is the ItemProcessor without ProcessorConfig; it inherits the
// parent's query language when it does not name one.
func parseMapRun(n *node, o, proc *jsonvalue.Object, jsonata bool) {
	if !n.distributed {
		return
	}
	spec := &mapRunSpec{executionType: "STANDARD"}
	if cfg, ok := get(proc, "ProcessorConfig").(*jsonvalue.Object); ok {
		if t := str(cfg, "ExecutionType"); t != "" {
			spec.executionType = t
		}
	}
	def := jsonvalue.NewObject(proc.Len() + 1)
	if _, ok := proc.Get("QueryLanguage"); !ok && jsonata {
		def.Set("QueryLanguage", "JSONata")
	}
	proc.Range(func(k string, v any) bool {
		if k != "ProcessorConfig" {
			def.Set(k, v)
		}
		return true
	})
	spec.definition = jsonvalue.Marshal(def)
	spec.reader, _ = get(o, "ItemReader").(*jsonvalue.Object)
	spec.writer, _ = get(o, "ResultWriter").(*jsonvalue.Object)
	n.run = spec
}

// mapRunTasks are the engine task ids of a map run: its item read and the run itself.
func mapRunTasks(arn string) (read, run string) {
	id := arn[strings.LastIndexByte(arn, ':')+1:]
	return "items:" + id, "maprun:" + id
}

// execMapRun starts a Distributed Map as a map run: it reads the items first when the
// Map has an ItemReader.
func (r *run) execMapRun(f *frame, n *node) {
	arn := r.mapRunARN(n)
	if n.run.reader == nil {
		r.startMapRun(f, n, arn, nil, false)
		return
	}
	req, fl := r.readerRequest(f, n)
	if fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	req.TaskID, _ = mapRunTasks(arn)
	f.wait, f.taskID = waitItems, arn
	r.d.Commands = append(r.d.Commands, req)
}

// readerRequest evaluates the ItemReader's Parameters (or Arguments) and ReaderConfig.
func (r *run) readerRequest(f *frame, n *node) (ReadItems, *failure) {
	rd := n.run.reader
	req := ReadItems{StateName: n.name, Resource: str(rd, "Resource")}
	var fl *failure
	if n.jsonata {
		states := r.statesVar(f, f.in(), nil, false, nil, nil)
		if a, ok := rd.Get("Arguments"); ok {
			if req.Parameters, fl = r.evalTemplate(f, n, a, states, "ItemReader/Arguments"); fl != nil {
				return req, fl
			}
		}
		if c, ok := rd.Get("ReaderConfig"); ok {
			if req.ReaderConfig, fl = r.evalTemplate(f, n, c, states, "ItemReader/ReaderConfig"); fl != nil {
				return req, fl
			}
		}
		return req, nil
	}
	input, fl := r.applyInputPath(f, n)
	if fl != nil {
		return req, fl
	}
	if p, ok := rd.Get("Parameters"); ok {
		ctx := func() any { return r.contextObject(f, nil) }
		if req.Parameters, fl = r.expand(f, p, input, "ItemReader.Parameters", ctx); fl != nil {
			return req, fl
		}
	}
	if c, ok := get(rd, "ReaderConfig").(*jsonvalue.Object); ok {
		cfg := c.Clone()
		if p := str(c, "MaxItemsPath"); p != "" {
			v, fl := r.selectPath(f, p, input, "MaxItemsPath")
			if fl != nil {
				return req, fl
			}
			cfg.Delete("MaxItemsPath")
			cfg.Set("MaxItems", v)
		}
		req.ReaderConfig = cfg
	}
	return req, nil
}

// itemsRead continues a Map whose items the engine read.
func (r *run) itemsRead(in ItemsRead) {
	f := r.findMapRun(waitItems, in.TaskID)
	if f == nil {
		return
	}
	n := r.node(f)
	f.wait = waitNone
	if in.Error != "" {
		r.handleError(f, n, fail(in.Error, in.Cause))
		r.ready(f)
		return
	}
	arn := f.taskID
	f.taskID = ""
	r.startMapRun(f, n, arn, in.Items, true)
	if f.wait != waitMapRun {
		r.ready(f)
	}
}

// findMapRun returns the frame waiting (wait) for the engine task id.
func (r *run) findMapRun(wait waitKind, id string) *frame {
	var found *frame
	walkFrames(r.s.root, func(f *frame) bool {
		if f.wait != wait {
			return true
		}
		read, run := mapRunTasks(f.taskID)
		if (wait == waitItems && read == id) || (wait == waitMapRun && run == id) {
			found = f
			return false
		}
		return true
	})
	return found
}

// startMapRun evaluates the Map's settings over its items, writes MapStateStarted and
// MapRunStarted, and asks the engine for the map run.
func (r *run) startMapRun(f *frame, n *node, arn string, read []any, hasRead bool) {
	fo := &fanOut{tolCount: -1, tolPct: -1}
	var fl *failure
	if n.jsonata {
		fl = r.mapSetupJSONataItems(f, n, fo, read, hasRead)
	} else {
		fl = r.mapSetupJSONPathItems(f, n, fo, read, hasRead)
	}
	if fl != nil {
		r.handleError(f, n, *fl)
		return
	}
	cmd := StartMapRun{MapRunARN: arn, StateName: n.name, Label: n.label, Definition: n.run.definition,
		ExecutionType: n.run.executionType, MaxConcurrency: fo.maxConc,
		ToleratedFailureCount: fo.tolCount, ToleratedFailurePercentage: fo.tolPct}
	if cmd.Label == "" {
		cmd.Label = n.name
	}
	_, cmd.TaskID = mapRunTasks(arn)
	cmd.Inputs = make([]any, fo.items.len())
	for i := range cmd.Inputs {
		item := fo.items.get(i)
		if fo.batched {
			cmd.Inputs[i] = item
			if o, ok := item.(*jsonvalue.Object); ok {
				if its, ok := o.Get("Items"); ok {
					l, _ := its.([]any)
					cmd.ItemCount += len(l)
				}
			}
			continue
		}
		cmd.ItemCount++
		if cmd.Inputs[i], fl = r.iterationInput(f, n, fo, i, item); fl != nil {
			r.handleError(f, n, *fl)
			return
		}
	}
	if w := n.run.writer; w != nil {
		if cmd.WriterResource, cmd.WriterParameters, fl = r.writerParameters(f, n, w, fo); fl != nil {
			r.handleError(f, n, *fl)
			return
		}
	}
	r.emitOn(f, "MapStateStarted", newDetails().int("length", int64(len(cmd.Inputs))).done())
	r.emitOn(f, "MapRunStarted", newDetails().str("mapRunArn", arn).done())
	f.wait, f.taskID = waitMapRun, arn
	r.d.Commands = append(r.d.Commands, cmd)
}

// writerParameters evaluates the ResultWriter's Parameters (JSONPath) or Arguments
// (JSONata). A ResultWriter with only WriterConfig writes nothing to S3.
func (r *run) writerParameters(f *frame, n *node, w *jsonvalue.Object, fo *fanOut) (string, any, *failure) {
	res := str(w, "Resource")
	if res == "" {
		return "", nil, nil
	}
	if n.jsonata {
		a, ok := w.Get("Arguments")
		if !ok {
			return res, jsonvalue.NewObject(0), nil
		}
		states := r.statesVar(f, f.in(), nil, false, nil, nil)
		v, fl := r.evalTemplate(f, n, a, states, "ResultWriter/Arguments")
		return res, v, fl
	}
	p, ok := w.Get("Parameters")
	if !ok {
		return res, jsonvalue.NewObject(0), nil
	}
	ctx := func() any { return r.contextObject(f, nil) }
	v, fl := r.expand(f, p, fo.in(), "ResultWriter.Parameters", ctx)
	return res, v, fl
}

// mapRunEnded finishes a Map whose map run ended.
func (r *run) mapRunEnded(in MapRunEnded) {
	f := r.findMapRun(waitMapRun, in.TaskID)
	if f == nil {
		return
	}
	n := r.node(f)
	f.wait, f.taskID = waitNone, ""
	if in.Status == "SUCCEEDED" {
		r.emitOn(f, "MapRunSucceeded", nil)
		r.emitFrom(f, f.last, "MapStateSucceeded", nil)
		r.finishWithResult(f, n, in.Output)
		r.ready(f)
		return
	}
	fl := fail(in.Error, in.Cause)
	r.emitOn(f, "MapRunFailed", errorDetails(fl))
	r.handleError(f, n, fl)
	r.ready(f)
}
