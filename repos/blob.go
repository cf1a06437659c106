package repos

import (
	"context"
	"fmt"
	"io"

	"github.com/go-git/go-git/v5/plumbing/object"

	"stepline"
)

// GetBlob returns the content of blob id, at most FileSizeMax bytes.
func (s *Service) GetBlob(ctx context.Context, repoName, id string) ([]byte, error) {
	repo, err := s.GetRepository(ctx, repoName)
	if err != nil {
		return nil, err
	}
	if id == "" {
		return nil, stepline.Errorf("BlobIdRequiredException", "A blob ID is required, but was not specified.")
	}
	h, ok := parseHash(id)
	if !ok {
		return nil, stepline.Errorf("InvalidBlobIdException", "The specified blob is not valid.")
	}
	st, err := s.storage(ctx, repo)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	blob, err := object.GetBlob(st, h)
	if err != nil {
		return nil, stepline.Errorf("BlobIdDoesNotExistException", "The specified blob does not exist.")
	}
	if blob.Size > FileSizeMax {
		return nil, stepline.Errorf(CodeFileTooLarge, "The specified file exceeds the file size limit for AWS CodeCommit.")
	}
	rd, err := blob.Reader()
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", id, err)
	}
	defer rd.Close()
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", id, err)
	}
	return b, nil
}
