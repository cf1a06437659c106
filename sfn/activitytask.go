package sfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"stepline"
	"stepline/asl"
	"stepline/jsonvalue"
	"stepline/store"
)

// ActivityPollDefault is how long GetActivityTask holds a request when no task is
// ready. AWS: "GetActivityTask ... holds the HTTP connection open ... for up to 60
// seconds" (API_GetActivityTask).
const ActivityPollDefault = 60 * time.Second

// activityWaiters lets a GetActivityTask long poll wake the moment this node schedules
// a task of its activity, instead of polling the store.
type activityWaiters struct {
	mu      sync.Mutex
	ch      map[string]chan struct{} // guarded by mu; closed and removed by notify
	pollers map[string]int           // guarded by mu; GetActivityTask calls in progress
}

func newActivityWaiters() *activityWaiters {
	return &activityWaiters{ch: make(map[string]chan struct{}), pollers: make(map[string]int)}
}

// activityPollersMax is AWS's limit of concurrent GetActivityTask calls per activity
// (Step Functions quotas: "1,000 pollers per ARN").
const activityPollersMax = 1000

// enter counts a poller in, refusing the one over activityPollersMax on this node.
func (w *activityWaiters) enter(arn string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pollers[arn] >= activityPollersMax {
		return false
	}
	w.pollers[arn]++
	return true
}

func (w *activityWaiters) leave(arn string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pollers[arn]--; w.pollers[arn] <= 0 {
		delete(w.pollers, arn)
	}
}

// channel returns a channel closed at the next notify of arn. Taking it before
// looking at the store means a task scheduled in between is never missed.
func (w *activityWaiters) channel(arn string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := w.ch[arn]
	if c == nil {
		c = make(chan struct{})
		w.ch[arn] = c
	}
	return c
}

func (w *activityWaiters) notify(arn string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if c := w.ch[arn]; c != nil {
		close(c)
		delete(w.ch, arn)
	}
}

// ActivityTask is what GetActivityTask hands a worker; empty when none was ready.
type ActivityTask struct {
	Token string
	Input string
}

// GetActivityTask long-polls for a task of an activity, up to ActivityPollDefault
// (or until ctx ends), and returns an empty ActivityTask when none came. Taking a
// task records ActivityStarted in its execution, which arms its TimeoutSeconds and
// HeartbeatSeconds.
func (s *Service) GetActivityTask(ctx context.Context, activityARN, workerName string) (ActivityTask, error) {
	if err := s.activityExists(ctx, activityARN); err != nil {
		return ActivityTask{}, err
	}
	e := s.eng
	if !e.acts.enter(activityARN) {
		return ActivityTask{}, stepline.Errorf("ActivityWorkerLimitExceeded",
			"The maximum number of workers concurrently polling for activity tasks has been reached.")
	}
	defer e.acts.leave(activityARN)
	deadline := s.cfg.Clock.Now().Add(ActivityPollDefault)
	for {
		wake := e.acts.channel(activityARN)
		now := s.cfg.Clock.Now()
		tasks, err := s.store.TaskClaim(ctx, store.TaskClaimParams{
			Now: now, Owner: s.cfg.NodeID, LeaseFor: ActivityPollDefault, Limit: 1,
			Kind: taskActivity, Resource: activityARN, State: taskScheduled, NewState: taskStarted, WorkerName: workerName,
		})
		if err != nil {
			return ActivityTask{}, fmt.Errorf("claim activity task: %w", err)
		}
		if len(tasks) > 0 {
			t, err := s.startActivityTask(ctx, tasks[0], workerName)
			if err == nil {
				return t, nil
			}
			if !errors.Is(err, errClosed) && !errors.Is(err, errTaskGone) {
				return ActivityTask{}, err
			}
			continue // its execution ended meanwhile: look for another
		}
		left := deadline.Sub(now)
		if left <= 0 {
			return ActivityTask{}, nil
		}
		// Other nodes cannot notify this one, so look at the store every so often.
		select {
		case <-ctx.Done():
			return ActivityTask{}, nil
		case <-wake:
		case <-s.cfg.Clock.After(min(left, TimerPollMax)):
		}
	}
}

// startActivityTask records that a worker took a task and returns what it gets.
func (s *Service) startActivityTask(ctx context.Context, tk store.Task, workerName string) (ActivityTask, error) {
	var env taskEnvelope
	if err := json.Unmarshal(tk.Input, &env); err != nil {
		return ActivityTask{}, fmt.Errorf("decode task %s: %w", tk.ID, err)
	}
	_, err := s.eng.deliver(ctx, tk.ExecutionARN, delivery{
		inputs:      []asl.Input{asl.TaskStarted{TaskID: tk.ID, WorkerName: workerName}},
		requireTask: tk.ID,
	})
	if err != nil {
		return ActivityTask{}, err
	}
	// Recorded: keep the row from the sweeper that hands back tasks whose start was
	// never recorded (see sweepActivities). The task's deadlines are timers now.
	tk.LeaseUntil = tk.LeaseUntil.AddDate(100, 0, 0)
	if _, err := s.store.TaskUpdate(ctx, tk); err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrConflict) {
		s.cfg.Logger.Warn("confirm activity task", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
	}
	return ActivityTask{Token: tk.Token, Input: string(env.Input)}, nil
}

