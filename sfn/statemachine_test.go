package sfn

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"stepline/internal/clock"
	"stepline/store/sqlite"
)

const (
	testRole = "arn:aws:iam::000000000000:role/r"
	testDef  = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	testDef2 = `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`
)

type testBundle struct {
	ctx context.Context
	s   *Service
}

func setup(t *testing.T) *testBundle { return setupB(t) }

// setupB builds a Service over SQLite in a temporary directory, for tests and benchmarks.
func setupB(tb testing.TB) *testBundle {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "stepline.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { require.NoError(tb, st.Close()) })
	return &testBundle{ctx: tb.Context(), s: New(st, Config{NodeID: "test"})}
}

func (b *testBundle) mustCreate(t *testing.T, name, def string, publish bool) StateMachineCreateResult {
	t.Helper()
	res, err := b.s.StateMachineCreate(b.ctx, StateMachineCreateParams{Name: name, Definition: def, RoleARN: testRole, Publish: publish})
	require.NoError(t, err)
	return res
}

func TestResolveStartTarget(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.mustCreate(t, "R", testDef, true)
	up, err := b.s.StateMachineUpdate(b.ctx, StateMachineUpdateParams{ARN: res.ARN, Definition: ptrTo(testDef2), Publish: true})
	require.NoError(t, err)

	t.Run("Unqualified", func(t *testing.T) {
		tg, err := b.s.resolveStartTarget(b.ctx, res.ARN)
		require.NoError(t, err)
		require.Equal(t, testDef2, tg.Definition)
		require.Equal(t, up.RevisionID, tg.RevisionID)
		require.Empty(t, tg.VersionARN)
		require.NotNil(t, tg.Machine)
		again, err := b.s.resolveStartTarget(b.ctx, res.ARN)
		require.NoError(t, err)
		require.Same(t, tg.Machine, again.Machine, "parsed once, then cached")
	})
	t.Run("Version", func(t *testing.T) {
		tg, err := b.s.resolveStartTarget(b.ctx, res.VersionARN)
		require.NoError(t, err)
		require.Equal(t, testDef, tg.Definition, "a version keeps the definition it was published with")
		require.Equal(t, res.VersionARN, tg.VersionARN)
		require.Equal(t, res.ARN, tg.StateMachineARN)
	})
	t.Run("AliasRoutesByWeight", func(t *testing.T) {
		al, err := b.s.AliasCreate(b.ctx, AliasCreateParams{Name: "split", Routing: []RoutingEntry{
			{VersionARN: res.VersionARN, Weight: 50}, {VersionARN: up.VersionARN, Weight: 50}}})
		require.NoError(t, err)
		seen := map[string]int{}
		for range 200 {
			tg, err := b.s.resolveStartTarget(b.ctx, al.ARN)
			require.NoError(t, err)
			require.Equal(t, al.ARN, tg.AliasARN)
			seen[tg.VersionARN]++
		}
		// 200 fair coin flips all landing on one side has probability 2^-199.
		require.Len(t, seen, 2)
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := b.s.resolveStartTarget(b.ctx, res.ARN+":9")
		require.Equal(t, "StateMachineDoesNotExist", errorCode(err))
		_, err = b.s.resolveStartTarget(b.ctx, res.ARN+"/Map")
		require.Equal(t, "ValidationException", errorCode(err))
		_, err = b.s.resolveStartTarget(b.ctx, "arn:aws:states:us-east-1:000000000000:activity:a")
		require.Equal(t, "InvalidArn", errorCode(err))
		typ, status, err := b.s.stateMachineType(b.ctx, res.VersionARN)
		require.NoError(t, err)
		require.Equal(t, TypeStandard, typ)
		require.Equal(t, StatusActive, status)
		require.Equal(t, "ActivityDoesNotExist", errorCode(b.s.activityExists(b.ctx, "arn:aws:states:us-east-1:000000000000:activity:a")))
	})
}

func TestPublishConcurrently(t *testing.T) {
	t.Parallel()
	b := setup(t)
	res := b.mustCreate(t, "C", testDef, false)
	// Each goroutine makes its own revision and publishes it: every version number is
	// handed out once, whoever wins each race.
	var wg sync.WaitGroup
	arns := make([]string, 8)
	errs := make([]error, 8)
	for i := range arns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			def := fmt.Sprintf(`{"Comment":"%d","StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, i)
			if _, err := b.s.StateMachineUpdate(b.ctx, StateMachineUpdateParams{ARN: res.ARN, Definition: &def}); err != nil {
				errs[i] = err
				return
			}
			v, err := b.s.VersionPublish(b.ctx, res.ARN, "", "")
			arns[i], errs[i] = v.ARN, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	vs, _, err := b.s.VersionList(b.ctx, res.ARN, Page{Max: 1000})
	require.NoError(t, err)
	nums := map[int64]bool{}
	for _, v := range vs {
		require.False(t, nums[v.Number], "version %d handed out twice", v.Number)
		nums[v.Number] = true
	}
}

func TestPageTokenExpires(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "stepline.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, st.Close()) })
	b := &testBundle{ctx: t.Context(), s: New(st, Config{NodeID: "test", Clock: clk})}
	b.mustCreate(t, "a", testDef, false)
	b.mustCreate(t, "b", testDef, false)
	_, next, err := b.s.StateMachineList(b.ctx, Page{Max: 1})
	require.NoError(t, err)
	require.NotEmpty(t, next)
	clk.Advance(TokenMaxAge)
	sms, _, err := b.s.StateMachineList(b.ctx, Page{Max: 1, NextToken: next})
	require.NoError(t, err, "still valid at exactly 24 hours")
	require.Equal(t, "b", sms[0].Name)
	clk.Advance(time.Second)
	_, _, err = b.s.StateMachineList(b.ctx, Page{Max: 1, NextToken: next})
	require.Equal(t, "InvalidToken", errorCode(err))
}

func ptrTo[T any](v T) *T { return &v }
