// Package sfnapi serves the AWS Step Functions API (awsJson 1.0, target
// prefix AWSStepFunctions) over the sfn engine. wire_gen.go holds the wire
// shapes generated from AWS's service model; handlers translate between them
// and the engine's domain types.
package sfnapi

//go:generate go run stepline/api/internal/gen -model stepfunctions/2016-11-23 -pkg sfnapi -out wire_gen.go
