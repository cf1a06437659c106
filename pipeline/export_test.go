package pipeline

import (
	"context"

	"stepline/pipeline/plan"
)

// ArchiveExecutions writes finished executions of a pipeline straight to its archive,
// as the engine does when they leave the runtime, so benchmarks can build a long
// history without running it.
func ArchiveExecutions(ctx context.Context, s *Service, name string, execs []*plan.Execution) error {
	_, rec, _, err := s.load(ctx, name, 0)
	if err != nil {
		return err
	}
	doc, _, err := s.loadDoc(ctx, rec.Key)
	if err != nil {
		return err
	}
	return s.archive(ctx, doc.RuntimeARN, execs)
}
