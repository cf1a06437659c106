// Package plan is the pure core of the CodePipeline engine: the pipeline declaration
// model, its validation with CodePipeline's rules and messages, and the planner that
// moves pipeline executions forward.
//
// Nothing here does I/O, reads a clock or draws randomness: times arrive in events and
// identifiers are either given by the caller or derived deterministically from ones that
// were (see ActionExecutionID). Replaying the same events through Next therefore gives
// the same Runtime and the same commands, which is what lets the engine keep a pipeline's
// state as a snapshot plus the events that produced it.
package plan
