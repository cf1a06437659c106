package sfn

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"stepline"
	"stepline/store"
)

// kindMapRun is the record of a Distributed Map run. Key: map run ARN; Parent: the
// execution that runs the Map; Sort: zero-padded start time in nanoseconds.
const kindMapRun = "maprun"

// Map run statuses, as DescribeMapRun reports them.
const (
	MapRunRunning   = "RUNNING"
	MapRunSucceeded = "SUCCEEDED"
	MapRunFailed    = "FAILED"
	MapRunAborted   = "ABORTED"
)

// mapRunDoc is a map run's record: what DescribeMapRun reports and what the
// coordinator (maprun_run.go) needs to go on after a restart. The children's inputs
// stay in the parent's outbox task (they can be large); the children's outputs stay in
// the children.
type mapRunDoc struct {
	ARN             string    `json:"arn"`
	ExecutionARN    string    `json:"ex"`   // the parent execution
	TaskID          string    `json:"task"` // the parent's outbox task of this run
	StateMachineARN string    `json:"sm"`   // the children's: <parent state machine>/<label>
	StateName       string    `json:"state"`
	ExecutionType   string    `json:"type"`
	RoleARN         string    `json:"role"`
	DefinitionKey   string    `json:"def"`
	Status          string    `json:"status"`
	StartDate       time.Time `json:"start"`
	StopDate        time.Time `json:"stop,omitzero"`
	Error           string    `json:"err,omitempty"`
	Cause           string    `json:"cause,omitempty"`

	MaxConcurrency int     `json:"mc"`
	TolCount       int64   `json:"tc"` // -1: not set
	TolPct         float64 `json:"tp"` // -1: not set

	Total     int    `json:"total"` // child executions (items or batches)
	ItemTotal int    `json:"items"` // items before batching
	Next      int    `json:"next"`  // children [0, Next) were asked for
	Launched  int    `json:"launched"`
	Done      []byte `json:"done"` // bitmap of children whose end was counted
	Succeeded int    `json:"ok"`
	Failed    int    `json:"failed"`
	TimedOut  int    `json:"timedOut"`
	Aborted   int    `json:"aborted"`
	Written   int    `json:"written"` // results written by the ResultWriter

	WriterBucket string `json:"wb,omitempty"`
	WriterPrefix string `json:"wp,omitempty"`
	HasWriter    bool   `json:"hw,omitempty"`
}

func (d *mapRunDoc) done(i int) bool {
	return i >= 0 && i/8 < len(d.Done) && d.Done[i/8]&(1<<(i%8)) != 0
}

func (d *mapRunDoc) setDone(i int) {
	if n := i/8 + 1; len(d.Done) < n {
		d.Done = append(d.Done, make([]byte, n-len(d.Done))...)
	}
	d.Done[i/8] |= 1 << (i % 8)
}

func (d *mapRunDoc) ended() int   { return d.Succeeded + d.Failed + d.TimedOut + d.Aborted }
func (d *mapRunDoc) running() int { return d.Next - d.ended() }

// failures counts the children that did not succeed, which the tolerance applies to.
func (d *mapRunDoc) failures() int { return d.Failed + d.TimedOut + d.Aborted }

// tolerated reports whether the failures so far stay within the tolerance. Without
// ToleratedFailureCount or ToleratedFailurePercentage no failure is tolerated
// (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html#maprun-fail-threshold).
func (d *mapRunDoc) tolerated() bool {
	f := d.failures()
	if f == 0 {
		return true
	}
	if d.TolCount >= 0 && int64(f) <= d.TolCount {
		return true
	}
	if d.TolPct >= 0 && d.Total > 0 && float64(f)*100/float64(d.Total) <= d.TolPct {
		return true
	}
	return false
}

// MapRunCounts are a map run's item or execution counts.
type MapRunCounts struct {
	Pending, Running, Succeeded, Failed, TimedOut, Aborted, Total, ResultsWritten int64
	FailuresNotRedrivable, PendingRedrive                                         int64
}

// MapRun is a map run as DescribeMapRun reports it.
type MapRun struct {
	ARN                        string
	ExecutionARN               string
	StateMachineARN            string // the children's state machine (<name>/<label>)
	Status                     string
	StartDate                  time.Time
	StopDate                   time.Time
	MaxConcurrency             int
	ToleratedFailurePercentage float64
	ToleratedFailureCount      int64
	ItemCounts                 MapRunCounts
	ExecutionCounts            MapRunCounts
	RedriveCount               int
	RedriveDate                time.Time
}

func (d *mapRunDoc) describe() MapRun {
	m := MapRun{ARN: d.ARN, ExecutionARN: d.ExecutionARN, StateMachineARN: d.StateMachineARN, Status: d.Status,
		StartDate: d.StartDate, StopDate: d.StopDate, MaxConcurrency: d.MaxConcurrency}
	if d.TolPct >= 0 {
		m.ToleratedFailurePercentage = d.TolPct
	}
	if d.TolCount >= 0 {
		m.ToleratedFailureCount = d.TolCount
	}
	c := MapRunCounts{
		Pending: int64(d.Total - d.Next), Running: int64(d.running()), Succeeded: int64(d.Succeeded),
		Failed: int64(d.Failed), TimedOut: int64(d.TimedOut), Aborted: int64(d.Aborted), Total: int64(d.Total),
		ResultsWritten: int64(d.Written),
	}
	if d.Status != MapRunRunning {
		// Children never started once the run ended are not pending any more.
		c.Pending = 0
	}
	m.ExecutionCounts = c
	// Items are counted as the children that carry them; with ItemBatcher one child
	// carries several items, so the item total is the items read.
	m.ItemCounts = c
	if d.ItemTotal != d.Total && d.Total > 0 {
		scale := func(n int64) int64 {
			return new(big.Int).Div(new(big.Int).Mul(big.NewInt(n), big.NewInt(int64(d.ItemTotal))), big.NewInt(int64(d.Total))).Int64()
		}
		ic := MapRunCounts{Pending: scale(c.Pending), Running: scale(c.Running), Succeeded: scale(c.Succeeded),
			Failed: scale(c.Failed), TimedOut: scale(c.TimedOut), Aborted: scale(c.Aborted), Total: int64(d.ItemTotal),
			ResultsWritten: scale(c.ResultsWritten)}
		m.ItemCounts = ic
	}
	return m
}

