package pipelineapi

import (
	"context"

	"stepline"
	"stepline/api/awsjson"
)

// Unsupported lists the CodePipeline operations this server does not implement yet.
// They answer UnsupportedOperationException, so a caller learns at once what is
// missing instead of getting an UnknownOperationException that looks like a typo.
var unsupportedOps = [...]string{}

// UnsupportedOperations returns the operations answered with UnsupportedOperationException.
func UnsupportedOperations() []string { return append([]string(nil), unsupportedOps[:]...) }

func registerUnsupported(s *awsjson.Service) {
	for _, op := range unsupportedOps {
		awsjson.Handle(s, op, func(context.Context, *struct{}) (*empty, error) {
			return nil, &stepline.Error{
				Code:    "UnsupportedOperationException",
				Message: "The operation " + op + " is not supported by this server yet",
			}
		})
	}
}
