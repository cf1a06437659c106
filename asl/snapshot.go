package asl

import (
	"encoding/json"
	"fmt"
	"time"

	"stepline/jsonvalue"
)

// The snapshot is JSON with short field names: the engine writes one per transition,
// so it stays small, and JSON keeps it readable when debugging a stuck execution.
// Values are embedded as their JSON text and parsed back into the value model.

type stateDTO struct {
	V     int             `json:"v"`
	Info  infoDTO         `json:"i"`
	In    json.RawMessage `json:"in"`
	Rng   uint64          `json:"r"`
	Next  int64           `json:"n"`
	Close bool            `json:"c,omitempty"`
	Timer bool            `json:"t,omitempty"`
	Root  *frameDTO       `json:"f"`
}

type infoDTO struct {
	ARN, Name, SMARN, SMName, Role, Type string
	Start, Redrive                       int64
	RedriveCount                         int `json:",omitempty"`
}

type frameDTO struct {
	G    int             `json:"g"`
	N    int             `json:"n"`
	In   json.RawMessage `json:"in,omitempty"`
	E    int64           `json:"e,omitempty"`
	EP   int64           `json:"ep,omitempty"`
	ET   int64           `json:"et,omitempty"`
	L    int64           `json:"l,omitempty"`
	W    waitKind        `json:"w,omitempty"`
	TID  string          `json:"id,omitempty"`
	Task *taskDTO        `json:"tk,omitempty"`
	R    []int           `json:"r,omitempty"`
	RN   int             `json:"rn,omitempty"`
	Vars json.RawMessage `json:"vs,omitempty"`
	Fan  *fanDTO         `json:"fan,omitempty"`
	F    bool            `json:"f,omitempty"`
	Out  json.RawMessage `json:"o,omitempty"`
	Err  *failureDTO     `json:"err,omitempty"`
	I    int             `json:"i,omitempty"`
	Q    bool            `json:"q,omitempty"`
}

type taskDTO struct {
	ID      string          `json:"id"`
	Params  json.RawMessage `json:"p"`
	Token   string          `json:"tok,omitempty"`
	Started bool            `json:"s,omitempty"`
	Timeout int64           `json:"to,omitempty"`
	Beat    int64           `json:"hb,omitempty"`
}

type failureDTO struct {
	E, C, A   string
	HE, HC, T bool
}

type fanDTO struct {
	Kids     []*frameDTO       `json:"k,omitempty"`
	Results  []json.RawMessage `json:"res"`
	Items    json.RawMessage   `json:"it,omitempty"`
	Keys     []string          `json:"ks,omitempty"`
	Next     int               `json:"n"`
	Running  int               `json:"run"`
	Done     int               `json:"d"`
	Failures int               `json:"fl"`
	MaxConc  int               `json:"mc"`
	TolCount int64             `json:"tc"`
	TolPct   float64           `json:"tp"`
	LastDone int64             `json:"ld"`
	Input    json.RawMessage   `json:"in,omitempty"`
	Failed   *failureDTO       `json:"fe,omitempty"`
}

// MarshalState encodes a State for the store.
func MarshalState(s *State) ([]byte, error) {
	if s == nil {
		return nil, fmt.Errorf("%w: nil state", errInconsistent)
	}
	d := stateDTO{V: 1, In: s.inputText, Rng: s.rng, Next: s.nextID, Close: s.closed, Timer: s.timerSet,
		Info: infoDTO{ARN: s.info.ExecutionARN, Name: s.info.Name, SMARN: s.info.StateMachineARN,
			SMName: s.info.StateMachineName, Role: s.info.RoleARN, Type: s.info.Type,
			Start: unixNano(s.info.StartTime), Redrive: unixNano(s.info.RedriveTime), RedriveCount: s.info.RedriveCount},
		Root: frameToDTO(s.root)}
	return json.Marshal(d)
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func rawOf(v any) json.RawMessage { return jsonvalue.Marshal(v) }

func failureToDTO(fl failure) *failureDTO {
	return &failureDTO{E: fl.Error, C: fl.Cause, A: fl.alias, HE: fl.hasError, HC: fl.hasCause, T: fl.terminal}
}

func (d *failureDTO) failure() failure {
	return failure{Error: d.E, Cause: d.C, alias: d.A, hasError: d.HE, hasCause: d.HC, terminal: d.T}
}

func frameToDTO(f *frame) *frameDTO {
	if f == nil {
		return nil
	}
	d := &frameDTO{G: f.graph, N: f.node, E: f.entered, EP: f.enteredPrev, ET: unixNano(f.enteredAt),
		L: f.last, W: f.wait, TID: f.taskID, R: f.retries, RN: f.retryN, F: f.failed, I: f.index, Q: f.quiet}
	if f.wait != waitDone {
		d.In = f.text
		if d.In == nil {
			d.In = rawOf(f.input)
		}
	}
	if f.task != nil {
		d.Task = &taskDTO{ID: f.task.id, Params: rawOf(f.task.params), Token: f.task.token,
			Started: f.task.started, Timeout: f.task.timeout, Beat: f.task.beat}
	}
	if f.vars != nil && f.vars.vals.Len() > 0 {
		d.Vars = rawOf(f.vars.vals)
	}
	if f.wait == waitDone {
		if f.failed {
			d.Err = failureToDTO(f.err)
		} else {
			d.Out = rawOf(f.output)
		}
	}
	if fo := f.fan; fo != nil {
		fd := &fanDTO{Keys: fo.keys, Next: fo.next, Running: fo.running, Done: fo.done, Failures: fo.failures,
			MaxConc: fo.maxConc, TolCount: fo.tolCount, TolPct: fo.tolPct, LastDone: fo.lastDone, Input: rawOf(fo.input)}
		if fo.items != nil {
			fd.Items = rawOf(fo.items)
		}
		for _, k := range fo.kids {
			fd.Kids = append(fd.Kids, frameToDTO(k))
		}
		fd.Results = make([]json.RawMessage, len(fo.results))
		for i, v := range fo.results {
			fd.Results[i] = rawOf(v)
		}
		if fo.failedErr != nil {
			fd.Failed = failureToDTO(*fo.failedErr)
		}
		d.Fan = fd
	}
	return d
}

// UnmarshalState decodes what MarshalState wrote.
func UnmarshalState(b []byte) (*State, error) {
	var d stateDTO
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("decode state: %w", err)
	}
	if d.V != 1 || d.Root == nil {
		return nil, fmt.Errorf("%w: unknown snapshot version %d", errInconsistent, d.V)
	}
	in, err := jsonvalue.Parse(d.In)
	if err != nil {
		return nil, fmt.Errorf("decode state input: %w", err)
	}
	s := &State{input: in, inputText: append([]byte(nil), d.In...), rng: d.Rng, nextID: d.Next, closed: d.Close, timerSet: d.Timer,
		info: ExecutionInfo{ExecutionARN: d.Info.ARN, Name: d.Info.Name, StateMachineARN: d.Info.SMARN,
			StateMachineName: d.Info.SMName, RoleARN: d.Info.Role, Type: d.Info.Type,
			StartTime: fromUnixNano(d.Info.Start), RedriveTime: fromUnixNano(d.Info.Redrive), RedriveCount: d.Info.RedriveCount}}
	if s.root, err = frameFromDTO(d.Root, nil); err != nil {
		return nil, err
	}
	return s, nil
}

