package repos

import (
	"context"
	"strings"
	"unicode/utf8"

	"stepline"
)

// tagsMax is CodeCommit's limit of tags per repository.
const tagsMax = 50

// repositoryByARN finds the repository an ARN names; the ARN must be exactly the
// repository's, so a name in another account or region does not match.
func (s *Service) repositoryByARN(ctx context.Context, arn string) (Repository, error) {
	if arn == "" {
		return Repository{}, stepline.Errorf("ResourceArnRequiredException",
			"A valid Amazon Resource Name (ARN) for an AWS CodeCommit resource is required.")
	}
	parts := strings.Split(arn, ":")
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "codecommit" || checkName(parts[5]) != nil {
		return Repository{}, stepline.Errorf("InvalidResourceArnException", "The value for the resource ARN is not valid.")
	}
	r, err := s.GetRepository(ctx, parts[5])
	if err != nil {
		return Repository{}, err
	}
	if r.ARN != arn {
		return Repository{}, errRepositoryDoesNotExist(parts[5])
	}
	return r, nil
}

// RepositoryTags returns the tags of the repository arn names.
func (s *Service) RepositoryTags(ctx context.Context, arn string) (map[string]string, error) {
	r, err := s.repositoryByARN(ctx, arn)
	if err != nil {
		return nil, err
	}
	if r.Tags == nil {
		return map[string]string{}, nil
	}
	return r.Tags, nil
}

// checkTags applies CodeCommit's tag rules: keys of 1 to 128 characters that do
// not start with "aws:", values of up to 256.
func checkTags(tags map[string]string) error {
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > 128 || utf8.RuneCountInString(v) > 256 {
			return stepline.Errorf("InvalidTagsMapException", "The map of tags is not valid.")
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return stepline.Errorf("InvalidSystemTagUsageException", "The tag key (aws:) is reserved for system use.")
		}
	}
	return nil
}

// TagRepository adds or replaces tags on the repository arn names.
func (s *Service) TagRepository(ctx context.Context, arn string, tags map[string]string) error {
	r, err := s.repositoryByARN(ctx, arn)
	if err != nil {
		return err
	}
	if len(tags) == 0 {
		return stepline.Errorf("TagsMapRequiredException", "A map of tags is required.")
	}
	if err := checkTags(tags); err != nil {
		return err
	}
	var tooMany bool
	err = s.updateRecord(ctx, r.Name, func(r *Repository) {
		merged := map[string]string{}
		for k, v := range r.Tags {
			merged[k] = v
		}
		for k, v := range tags {
			merged[k] = v
		}
		if tooMany = len(merged) > tagsMax; !tooMany {
			r.Tags = merged
		}
	})
	if err == nil && tooMany {
		return stepline.Errorf("TooManyTagsException", "The maximum number of tags for an AWS CodeCommit resource has been exceeded.")
	}
	return err
}

// UntagRepository removes tags from the repository arn names.
func (s *Service) UntagRepository(ctx context.Context, arn string, keys []string) error {
	r, err := s.repositoryByARN(ctx, arn)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		return stepline.Errorf("TagKeysListRequiredException", "A list of tag keys is required. The list cannot be empty or null.")
	}
	return s.updateRecord(ctx, r.Name, func(r *Repository) {
		for _, k := range keys {
			delete(r.Tags, k)
		}
	})
}
