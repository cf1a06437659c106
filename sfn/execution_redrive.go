package sfn

import (
	"context"
	"time"

	"stepline"
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

// RedriveExecution restarts a failed, timed-out or aborted execution from where it
// stopped. The interpreter cannot resume a closed execution yet, so every redrive
// that passes AWS's checks is refused with ExecutionNotRedrivable saying so.
func (s *Service) RedriveExecution(ctx context.Context, arn, clientToken string) (time.Time, error) {
	ex, doc, err := s.loadExecution(ctx, arn)
	if err != nil {
		return time.Time{}, err
	}
	status, reason := redriveStatus(ex, doc, s.cfg.Clock.Now())
	if status != RedriveRedrivable {
		return time.Time{}, stepline.Errorf("ExecutionNotRedrivable", "%s", reason)
	}
	return time.Time{}, stepline.Errorf("ExecutionNotRedrivable", "Execution redrive is not supported by this server yet: '%s'", arn)
}