func mapRunNotFound(arn string) *stepline.Error {
	return &stepline.Error{Code: "ResourceNotFound", Message: "Resource not found: '" + arn + "'",
		Fields: map[string]any{"resourceName": arn}}
}

// loadMapRun returns a map run's record, mapping not found to AWS's error.
func (s *Service) loadMapRun(ctx context.Context, arn string) (mapRunDoc, store.Record, error) {
	if _, err := parseARNOf(arn, arnTypeMapRun); err != nil {
		return mapRunDoc{}, store.Record{}, err
	}
	d, rec, err := getDoc[mapRunDoc](ctx, s.store, kindMapRun, arn)
	if errors.Is(err, store.ErrNotFound) {
		return d, rec, mapRunNotFound(arn)
	}
	if err != nil {
		return d, rec, fmt.Errorf("load map run %s: %w", arn, err)
	}
	return d, rec, nil
}

// DescribeMapRun describes a Distributed Map run.
func (s *Service) DescribeMapRun(ctx context.Context, arn string) (MapRun, error) {
	d, _, err := s.loadMapRun(ctx, arn)
	if err != nil {
		return MapRun{}, err
	}
	return d.describe(), nil
}

// ListMapRuns lists the map runs an execution started, newest first.
func (s *Service) ListMapRuns(ctx context.Context, executionARN string, pg Page) ([]MapRun, string, error) {
	if _, _, err := s.loadExecution(ctx, executionARN); err != nil {
		return nil, "", err
	}
	lp := store.RecordListParams{Kind: kindMapRun, Parent: executionARN, Descending: true, Limit: pg.size() + 1}
	now := s.cfg.Clock.Now()
	if pg.NextToken != "" {
		t, err := decodeToken(pg.NextToken, now)
		if err != nil {
			return nil, "", err
		}
		lp.AfterSort, lp.AfterKey = t.S, t.K
	}
	recs, err := s.store.RecordList(ctx, lp)
	if err != nil {
		return nil, "", fmt.Errorf("list map runs: %w", err)
	}
	next := ""
	if len(recs) > pg.size() {
		recs = recs[:pg.size()]
		next = encodeToken(recs[len(recs)-1], now)
	}
	out := make([]MapRun, 0, len(recs))
	for _, r := range recs {
		d, _, err := getDoc[mapRunDoc](ctx, s.store, kindMapRun, r.Key)
		if err != nil {
			return nil, "", fmt.Errorf("load map run %s: %w", r.Key, err)
		}
		out = append(out, d.describe())
	}
	return out, next, nil
}

// UpdateMapRunParams are UpdateMapRun's changes; nil leaves a setting as it is.
type UpdateMapRunParams struct {
	MapRunARN                  string
	MaxConcurrency             *int64
	ToleratedFailurePercentage *float64
	ToleratedFailureCount      *int64
}

// UpdateMapRun changes a running map run's concurrency and failure tolerance
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateMapRun.html).
// A higher MaxConcurrency starts more children at once; a tolerance the failures
// already exceed fails the run at once.
func (s *Service) UpdateMapRun(ctx context.Context, p UpdateMapRunParams) error {
	if err := checkMapRunUpdate(p); err != nil {
		return err
	}
	if _, _, err := s.loadMapRun(ctx, p.MapRunARN); err != nil {
		return err
	}
	return s.eng.updateMapRun(ctx, p)
}

// checkMapRunUpdate applies UpdateMapRun's model constraints.
func checkMapRunUpdate(p UpdateMapRunParams) error {
	if p.MaxConcurrency == nil && p.ToleratedFailurePercentage == nil && p.ToleratedFailureCount == nil {
		return &stepline.Error{Code: "ValidationException", Message: "Must specify at least one of maxConcurrency, " +
			"toleratedFailurePercentage or toleratedFailureCount", Fields: map[string]any{"reason": "MISSING_REQUIRED_PARAMETER"}}
	}
	if v := p.MaxConcurrency; v != nil && (*v < 0 || *v > math.MaxInt32) {
		return validationf("1 validation error detected: Value '%d' at 'maxConcurrency' failed to satisfy constraint: "+
			"Member must have value greater than or equal to 0", *v)
	}
	if v := p.ToleratedFailurePercentage; v != nil && (*v < 0 || *v > 100 || math.IsNaN(*v)) {
		return validationf("1 validation error detected: Value '%s' at 'toleratedFailurePercentage' failed to satisfy constraint: "+
			"Member must have value between 0 and 100", strconv.FormatFloat(*v, 'f', -1, 64))
	}
	if v := p.ToleratedFailureCount; v != nil && *v < 0 {
		return validationf("1 validation error detected: Value '%d' at 'toleratedFailureCount' failed to satisfy constraint: "+
			"Member must have value greater than or equal to 0", *v)
	}
	return nil
}

func mapRunCompleted(arn string) *stepline.Error {
	return &stepline.Error{Code: "ValidationException", Message: "Map Run is completed and cannot be updated: '" + arn + "'",
		Fields: map[string]any{"reason": "CANNOT_UPDATE_COMPLETED_MAP_RUN"}}
}
