// Package sfnwire is a private copy of the generated Step Functions wire
// types, so the protocol tests exercise real generated code without depending
// on the handler package api/sfnapi, which changes independently.
package sfnwire

//go:generate go run stepline/api/internal/gen -model stepfunctions/2016-11-23 -pkg sfnwire -out wire_gen.go
