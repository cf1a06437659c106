package asl

// Service quotas the interpreter enforces
// (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
const (
	// maxPayloadBytes is the largest input or output of a state or execution.
	maxPayloadBytes = 262144
	// maxHistoryEvents is the largest history of a Standard execution.
	maxHistoryEvents = 25000
	// historyReserve is the room kept for the events that fail an execution at the
	// history limit (iteration, Map/Parallel and execution failures).
	historyReserve = 16
	// inlineMaxConcurrency caps an inline Map's concurrent iterations whatever its
	// MaxConcurrency says (0 means "as many as possible", which is 40).
	inlineMaxConcurrency = 40
	// distributedMaxConcurrency caps a Distributed Map's concurrent child executions.
	distributedMaxConcurrency = 10000
)

// dataLimitFailure is the terminal States.DataLimitExceeded of a state whose result is
// too large, worded as recorded on AWS.
func dataLimitFailure(state string) failure {
	fl := fail("States.DataLimitExceeded", "The state/task '"+state+"' returned a result with a size exceeding the maximum number of bytes service limit.")
	fl.terminal = true
	return fl
}

// historyLimitFailure fails an execution whose history reached the quota.
func historyLimitFailure() failure {
	fl := fail("States.Runtime", "The execution reached the maximum number of history events (25000).")
	fl.terminal = true
	return fl
}
