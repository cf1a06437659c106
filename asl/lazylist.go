package asl

import "stepline/jsonvalue"

// lazyList holds a Map's items or a fan-out's results together with their JSON texts.
// Snapshots store the texts element by element and decoding parses an element only
// when it is read, so a Step of a large Map costs in proportion to what it touches,
// not to the number of items.
type lazyList struct {
	vals   []any
	texts  [][]byte // nil entries: not known yet (marshalled on demand)
	parsed []bool   // vals[i] holds texts[i]'s value
}

func newLazyList(vals []any) *lazyList {
	return &lazyList{vals: vals, texts: make([][]byte, len(vals)), parsed: trues(len(vals))}
}

func trues(n int) []bool {
	b := make([]bool, n)
	for i := range b {
		b[i] = true
	}
	return b
}

func (l *lazyList) len() int {
	if l == nil {
		return 0
	}
	return len(l.vals)
}

// get returns element i, parsing its text on first use.
func (l *lazyList) get(i int) any {
	if !l.parsed[i] {
		l.parsed[i] = true
		if v, err := jsonvalue.Parse(l.texts[i]); err == nil {
			l.vals[i] = v
		}
	}
	return l.vals[i]
}

// set stores element i; text may be nil.
func (l *lazyList) set(i int, v any, text []byte) {
	l.vals[i], l.texts[i], l.parsed[i] = v, text, true
}

// text returns element i's JSON text, marshalling it once.
func (l *lazyList) text(i int) []byte {
	if l.texts[i] == nil {
		l.texts[i] = jsonvalue.Marshal(l.vals[i])
	}
	return l.texts[i]
}

// all returns every element as a JSON array value.
func (l *lazyList) all() []any {
	out := make([]any, l.len())
	for i := range out {
		out[i] = l.get(i)
	}
	return out
}

func (e *encoder) lazyList(l *lazyList) {
	e.uint(uint64(l.len()))
	for i := 0; i < l.len(); i++ {
		e.bytes(l.text(i))
	}
}

func (d *decoder) lazyList() *lazyList {
	n := d.uint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	l := &lazyList{vals: make([]any, n), texts: make([][]byte, n), parsed: make([]bool, n)}
	for i := range l.texts {
		l.texts[i] = d.bytes()
		if d.err != nil {
			return nil
		}
	}
	return l
}
