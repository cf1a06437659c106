// Package asl is the Amazon States Language interpreter: Parse turns a definition into
// an immutable Machine, and (*Machine).Step advances one execution by one Input.
//
// Invariants the engines rely on:
//
//   - Determinism. Step reads no clock (time is an argument), does no I/O, starts no
//     goroutines and draws randomness only from the seed given in Start (States.UUID,
//     $uuid, $random, retry jitter, task-token nonces). The same State, Input and time
//     give byte-identical Events, Commands and snapshot, so an execution can be
//     replayed from its inputs.
//   - Runtime failures are data. States.TaskFailed, States.Runtime,
//     States.QueryEvaluationError and the rest are history events and a Close command,
//     never Go errors. Step returns an error only when the State does not fit the
//     Machine or the Input makes no sense (a Start for a started execution): bugs.
//   - One Step, one transition of the store. Step runs states until every thread of the
//     execution waits for a task or a timer, or the execution closes, and returns the
//     new events (ids assigned, previousEventId as AWS chains them), the snapshot to
//     persist with them (MarshalState) and the commands for the engine.
//   - Parallel branches and Map iterations are sub-frames inside the one State; their
//     tasks and timers carry ids unique within the execution.
//
// History events, their details and failure texts follow what AWS records; the
// conformance test runs the executions recorded on AWS (../shared/conformance) through
// a scripted engine.
package asl
