package repos

import (
	"stepline"
)

// CodeCommit error codes this package reports, from AWS's service model
// (codecommit 2015-04-13). Messages follow the ones CodeCommit sends where known,
// otherwise the model's documentation of the error.
const (
	CodeRepositoryDoesNotExist      = "RepositoryDoesNotExistException"
	CodeRepositoryNameExists        = "RepositoryNameExistsException"
	CodeRepositoryNameRequired      = "RepositoryNameRequiredException"
	CodeInvalidRepositoryName       = "InvalidRepositoryNameException"
	CodeInvalidRepositoryDesc       = "InvalidRepositoryDescriptionException"
	CodeBranchDoesNotExist          = "BranchDoesNotExistException"
	CodeBranchNameExists            = "BranchNameExistsException"
	CodeBranchNameRequired          = "BranchNameRequiredException"
	CodeInvalidBranchName           = "InvalidBranchNameException"
	CodeBranchNameIsTagName         = "BranchNameIsTagNameException"
	CodeDefaultBranchCannotBeDelete = "DefaultBranchCannotBeDeletedException"
	CodeCommitIDRequired            = "CommitIdRequiredException"
	CodeInvalidCommitID             = "InvalidCommitIdException"
	CodeCommitIDDoesNotExist        = "CommitIdDoesNotExistException"
	CodeCommitDoesNotExist          = "CommitDoesNotExistException"
	CodeInvalidCommit               = "InvalidCommitException"
	CodeCommitRequired              = "CommitRequiredException"
	CodeParentCommitIDRequired      = "ParentCommitIdRequiredException"
	CodeInvalidParentCommitID       = "InvalidParentCommitIdException"
	CodeParentCommitDoesNotExist    = "ParentCommitDoesNotExistException"
	CodeParentCommitIDOutdated      = "ParentCommitIdOutdatedException"
	CodePathRequired                = "PathRequiredException"
	CodeInvalidPath                 = "InvalidPathException"
	CodePathDoesNotExist            = "PathDoesNotExistException"
	CodeFileDoesNotExist            = "FileDoesNotExistException"
	CodeFolderDoesNotExist          = "FolderDoesNotExistException"
	CodeFileTooLarge                = "FileTooLargeException"
	CodeFileContentRequired         = "FileContentRequiredException"
	CodeFileContentSizeLimit        = "FileContentSizeLimitExceededException"
	CodeInvalidFileMode             = "InvalidFileModeException"
	CodeFileModeRequired            = "FileModeRequiredException"
	CodeSameFileContent             = "SameFileContentException"
	CodeNoChange                    = "NoChangeException"
	CodeFileEntryRequired           = "FileEntryRequiredException"
	CodeMaximumFileEntriesExceeded  = "MaximumFileEntriesExceededException"
	CodeSamePathRequest             = "SamePathRequestException"
	CodeSourceFileOrContentRequired = "SourceFileOrContentRequiredException"
	CodeFileContentAndSourceFile    = "FileContentAndSourceFileSpecifiedException"
	CodeFileNameConflictsWithDir    = "FileNameConflictsWithDirectoryNameException"
	CodeDirNameConflictsWithFile    = "DirectoryNameConflictsWithFileNameException"
	CodeNameLengthExceeded          = "NameLengthExceededException"
	CodeInvalidEmail                = "InvalidEmailException"
	CodeCommitMessageLengthExceeded = "CommitMessageLengthExceededException"
	CodeInvalidDeletionParameter    = "InvalidDeletionParameterException"
	CodeRepositoryLimitExceeded     = "RepositoryLimitExceededException"
)

func errRepositoryDoesNotExist(name string) *stepline.Error {
	return stepline.Errorf(CodeRepositoryDoesNotExist, "%s does not exist", name)
}

func errRepositoryNameExists(name string) *stepline.Error {
	return stepline.Errorf(CodeRepositoryNameExists, "Repository named %s already exists", name)
}

func errRepositoryNameRequired() *stepline.Error {
	return stepline.Errorf(CodeRepositoryNameRequired, "Repository name is required")
}

func errInvalidRepositoryName() *stepline.Error {
	return stepline.Errorf(CodeInvalidRepositoryName, "The repository name is not valid. Repository names can be any "+
		"valid combination of letters, numbers, periods, underscores, and dashes between 1 and 100 characters in "+
		"length. Names are case sensitive. For more information, see Limits in the AWS CodeCommit User Guide. ")
}

func errBranchDoesNotExist(branch string) *stepline.Error {
	return stepline.Errorf(CodeBranchDoesNotExist, "Branch %s does not exist", branch)
}

func errBranchNameRequired() *stepline.Error {
	return stepline.Errorf(CodeBranchNameRequired, "Branch name is required")
}

func errInvalidBranchName() *stepline.Error {
	return stepline.Errorf(CodeInvalidBranchName, "The specified reference name is not valid.")
}

func errCommitIDRequired() *stepline.Error {
	return stepline.Errorf(CodeCommitIDRequired, "A commit ID is required.")
}

func errInvalidCommitID(id string) *stepline.Error {
	return stepline.Errorf(CodeInvalidCommitID, "The specified commit ID is not valid: %s", id)
}

func errCommitIDDoesNotExist(id string) *stepline.Error {
	return stepline.Errorf(CodeCommitIDDoesNotExist, "Could not find commit with ID %s", id)
}

func errCommitDoesNotExist(spec string) *stepline.Error {
	return stepline.Errorf(CodeCommitDoesNotExist, "Commit %s does not exist", spec)
}

func errInvalidPath(p string) *stepline.Error {
	return stepline.Errorf(CodeInvalidPath, "The specified path is not valid: %s", p)
}

func errPathRequired() *stepline.Error {
	return stepline.Errorf(CodePathRequired, "A file path is required.")
}

func errParentOutdated() *stepline.Error {
	return stepline.Errorf(CodeParentCommitIDOutdated, "The parent commit ID is not the current tip of the branch. "+
		"To view the full commit ID of the current head of the branch, use GetBranch.")
}
