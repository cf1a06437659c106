package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
	"stepline/store/postgres"
	"stepline/store/postgres/pgtest"
)

// mustOpenNodes opens n stores on one fresh schema, as n nodes sharing a database.
func mustOpenNodes(t *testing.T, n int) []*postgres.DB {
	t.Helper()
	url := pgtest.URL(t)
	dbs := make([]*postgres.DB, n)
	for i := range dbs {
		dbs[i] = pgtest.OpenURL(t, url)
	}
	return dbs
}

// TestNodesClaimEachTimerOnce has three nodes claim the same due timers at once:
// SKIP LOCKED must hand each timer to exactly one of them.
func TestNodesClaimEachTimerOnce(t *testing.T) {
	t.Parallel()
	nodes := mustOpenNodes(t, 3)
	ctx := t.Context()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	const execs, perExec = 20, 10
	for i := range execs {
		p := store.HistoryAppendParams{
			Create: true, ExpectNextEventID: 1,
			Execution: store.Execution{ARN: fmt.Sprintf("e%02d", i), Status: "RUNNING", StartTime: now},
			Events:    []store.HistoryEvent{{ID: 1, Type: "ExecutionStarted", Timestamp: now}},
		}
		for j := range perExec {
			p.TimersAdd = append(p.TimersAdd, store.Timer{ID: fmt.Sprintf("t%d", j), FireAt: now})
		}
		require.NoError(t, nodes[i%3].HistoryAppend(ctx, p))
	}
	var mu sync.Mutex
	claimed := map[string]string{}
	var wg sync.WaitGroup
	errs := make(chan error, 9)
	for n, db := range nodes {
		for w := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- claimAll(ctx, db, fmt.Sprintf("node%d-%d", n, w), now, &mu, claimed)
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, claimed, execs*perExec)
}

// claimAll claims as owner until nothing is left, recording each claim in claimed.
func claimAll(ctx context.Context, db *postgres.DB, owner string, now time.Time, mu *sync.Mutex, claimed map[string]string) error {
	for {
		ts, err := db.TimerClaim(ctx, store.TimerClaimParams{Now: now, Owner: owner, LeaseFor: time.Hour, Limit: 7})
		if err != nil || len(ts) == 0 {
			return err
		}
		mu.Lock()
		for _, tm := range ts {
			key := tm.ExecutionARN + "/" + tm.ID
			if prev := claimed[key]; prev != "" || tm.Owner != owner {
				mu.Unlock()
				return fmt.Errorf("timer %s claimed by %q and %q (row says %q)", key, prev, owner, tm.Owner)
			}
			claimed[key] = owner
		}
		mu.Unlock()
	}
}

// TestNodesWakeEachOther: a timer added through one node wakes the others' pollers.
func TestNodesWakeEachOther(t *testing.T) {
	t.Parallel()
	nodes := mustOpenNodes(t, 2)
	ctx := t.Context()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// The listener connects in the background: retry until a notification lands.
	for attempt := range 50 {
		wake := nodes[1].Wake()
		require.NoError(t, nodes[0].HistoryAppend(ctx, store.HistoryAppendParams{
			Create: true, ExpectNextEventID: 1,
			Execution: store.Execution{ARN: fmt.Sprintf("e%02d", attempt), Status: "RUNNING", StartTime: now},
			Events:    []store.HistoryEvent{{ID: 1, Type: "ExecutionStarted", Timestamp: now}},
			TimersAdd: []store.Timer{{ID: "t", FireAt: now}},
		}))
		select {
		case <-wake:
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
	t.Fatal("node 1 was never woken by node 0's timer")
}
