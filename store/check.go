package store

import "fmt"

// CheckAppend reports what makes p malformed (as opposed to stale), so drivers reject
// it before queueing it: a caller bug must not reach a shared transaction.
func CheckAppend(p HistoryAppendParams) error {
	if p.Execution.ARN == "" {
		return fmt.Errorf("store: history append: empty execution ARN")
	}
	if p.ExpectNextEventID < 1 {
		return fmt.Errorf("store: history append %s: ExpectNextEventID %d < 1", p.Execution.ARN, p.ExpectNextEventID)
	}
	if p.Create && p.ExpectNextEventID != 1 {
		return fmt.Errorf("store: history append %s: Create with ExpectNextEventID %d, want 1", p.Execution.ARN, p.ExpectNextEventID)
	}
	for i, ev := range p.Events {
		if want := p.ExpectNextEventID + int64(i); ev.ID != want {
			return fmt.Errorf("store: history append %s: event %d has id %d, want %d", p.Execution.ARN, i, ev.ID, want)
		}
	}
	for _, t := range p.TimersAdd {
		if t.ID == "" {
			return fmt.Errorf("store: history append %s: timer with empty id", p.Execution.ARN)
		}
	}
	for _, t := range p.TasksAdd {
		if t.ID == "" {
			return fmt.Errorf("store: history append %s: task with empty id", p.Execution.ARN)
		}
	}
	return nil
}
