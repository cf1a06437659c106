// Package pipelineapi serves the AWS CodePipeline API (awsJson 1.1, target
// prefix CodePipeline_20150709) over the pipeline engine. wire_gen.go holds
// the wire shapes generated from AWS's service model.
package pipelineapi

//go:generate go run stepline/api/internal/gen -model codepipeline/2015-07-09 -pkg pipelineapi -out wire_gen.go
