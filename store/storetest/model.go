package storetest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
)

// model is the store as plain maps: the suite's oracle for random operations.
type model struct {
	records map[[2]string]store.Record
	execs   map[string]store.Execution
	history map[string][]store.HistoryEvent
	timers  map[[2]string]store.Timer
	tasks   map[[2]string]store.Task
}

func newModel() *model {
	return &model{
		records: map[[2]string]store.Record{}, execs: map[string]store.Execution{},
		history: map[string][]store.HistoryEvent{}, timers: map[[2]string]store.Timer{}, tasks: map[[2]string]store.Task{},
	}
}

// testModel applies random operations to the store and to the model and requires the
// same outcome from both after every step [bbolt simulation_test.go].
func testModel(t *testing.T, open Open) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprintf("Seed%d", seed), func(t *testing.T) {
			t.Parallel()
			b := setup(t, open)
			r := rand.New(rand.NewPCG(seed, 42))
			m := newModel()
			now := at(0)
			for step := range 600 {
				now = now.Add(time.Duration(r.IntN(3000)) * time.Millisecond)
				op := r.IntN(100)
				msg := fmt.Sprintf("seed %d step %d op %d", seed, step, op)
				switch {
				case op < 15:
					modelRecordPut(t, b, m, r, msg)
				case op < 20:
					modelRecordDelete(t, b, m, r, msg)
				case op < 25:
					modelRecordList(t, b, m, r, msg)
				case op < 55:
					modelAppend(t, b, m, r, now, msg)
				case op < 65:
					modelTimerClaim(t, b, m, r, now, msg)
				case op < 75:
					modelTaskClaim(t, b, m, r, now, msg)
				case op < 82:
					modelTaskUpdate(t, b, m, r, now, msg)
				case op < 86:
					next, err := b.s.TimerNext(b.ctx, now)
					require.NoError(t, err, msg)
					require.Equal(t, m.timerNext(now), next, msg)
				default:
					modelCompareExecutions(t, b, m, r, msg)
				}
			}
		})
	}
}

func pick[T any](r *rand.Rand, xs ...T) T { return xs[r.IntN(len(xs))] }

func modelRecordPut(t *testing.T, b *bundle, m *model, r *rand.Rand, msg string) {
	key := [2]string{pick(r, "k1", "k2"), pick(r, "a", "b", "c", "d")}
	rec := store.Record{Kind: key[0], Key: key[1], Parent: pick(r, "p1", "p2"), Sort: pick(r, "x", "xy", "y", "yx", ""),
		Data: fmt.Appendf(nil, `{"r":%d}`, r.IntN(1000))}
	old, exists := m.records[key]
	switch {
	case exists && r.IntN(4) > 0:
		rec.Version = old.Version
	default:
		rec.Version = int64(r.IntN(3))
	}
	var want error
	switch {
	case rec.Version == 0 && exists:
		want = store.ErrExists
	case rec.Version > 0 && !exists:
		want = store.ErrNotFound
	case rec.Version > 0 && old.Version != rec.Version:
		want = store.ErrConflict
	}
	got, err := b.s.RecordPut(b.ctx, rec)
	if want != nil {
		require.ErrorIs(t, err, want, msg)
		return
	}
	require.NoError(t, err, msg)
	rec.Version++
	require.Equal(t, rec, got, msg)
	m.records[key] = rec
}

func modelRecordDelete(t *testing.T, b *bundle, m *model, r *rand.Rand, msg string) {
	key := [2]string{pick(r, "k1", "k2"), pick(r, "a", "b", "c", "d")}
	old, exists := m.records[key]
	v := int64(r.IntN(3))
	if exists && r.IntN(2) == 0 {
		v = old.Version
	}
	err := b.s.RecordDelete(b.ctx, key[0], key[1], v)
	switch {
	case !exists:
		require.ErrorIs(t, err, store.ErrNotFound, msg)
	case v != 0 && v != old.Version:
		require.ErrorIs(t, err, store.ErrConflict, msg)
	default:
		require.NoError(t, err, msg)
		delete(m.records, key)
	}
}