func parseRaw(b json.RawMessage) (any, error) {
	if len(b) == 0 {
		return nil, nil
	}
	return jsonvalue.Parse(b)
}

func frameFromDTO(d *frameDTO, parent *frame) (*frame, error) {
	if d == nil {
		return nil, nil
	}
	f := &frame{graph: d.G, node: d.N, entered: d.E, enteredPrev: d.EP, enteredAt: fromUnixNano(d.ET),
		last: d.L, wait: d.W, taskID: d.TID, retries: d.R, retryN: d.RN, failed: d.F, index: d.I, parent: parent, quiet: d.Q}
	var err error
	if len(d.In) > 0 {
		if f.input, err = parseRaw(d.In); err != nil {
			return nil, fmt.Errorf("decode frame input: %w", err)
		}
		f.text = append([]byte(nil), d.In...)
	}
	var outer *scope
	if parent != nil && !(d.Q && !parent.quiet) {
		// Distributed Map items do not see the enclosing variables.
		outer = parent.vars
	}
	f.vars = newScope(outer)
	if len(d.Vars) > 0 {
		v, err := parseRaw(d.Vars)
		if err != nil {
			return nil, fmt.Errorf("decode variables: %w", err)
		}
		f.vars.vals, _ = v.(*jsonvalue.Object)
	}
	if d.Task != nil {
		params, err := parseRaw(d.Task.Params)
		if err != nil {
			return nil, fmt.Errorf("decode task: %w", err)
		}
		f.task = &taskRun{id: d.Task.ID, params: params, token: d.Task.Token, started: d.Task.Started,
			timeout: d.Task.Timeout, beat: d.Task.Beat}
	}
	if d.Err != nil {
		f.err = d.Err.failure()
	}
	if f.output, err = parseRaw(d.Out); err != nil {
		return nil, fmt.Errorf("decode output: %w", err)
	}
	if fd := d.Fan; fd != nil {
		fo := &fanOut{keys: fd.Keys, next: fd.Next, running: fd.Running, done: fd.Done, failures: fd.Failures,
			maxConc: fd.MaxConc, tolCount: fd.TolCount, tolPct: fd.TolPct, lastDone: fd.LastDone}
		if fo.input, err = parseRaw(fd.Input); err != nil {
			return nil, fmt.Errorf("decode fan input: %w", err)
		}
		if len(fd.Items) > 0 {
			items, err := parseRaw(fd.Items)
			if err != nil {
				return nil, fmt.Errorf("decode items: %w", err)
			}
			fo.items, _ = items.([]any)
		}
		fo.results = make([]any, len(fd.Results))
		for i, rv := range fd.Results {
			if fo.results[i], err = parseRaw(rv); err != nil {
				return nil, fmt.Errorf("decode result: %w", err)
			}
		}
		if fd.Failed != nil {
			fl := fd.Failed.failure()
			fo.failedErr = &fl
		}
		f.fan = fo
		for _, kd := range fd.Kids {
			k, err := frameFromDTO(kd, f)
			if err != nil {
				return nil, err
			}
			fo.kids = append(fo.kids, k)
		}
	}
	return f, nil
}
