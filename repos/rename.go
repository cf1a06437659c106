package repos

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"stepline/store"
)

// UpdateRepositoryName renames a repository. Its id, directory, branches and
// history stay; its ARN and clone URL follow the new name. The store has no
// transaction over two records, so the new record is written first and the old
// one deleted after: a crash in between leaves both names naming the same
// repository, never neither.
func (s *Service) UpdateRepositoryName(ctx context.Context, oldName, newName string) error {
	if err := checkName(oldName); err != nil {
		return err
	}
	if err := checkName(newName); err != nil {
		return err
	}
	for {
		rec, err := s.st.RecordGet(ctx, kindRepository, oldName)
		if errors.Is(err, store.ErrNotFound) {
			return errRepositoryDoesNotExist(oldName)
		}
		if err != nil {
			return fmt.Errorf("rename repository %s: %w", oldName, err)
		}
		if oldName == newName {
			return nil
		}
		r, err := decodeRepository(rec)
		if err != nil {
			return err
		}
		renamed := r
		renamed.Name, renamed.version = newName, 0
		renamed.ARN = strings.TrimSuffix(r.ARN, ":"+oldName) + ":" + newName
		renamed.LastModified = s.now().UTC().Truncate(time.Millisecond)
		if _, err := s.putRecord(ctx, renamed); err != nil {
			if errors.Is(err, store.ErrExists) {
				return errRepositoryNameExists(newName)
			}
			return err
		}
		err = s.st.RecordDelete(ctx, kindRepository, oldName, rec.Version)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, store.ErrConflict):
			// The old record changed since it was read (a description, a
			// first push's default branch): start again from it.
			if derr := s.st.RecordDelete(ctx, kindRepository, newName, 0); derr != nil {
				return fmt.Errorf("rename repository %s: undo: %w", oldName, derr)
			}
			continue
		case errors.Is(err, store.ErrNotFound):
			// Deleted meanwhile: the rename loses to the deletion.
			_ = s.st.RecordDelete(ctx, kindRepository, newName, 0)
			return errRepositoryDoesNotExist(oldName)
		default:
			return fmt.Errorf("rename repository %s: %w", oldName, err)
		}
	}
}
