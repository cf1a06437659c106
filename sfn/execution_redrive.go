package sfn

import (
	"context"
	"errors"
	"fmt"
	"time"

	"stepline"
	"stepline/asl"
	"stepline/store"
)

// Redrive limits from API_RedriveExecution: an execution can be redriven within 14
// days of closing, and only while its history has fewer than 24,999 events.
const (
	redriveWindow    = 14 * 24 * time.Hour
	redriveMaxEvents = 24999
)

// redriveStatus is DescribeExecution's redriveStatus and redriveStatusReason.
func redriveStatus(ex store.Execution, doc *execDoc, now time.Time) (string, string) {
	switch ex.Status {
	case ExecRunning, ExecSucceeded:
		return RedriveNotRedrivable, "Execution is " + ex.Status + " and cannot be redriven"
	}
	if doc.Type == TypeExpress {
		return RedriveNotRedrivable, "Execution is EXPRESS and cannot be redriven"
	}
	if now.Sub(ex.StopTime) > redriveWindow {
		return RedriveNotRedrivable, "Execution has been closed for more than 14 days and cannot be redriven"
	}
	if ex.NextEventID-1 >= redriveMaxEvents {
		return RedriveNotRedrivable, "Execution history event limit exceeded"
	}
	return RedriveRedrivable, ""
}

// redriveTokensKept is how many clientTokens an execution remembers: AWS honours the
// last ten for 15 minutes (API_RedriveExecution).
const (
	redriveTokensKept = 10
	redriveTokenTTL   = 15 * time.Minute
)

// RedriveExecution restarts a failed, timed-out or aborted execution from the state
// where it stopped, with the input that state had (asl.Redrive); states that
// succeeded are not run again. A clientToken seen in the last 15 minutes returns the
// redrive it made instead of redriving again.
func (s *Service) RedriveExecution(ctx context.Context, arn, clientToken string) (time.Time, error) {
	ex, _, err := s.loadExecution(ctx, arn)
	if err != nil {
		return time.Time{}, err
	}
	if ex.Status != ExecRunning {
		// A redrive opens the execution again, so it counts against the quota as a
		// start does (AWS lists ExecutionLimitExceeded among RedriveExecution's errors).
		if err := s.admitExecution(ctx, ex.StateMachineARN); err != nil {
			return time.Time{}, err
		}
	}
	ex, err = s.eng.deliver(ctx, arn, delivery{redrive: true, clientToken: clientToken})
	if err != nil {
		var nr *redriveRefused
		if errors.As(err, &nr) {
			return time.Time{}, stepline.Errorf("ExecutionNotRedrivable", "%s", nr.reason)
		}
		return time.Time{}, err
	}
	doc, err := decodeExecDoc(ex)
	if err != nil {
		return time.Time{}, err
	}
	return doc.RedriveDate, nil
}

// redriveRefused carries why an execution cannot be redriven.
type redriveRefused struct{ reason string }

func (r *redriveRefused) Error() string { return r.reason }

// applyRedrive is the transition of a RedriveExecution: the execution is running
// again from where it stopped.
func (e *engine) applyRedrive(ctx context.Context, ex store.Execution, doc *execDoc, d delivery, now time.Time) (*steppedTransition, error) {
	if d.clientToken != "" {
		if at, ok := doc.RedriveTokens[d.clientToken]; ok && now.Sub(at) < redriveTokenTTL {
			return nil, errRedriveRepeat
		}
	}
	if status, reason := redriveStatus(ex, doc, now); status != RedriveRedrivable {
		return nil, &redriveRefused{reason: reason}
	}
	if gone, err := e.stateMachineGone(ctx, ex.StateMachineARN); err != nil {
		return nil, err
	} else if gone {
		return nil, &redriveRefused{reason: "The state machine of the execution is being deleted"}
	}
	st, m, err := e.loadState(ctx, ex, doc)
	if err != nil {
		return nil, err
	}
	dec, err := m.Step(st, asl.Redrive{}, now)
	if errors.Is(err, asl.ErrNotRedrivable) {
		return nil, &redriveRefused{reason: "Execution is " + ex.Status + " and cannot be redriven"}
	}
	if err != nil {
		return nil, fmt.Errorf("redrive %s: %w", ex.ARN, err)
	}
	ex.Status, ex.StopTime = ExecRunning, time.Time{}
	doc.Output, doc.HasOutput, doc.Error, doc.Cause = "", false, "", ""
	doc.RedriveCount++
	doc.RedriveDate = now
	if d.clientToken != "" {
		if doc.RedriveTokens == nil {
			doc.RedriveTokens = make(map[string]time.Time)
		}
		doc.RedriveTokens[d.clientToken] = now
		pruneTokens(doc.RedriveTokens)
	}
	tr := newTransition(ex, doc, now)
	if err := tr.add(dec); err != nil {
		return nil, err
	}
	return &steppedTransition{transition: tr, state: dec.State}, nil
}

// errRedriveRepeat marks a RedriveExecution whose clientToken was already used.
var errRedriveRepeat = errors.New("redrive already made with this client token")

// pruneTokens keeps the newest redriveTokensKept tokens.
func pruneTokens(m map[string]time.Time) {
	for len(m) > redriveTokensKept {
		oldest, at := "", time.Time{}
		for k, t := range m {
			if oldest == "" || t.Before(at) {
				oldest, at = k, t
			}
		}
		delete(m, oldest)
	}
}