func modelRecordList(t *testing.T, b *bundle, m *model, r *rand.Rand, msg string) {
	p := store.RecordListParams{
		Kind: pick(r, "k1", "k2"), Parent: pick(r, "p1", "p2"), AnyParent: r.IntN(3) == 0,
		Prefix: pick(r, "", "", "x", "y", "xy"), Descending: r.IntN(2) == 0, Limit: r.IntN(4),
	}
	if r.IntN(2) == 0 {
		p.AfterSort, p.AfterKey = pick(r, "x", "xy", "y"), pick(r, "a", "b", "c", "d", "")
	}
	var want []store.Record
	for _, rec := range m.records {
		if rec.Kind != p.Kind || (!p.AnyParent && rec.Parent != p.Parent) || !strings.HasPrefix(rec.Sort, p.Prefix) {
			continue
		}
		if p.AfterSort != "" || p.AfterKey != "" {
			c := cmpPair(rec.Sort, rec.Key, p.AfterSort, p.AfterKey)
			if (p.Descending && c >= 0) || (!p.Descending && c <= 0) {
				continue
			}
		}
		want = append(want, rec)
	}
	slices.SortFunc(want, func(a, b store.Record) int {
		c := cmpPair(a.Sort, a.Key, b.Sort, b.Key)
		if p.Descending {
			return -c
		}
		return c
	})
	if p.Limit > 0 && len(want) > p.Limit {
		want = want[:p.Limit]
	}
	got, err := b.s.RecordList(b.ctx, p)
	require.NoError(t, err, msg)
	require.Equal(t, len(want), len(got), msg)
	if len(want) > 0 {
		require.Equal(t, want, got, msg)
	}
}

func cmpPair(a1, a2, b1, b2 string) int {
	if c := strings.Compare(a1, b1); c != 0 {
		return c
	}
	return strings.Compare(a2, b2)
}

func modelAppend(t *testing.T, b *bundle, m *model, r *rand.Rand, now time.Time, msg string) {
	arn := execARN(r.IntN(4))
	old, exists := m.execs[arn]
	p := store.HistoryAppendParams{Create: !exists || r.IntN(10) == 0}
	e := old
	if !exists {
		e = newExecution(arn, now)
	}
	e.Status = pick(r, "RUNNING", "SUCCEEDED")
	e.Snapshot = fmt.Appendf(nil, "s%d", r.IntN(1000))
	p.ExpectNextEventID = max(old.NextEventID, 1)
	if p.Create {
		p.ExpectNextEventID = 1
	} else if r.IntN(6) == 0 {
		p.ExpectNextEventID += int64(r.IntN(3)) - 1
		p.ExpectNextEventID = max(p.ExpectNextEventID, 1)
	}
	p.Execution = e
	p.Events = events(p.ExpectNextEventID, r.IntN(4), "E")
	for range r.IntN(3) {
		p.TimersAdd = append(p.TimersAdd, store.Timer{
			ID: pick(r, "t0", "t1", "t2", "t3"), Kind: "k", FireAt: now.Add(time.Duration(r.IntN(10)-3) * time.Second),
			Data: fmt.Appendf(nil, "%d", r.IntN(100)),
		})
	}
	for range r.IntN(2) {
		p.TimersDelete = append(p.TimersDelete, pick(r, "t0", "t1", "t2", "t3"))
	}
	for range r.IntN(3) {
		p.TasksAdd = append(p.TasksAdd, store.Task{
			ID: pick(r, "k0", "k1", "k2", "k3", "k4", "k5"), Kind: pick(r, "activity", "service"),
			Resource: pick(r, "A", "B"), Token: pick(r, "", "", "tok0", "tok1", "tok2"), State: "scheduled",
			Input: []byte("in"), CreatedAt: now.Add(time.Duration(r.IntN(5)) * time.Second),
		})
	}
	for range r.IntN(2) {
		p.TasksDelete = append(p.TasksDelete, pick(r, "k0", "k1", "k2", "k3", "k4", "k5"))
	}
	err := b.s.HistoryAppend(b.ctx, p)
	want := m.apply(p)
	if want != nil {
		require.ErrorIs(t, err, want, msg)
		return
	}
	require.NoError(t, err, msg)
}

