package sfn

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"stepline"
	"stepline/store"
)

// DefaultMaxOpenExecutions is AWS's quota of open Standard executions per account and
// region (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html,
// "Maximum open executions": 1,000,000). Express executions do not count.
const DefaultMaxOpenExecutions = 1_000_000

// openCountPage is how many rows one store read takes when counting open executions.
const openCountPage = 1000

// openExecutions enforces the open-execution quota cheaply. For each account and
// region it keeps an upper bound of the open executions: the exact count read from the
// store (at the first start after the process began, and whenever the bound reaches
// the limit), plus every start this node admitted since. Executions only close
// between counts, so the bound never undercounts this node's executions; a start is
// refused only after a fresh count says the limit is really reached. The store is
// the truth, so the bound is right across restarts without being persisted.
//
// With several nodes on one database each node admits against its own bound, so the
// nodes together can overshoot the limit by the starts the others made since this
// node last counted.
type openExecutions struct {
	limit  int64
	mu     sync.Mutex
	scopes map[string]*openBound // account/region scope → bound; guarded by mu
}

// openBound is one account and region's bound.
type openBound struct {
	counted bool  // the store was counted since the process began
	bound   int64 // open executions at the last count plus starts admitted since
}

func newOpenExecutions(limit int64) *openExecutions {
	if limit <= 0 {
		limit = DefaultMaxOpenExecutions
	}
	return &openExecutions{limit: limit, scopes: make(map[string]*openBound)}
}

// admitExecution reserves room for one more open Standard execution of the state
// machine smARN, or answers ExecutionLimitExceeded with AWS's message. A start that
// then fails, closes at once or turns out to repeat a running one keeps its place in
// the bound until the next count corrects it.
func (s *Service) admitExecution(ctx context.Context, smARN string) error {
	scope, ok := arnScope(smARN)
	if !ok {
		a, err := ParseARN(smARN)
		if err != nil {
			return err
		}
		scope = "arn:" + a.Partition + ":states:" + a.Region + ":" + a.Account + ":"
	}
	return s.open.admit(ctx, s.store, scope)
}

// arnScope returns "arn:<partition>:states:<region>:<account>:", the part of a
// resolved state machine ARN that names its account and region, without allocating.
func arnScope(arn string) (string, bool) {
	colons := 0
	for i := 0; i < len(arn); i++ {
		if arn[i] == ':' {
			colons++
			if colons == 5 {
				return arn[:i+1], true
			}
		}
	}
	return "", false
}

// admit reserves a place among the open executions of scope, an
// "arn:<partition>:states:<region>:<account>:" prefix.
func (o *openExecutions) admit(ctx context.Context, st store.Store, scope string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	b := o.scopes[scope]
	if b == nil {
		b = &openBound{}
		o.scopes[scope] = b
	}
	if !b.counted || b.bound >= o.limit {
		n, err := countOpen(ctx, st, scope+arnTypeExecution+":", o.limit)
		if err != nil {
			return err
		}
		b.counted, b.bound = true, n
	}
	if b.bound >= o.limit {
		return executionLimitExceeded()
	}
	b.bound++
	return nil
}

// countOpen counts the open executions whose ARNs start with prefix, up to limit.
// Distributed Map children count too: they are Standard executions of the account.
func countOpen(ctx context.Context, st store.Store, prefix string, limit int64) (int64, error) {
	var n int64
	p := store.ExecutionListParams{Open: true, Limit: openCountPage}
	for n < limit {
		rows, err := st.ExecutionList(ctx, p)
		if err != nil {
			return 0, fmt.Errorf("count open executions: %w", err)
		}
		for _, ex := range rows {
			if strings.HasPrefix(ex.ARN, prefix) {
				n++
			}
		}
		if len(rows) < openCountPage {
			break
		}
		last := rows[len(rows)-1]
		p.BeforeStart, p.BeforeARN = last.StartTime, last.ARN
	}
	return n, nil
}

// executionLimitExceeded is AWS's error for a start over the quota (API_StartExecution,
// ExecutionLimitExceeded: "The maximum number of running executions has been reached.
// Running executions must end or be stopped before a new execution can be started.").
func executionLimitExceeded() *stepline.Error {
	return stepline.Errorf("ExecutionLimitExceeded",
		"The maximum number of running executions has been reached. Running executions must end or be stopped before a new execution can be started.")
}
