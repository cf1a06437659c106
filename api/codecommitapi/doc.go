// Package codecommitapi serves the subset of the AWS CodeCommit API
// (awsJson 1.1, target prefix CodeCommit_20150413) that pipelines need over
// the repository store. wire_gen.go holds the wire shapes generated from
// AWS's service model.
package codecommitapi

//go:generate go run stepline/api/internal/gen -model codecommit/2015-04-13 -pkg codecommitapi -out wire_gen.go