// apply is HistoryAppend on the model; it returns the error the store must return.
func (m *model) apply(p store.HistoryAppendParams) error {
	arn := p.Execution.ARN
	old, exists := m.execs[arn]
	switch {
	case p.Create && exists:
		return store.ErrExists
	case !p.Create && !exists:
		return store.ErrNotFound
	case !p.Create && old.NextEventID != p.ExpectNextEventID:
		return store.ErrConflict
	}
	tasks := map[[2]string]store.Task{}
	for k, v := range m.tasks {
		tasks[k] = v
	}
	for _, id := range p.TasksDelete {
		delete(tasks, [2]string{arn, id})
	}
	for _, tk := range p.TasksAdd {
		key := [2]string{arn, tk.ID}
		if _, taken := tasks[key]; taken {
			return store.ErrExists
		}
		for _, other := range tasks {
			if tk.Token != "" && other.Token == tk.Token {
				return store.ErrExists
			}
		}
		tk.ExecutionARN, tk.Version = arn, 1
		tasks[key] = tk
	}
	m.tasks = tasks
	e := p.Execution
	if !p.Create {
		e.ARN, e.StateMachineARN, e.Name, e.StartTime = old.ARN, old.StateMachineARN, old.Name, old.StartTime
		e.VersionARN, e.AliasARN, e.MapRunARN = old.VersionARN, old.AliasARN, old.MapRunARN
	}
	e.NextEventID = p.ExpectNextEventID + int64(len(p.Events))
	m.execs[arn] = e
	m.history[arn] = append(m.history[arn], p.Events...)
	for _, id := range p.TimersDelete {
		delete(m.timers, [2]string{arn, id})
	}
	for _, tm := range p.TimersAdd {
		tm.ExecutionARN = arn
		m.timers[[2]string{arn, tm.ID}] = tm
	}
	return nil
}

func free(owner string, lease, now time.Time) bool { return owner == "" || lease.Before(now) }

func (m *model) timerNext(now time.Time) time.Time {
	var next time.Time
	for _, tm := range m.timers {
		if free(tm.Owner, tm.LeaseUntil, now) && (next.IsZero() || tm.FireAt.Before(next)) {
			next = tm.FireAt
		}
	}
	return next
}

func modelTimerClaim(t *testing.T, b *bundle, m *model, r *rand.Rand, now time.Time, msg string) {
	p := store.TimerClaimParams{Now: now, Owner: pick(r, "n1", "n2"), LeaseFor: time.Duration(1+r.IntN(5)) * time.Second,
		Limit: r.IntN(3)}
	if r.IntN(3) == 0 {
		p.ExecutionARN = execARN(r.IntN(4))
		p.IDs = []string{pick(r, "t0", "t1"), pick(r, "t2", "t3")}
	}
	var want []store.Timer
	for _, tm := range m.timers {
		if tm.FireAt.After(now) || !free(tm.Owner, tm.LeaseUntil, now) {
			continue
		}
		if p.ExecutionARN != "" && (tm.ExecutionARN != p.ExecutionARN || !slices.Contains(p.IDs, tm.ID)) {
			continue
		}
		want = append(want, tm)
	}
	slices.SortFunc(want, func(a, b store.Timer) int {
		if c := a.FireAt.Compare(b.FireAt); c != 0 {
			return c
		}
		return cmpPair(a.ExecutionARN, a.ID, b.ExecutionARN, b.ID)
	})
	if p.Limit > 0 && len(want) > p.Limit {
		want = want[:p.Limit]
	}
	for i := range want {
		want[i].Owner, want[i].LeaseUntil = p.Owner, now.Add(p.LeaseFor)
		m.timers[[2]string{want[i].ExecutionARN, want[i].ID}] = want[i]
	}
	got, err := b.s.TimerClaim(b.ctx, p)
	require.NoError(t, err, msg)
	require.Equal(t, len(want), len(got), msg)
	if len(want) > 0 {
		require.Equal(t, want, got, msg)
	}
}

