package sqlite_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/store"
	"stepline/store/sqlite"
	"stepline/store/storetest"
)

// crashChildEnv switches this test binary into the crash child: it holds the path of
// the database the child appends to until it is killed.
const crashChildEnv = "STEPLINE_SQLITE_CRASH_CHILD"

const crashExecutions = 24

func crashARN(i int) string {
	return fmt.Sprintf("arn:aws:states:us-east-1:000000000000:execution:sm:crash-%02d", i)
}

// TestCrashDurability kills a process that is appending transitions with SIGKILL at
// a random moment, reopens the database and requires it whole: every execution's
// history contiguous, its snapshot and timer those of its last transition, and every
// transition the child saw accepted still there. Four rounds, on one database.
func TestCrashDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills child processes")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	acked := map[string]int64{}
	for round := range 4 {
		runCrashChild(t, path, acked)
		db, err := sqlite.Open(path)
		require.NoError(t, err)
		storetest.Check(t, db)
		checkCrashState(t, db, acked)
		require.NoError(t, db.Close())
		t.Logf("round %d: %d transitions acknowledged in all", round, sumAcked(acked))
	}
}

func sumAcked(acked map[string]int64) int64 {
	var n int64
	for _, v := range acked {
		n += (v - 1) / 2
	}
	return n
}

// runCrashChild runs the child until it has acknowledged some transitions, kills it
// after a random delay, and records the highest acknowledged event id per execution.
func runCrashChild(t *testing.T, path string, acked map[string]int64) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	started := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		sc := bufio.NewScanner(out)
		n := 0
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) != 3 || f[0] != "ack" {
				continue
			}
			id, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				continue
			}
			mu.Lock()
			acked[f[1]] = max(acked[f[1]], id)
			mu.Unlock()
			if n++; n == 100 {
				once.Do(func() { close(started) })
			}
		}
	}()
	select {
	case <-started:
	case <-readDone:
		_ = cmd.Wait()
		t.Fatal("crash child exited before acknowledging 100 transitions")
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("crash child acknowledged nothing for a minute")
	}
	// The kill lands at a random point of the child's work: the delay is the test.
	<-time.After(time.Duration(50+rand.IntN(700)) * time.Millisecond)
	require.NoError(t, cmd.Process.Kill())
	<-readDone
	err = cmd.Wait()
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr, "the child must die of the kill")
}

// checkCrashState requires each execution to be exactly as its last committed
// transition left it.
func checkCrashState(t *testing.T, db *sqlite.DB, acked map[string]int64) {
	t.Helper()
	ctx := context.Background()
	for i := range crashExecutions {
		arn := crashARN(i)
		e, err := db.ExecutionGet(ctx, arn)
		if errors.Is(err, store.ErrNotFound) {
			require.Zero(t, acked[arn], "execution %s acknowledged but missing", arn)
			continue
		}
		require.NoError(t, err)
		last := e.NextEventID - 1
		require.GreaterOrEqual(t, last, acked[arn], "execution %s lost acknowledged transitions", arn)
		require.Equal(t, strconv.FormatInt(last, 10), string(e.Snapshot), "execution %s snapshot", arn)
		evs, err := db.HistoryList(ctx, store.HistoryListParams{ExecutionARN: arn, Reverse: true, Limit: 1})
		require.NoError(t, err)
		require.Len(t, evs, 1)
		require.Equal(t, last, evs[0].ID)
		require.Equal(t, e.Snapshot, evs[0].Details, "execution %s last event", arn)
		if last > 1 {
			ts, err := db.TimerClaim(ctx, store.TimerClaimParams{
				Now: time.Unix(1<<40, 0), Owner: "check", LeaseFor: time.Second, ExecutionARN: arn, IDs: []string{"t"},
			})
			require.NoError(t, err)
			require.Len(t, ts, 1, "execution %s timer", arn)
			require.Equal(t, e.Snapshot, ts[0].Data, "execution %s timer is the last transition's", arn)
			tk, err := db.TaskGet(ctx, arn, "k")
			require.NoError(t, err)
			require.Equal(t, e.Snapshot, tk.Input, "execution %s task is the last transition's", arn)
		}
	}
}

// TestCrashChild is the child process of TestCrashDurability; it appends until killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("run by TestCrashDurability")
	}
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range crashExecutions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := crashAppendLoop(ctx, db, crashARN(i)); err != nil {
				fmt.Fprintln(os.Stderr, "crash child:", err)
				os.Exit(3)
			}
		}()
	}
	wg.Wait()
}

// crashAppendLoop appends two-event transitions to arn forever; each transition's
// snapshot, last event, timer and task all carry the transition's last event id.
func crashAppendLoop(ctx context.Context, db *sqlite.DB, arn string) error {
	e, err := db.ExecutionGet(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		e = store.Execution{ARN: arn, StateMachineARN: "sm", Name: arn[len(arn)-8:], Status: "RUNNING",
			StartTime: time.Unix(1700000000, 0), Snapshot: []byte("1")}
		err = db.HistoryAppend(ctx, store.HistoryAppendParams{Create: true, Execution: e, ExpectNextEventID: 1,
			Events: []store.HistoryEvent{{ID: 1, Type: "ExecutionStarted", Timestamp: e.StartTime, Details: []byte("1")}}})
		e.NextEventID = 2
	}
	if err != nil {
		return err
	}
	for {
		first, last := e.NextEventID, e.NextEventID+1
		mark := []byte(strconv.FormatInt(last, 10))
		e.Snapshot = mark
		err := db.HistoryAppend(ctx, store.HistoryAppendParams{
			Execution: e, ExpectNextEventID: first,
			Events: []store.HistoryEvent{
				{ID: first, PreviousEventID: first - 1, Type: "TaskStateEntered", Details: []byte(`{"name":"x"}`)},
				{ID: last, PreviousEventID: first, Type: "TaskScheduled", Details: mark},
			},
			TimersDelete: []string{"t"},
			TimersAdd:    []store.Timer{{ID: "t", Kind: "heartbeat", FireAt: time.Unix(1700000000, 0), Data: mark}},
			TasksDelete:  []string{"k"},
			TasksAdd:     []store.Task{{ID: "k", Kind: "activity", State: "scheduled", Token: arn + "/" + string(mark), Input: mark}},
		})
		if err != nil {
			return err
		}
		e.NextEventID = last + 1
		// One write(2) per line: the parent sees it even if the kill follows at once.
		if _, err := fmt.Fprintf(os.Stdout, "ack %s %d\n", arn, last); err != nil {
			return err
		}
	}
}
