package jsonata

import (
	"math/rand/v2"
	"time"
)

// frame is one scope of variable bindings. Frames are small, so bindings are kept
// in slices rather than a map.
type frame struct {
	parent *frame
	names  []string
	values []any
}

// newFrame opens a scope inside parent.
func newFrame(parent *frame) *frame { return &frame{parent: parent} }

// bind sets a variable in this scope, replacing an earlier binding of the name.
func (f *frame) bind(name string, v any) {
	for i, n := range f.names {
		if n == name {
			f.values[i] = v
			return
		}
	}
	f.names = append(f.names, name)
	f.values = append(f.values, v)
}

// evaluator holds the state of one Eval call: the host environment and the limits.
type evaluator struct {
	env      *Env
	depth    int
	maxDepth int
	steps    int
	maxSteps int
	rng      *rand.Rand
	sigs     map[string]*signature
}

// evalState is everything one evaluation starts with, in one allocation: the
// evaluator and the root scope binding $$ to the input.
type evalState struct {
	ev     evaluator
	root   frame
	names  [1]string
	values [1]any
}

// newEvalState prepares an evaluation with env's limits (or the defaults).
func newEvalState(env *Env, input any) *evalState {
	st := &evalState{ev: evaluator{env: env, maxDepth: env.MaxDepth, maxSteps: env.MaxSteps}}
	if st.ev.maxDepth <= 0 {
		st.ev.maxDepth = MaxDepthDefault
	}
	if st.ev.maxSteps <= 0 {
		st.ev.maxSteps = MaxStepsDefault
	}
	st.names[0], st.values[0] = "$", input
	st.root.names, st.root.values = st.names[:], st.values[:]
	return st
}

// random returns the evaluation's random source, seeded from Env.Now so that the
// package reads no entropy of its own.
func (ev *evaluator) random() *rand.Rand {
	if ev.rng == nil {
		seed := uint64(ev.env.Now.UnixNano())
		ev.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	}
	return ev.rng
}

// lookup resolves a variable: the frames first, then the host's variables and
// functions, then $now and $millis, then the built-ins, the order in which
// jsonata-js chains its environments.
func (ev *evaluator) lookup(f *frame, name string) (any, bool) {
	for ; f != nil; f = f.parent {
		for i := len(f.names) - 1; i >= 0; i-- {
			if f.names[i] == name {
				return f.values[i], true
			}
		}
	}
	if v, ok := ev.env.Vars[name]; ok {
		return v, true
	}
	// Host functions come before $now, $millis and the built-ins, so Step
	// Functions can replace $random with its seedable one.
	if fn, ok := ev.env.Funcs[name]; ok {
		return ev.hostFunc(name, fn), true
	}
	switch name {
	case "now":
		return &native{name: "now", sig: mustSignature("<s?s?:s>"), arity: 2, fn: ev.fnNow}, true
	case "millis":
		return &native{name: "millis", sig: mustSignature("<:n>"), arity: 0, fn: ev.fnMillis}, true
	}
	if b := builtin(name); b != nil {
		return b, true
	}
	return undefinedValue{}, false
}

// fnNow is $now: Env.Now as an ISO 8601 timestamp, or by picture and timezone.
func (ev *evaluator) fnNow(c call, args []any) (any, error) {
	return fromMillis(float64(ev.env.Now.UnixMilli()), arg(args, 0), arg(args, 1))
}

// fnMillis is $millis: Env.Now in milliseconds since the epoch.
func (ev *evaluator) fnMillis(c call, args []any) (any, error) {
	return float64(ev.env.Now.UnixMilli()), nil
}

// hostFunc adapts an Env.Funcs entry to a native function.
func (ev *evaluator) hostFunc(name string, fn Func) *native {
	var sig *signature
	if text, ok := ev.env.Signatures[name]; ok {
		if ev.sigs == nil {
			ev.sigs = map[string]*signature{}
		}
		if s, ok := ev.sigs[name]; ok {
			sig = s
		} else if s, err := parseSignature(text); err == nil {
			ev.sigs[name] = s
			sig = s
		}
	}
	arity := 1
	if sig != nil {
		arity = len(sig.params)
	}
	return &native{name: name, sig: sig, arity: arity, fn: func(c call, args []any) (any, error) {
		ext := make([]any, len(args))
		for i, a := range args {
			if isUndef(a) {
				ext[i] = a
			} else {
				ext[i] = externalize(a)
			}
		}
		v, ok, err := fn(ext)
		if err != nil {
			return nil, err
		}
		if !ok {
			return undefinedValue{}, nil
		}
		return v, nil
	}}
}

// now is used by datetime formatting when a picture needs the current time.
func (ev *evaluator) now() time.Time { return ev.env.Now }