func modelTaskClaim(t *testing.T, b *bundle, m *model, r *rand.Rand, now time.Time, msg string) {
	p := store.TaskClaimParams{Now: now, Owner: pick(r, "w1", "w2"), LeaseFor: time.Duration(1+r.IntN(5)) * time.Second,
		Limit: r.IntN(3), Kind: pick(r, "activity", "service"), Resource: pick(r, "", "A", "B"),
		State: pick(r, "scheduled", "started"), NewState: pick(r, "", "started"), WorkerName: pick(r, "", "wk")}
	var want []store.Task
	for _, tk := range m.tasks {
		if tk.Kind != p.Kind || tk.State != p.State || (p.Resource != "" && tk.Resource != p.Resource) ||
			!free(tk.Owner, tk.LeaseUntil, now) {
			continue
		}
		want = append(want, tk)
	}
	slices.SortFunc(want, func(a, b store.Task) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return cmpPair(a.ExecutionARN, a.ID, b.ExecutionARN, b.ID)
	})
	if p.Limit > 0 && len(want) > p.Limit {
		want = want[:p.Limit]
	}
	for i := range want {
		tk := &want[i]
		tk.Owner, tk.LeaseUntil, tk.Version = p.Owner, now.Add(p.LeaseFor), tk.Version+1
		if p.NewState != "" {
			tk.State = p.NewState
		}
		if p.WorkerName != "" {
			tk.WorkerName = p.WorkerName
		}
		m.tasks[[2]string{tk.ExecutionARN, tk.ID}] = *tk
	}
	got, err := b.s.TaskClaim(b.ctx, p)
	require.NoError(t, err, msg)
	require.Equal(t, len(want), len(got), msg)
	if len(want) > 0 {
		require.Equal(t, want, got, msg)
	}
}

func modelTaskUpdate(t *testing.T, b *bundle, m *model, r *rand.Rand, now time.Time, msg string) {
	key := [2]string{execARN(r.IntN(4)), pick(r, "k0", "k1", "k2", "k3", "k4", "k5")}
	old, exists := m.tasks[key]
	up := old
	up.ExecutionARN, up.ID = key[0], key[1]
	if !exists || r.IntN(4) == 0 {
		up.Version = int64(r.IntN(3))
	}
	up.State, up.Owner = pick(r, "scheduled", "started"), pick(r, "", "w1")
	up.LeaseUntil, up.StartedAt, up.WorkerName = now.Add(time.Second), now, pick(r, "", "wk2")
	got, err := b.s.TaskUpdate(b.ctx, up)
	switch {
	case !exists:
		require.ErrorIs(t, err, store.ErrNotFound, msg)
	case up.Version != old.Version:
		require.ErrorIs(t, err, store.ErrConflict, msg)
	default:
		require.NoError(t, err, msg)
		up.Version++
		require.Equal(t, up, got, msg)
		m.tasks[key] = up
	}
}

func modelCompareExecutions(t *testing.T, b *bundle, m *model, r *rand.Rand, msg string) {
	arn := execARN(r.IntN(4))
	want, exists := m.execs[arn]
	got, err := b.s.ExecutionGet(b.ctx, arn)
	if !exists {
		require.ErrorIs(t, err, store.ErrNotFound, msg)
		return
	}
	require.NoError(t, err, msg)
	require.Equal(t, want, got, msg)
	evs := b.history(arn)
	require.Equal(t, len(m.history[arn]), len(evs), msg)
	for i, ev := range evs {
		require.Equal(t, m.history[arn][i], ev, msg)
	}
	for _, tk := range m.tasks {
		if tk.ExecutionARN != arn {
			continue
		}
		got, err := b.s.TaskGet(b.ctx, arn, tk.ID)
		require.NoError(t, err, msg)
		require.Equal(t, tk, got, msg)
		if tk.Token != "" {
			byToken, err := b.s.TaskGetByToken(b.ctx, tk.Token)
			require.NoError(t, err, msg)
			require.True(t, bytes.Equal([]byte(tk.ID), []byte(byToken.ID)), msg)
		}
	}
}