// sweepActivities hands back activity tasks a worker took but whose start never
// reached the history: the node died between the claim and the write. Such a task's
// claim lapses after ActivityPollDefault (a recorded start pushes it a century away),
// and it goes back to "scheduled" for the next worker.
func (e *engine) sweepActivities(ctx context.Context, now time.Time) {
	tasks, err := e.s.store.TaskClaim(ctx, store.TaskClaimParams{
		Now: now, Owner: e.s.cfg.NodeID, LeaseFor: time.Microsecond, Limit: taskClaimBatch,
		Kind: taskActivity, State: taskStarted, NewState: taskScheduled,
	})
	if err != nil {
		if ctx.Err() == nil {
			e.s.cfg.Logger.Warn("sweep activity tasks", "err", err)
		}
		return
	}
	for _, tk := range tasks {
		e.acts.notify(tk.Resource)
	}
}

// errTaskGone is returned by deliver when the task a delivery answers is no longer
// open: it ended, timed out, or its execution moved on.
var errTaskGone = errors.New("task no longer open")

// taskTimedOut is AWS's answer to a token whose task has ended (API_SendTaskSuccess).
func taskTimedOut() *stepline.Error {
	return stepline.Errorf("TaskTimedOut", "The task token has either expired or the task associated with the token has already been closed")
}

func invalidToken() *stepline.Error {
	return stepline.Errorf("InvalidToken", "Invalid Token: 'Invalid token'")
}

// taskForToken resolves a task token to its open task.
func (s *Service) taskForToken(ctx context.Context, token string) (store.Task, error) {
	execARN, _, err := asl.ParseTaskToken(token)
	if err != nil {
		return store.Task{}, invalidToken()
	}
	tk, err := s.store.TaskGetByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		if _, err := s.store.ExecutionGet(ctx, execARN); errors.Is(err, store.ErrNotFound) {
			return store.Task{}, stepline.Errorf("TaskDoesNotExist", "Task Does Not Exist: '%s'", token)
		}
		return store.Task{}, taskTimedOut()
	}
	if err != nil {
		return store.Task{}, fmt.Errorf("load task: %w", err)
	}
	return tk, nil
}

// answerTask delivers a worker's or callback's answer to the task a token names.
func (s *Service) answerTask(ctx context.Context, token string, d func(taskID string) delivery) error {
	tk, err := s.taskForToken(ctx, token)
	if err != nil {
		return err
	}
	_, err = s.eng.deliver(ctx, tk.ExecutionARN, d(tk.ID))
	if errors.Is(err, errClosed) || errors.Is(err, errTaskGone) {
		return taskTimedOut()
	}
	return err
}

// SendTaskSuccess completes the task a token names with output (JSON text).
func (s *Service) SendTaskSuccess(ctx context.Context, token, output string) error {
	if len(output) > PayloadMax {
		return stepline.Errorf("InvalidOutput", "Invalid Output: 'Output exceeds the maximum size of %d bytes'", PayloadMax)
	}
	v, err := jsonvalue.ParseString(output)
	if err != nil {
		return stepline.Errorf("InvalidOutput", "Invalid Output: '%s'", jacksonMessage(output, err))
	}
	return s.answerTask(ctx, token, func(id string) delivery {
		return delivery{inputs: []asl.Input{asl.TaskSucceeded{TaskID: id, Output: v}}, requireTask: id}
	})
}

// SendTaskFailure fails the task a token names.
func (s *Service) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	return s.answerTask(ctx, token, func(id string) delivery {
		return delivery{inputs: []asl.Input{asl.TaskFailed{TaskID: id, Error: errName, Cause: cause}}, requireTask: id}
	})
}

// SendTaskHeartbeat pushes back the heartbeat deadline of the task a token names. It
// writes no history event, as on AWS.
func (s *Service) SendTaskHeartbeat(ctx context.Context, token string) error {
	return s.answerTask(ctx, token, func(id string) delivery { return delivery{heartbeat: id} })
}

// checkActivity fails a just-scheduled activity task whose activity does not exist.
// AWS fails the execution with States.Runtime ("... The activity <arn> does not
// exist.") and records ActivityScheduleFailed; a failure delivered before the task
// started is what makes the interpreter record that.
func (e *engine) checkActivity(ctx context.Context, tk store.Task) {
	err := e.s.activityExists(ctx, tk.Resource)
	if errorCode(err) != "ActivityDoesNotExist" {
		return
	}
	_, err = e.deliver(ctx, tk.ExecutionARN, delivery{
		inputs:      []asl.Input{asl.TaskFailed{TaskID: tk.ID, Error: "States.Runtime", Cause: "The activity " + tk.Resource + " does not exist."}},
		requireTask: tk.ID,
	})
	if err != nil && !errors.Is(err, errClosed) && !errors.Is(err, errTaskGone) && ctx.Err() == nil {
		e.s.cfg.Logger.Warn("fail task of a missing activity", "execution", tk.ExecutionARN, "task", tk.ID, "err", err)
	}
}
