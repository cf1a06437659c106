package plan

import "stepline"

// Error codes of CodePipeline's modeled exceptions that planning and validation raise.
const (
	CodeValidation                = "ValidationException"
	CodeInvalidStructure          = "InvalidStructureException"
	CodeInvalidStageDeclaration   = "InvalidStageDeclarationException"
	CodeInvalidActionDeclaration  = "InvalidActionDeclarationException"
	CodeInvalidBlockerDeclaration = "InvalidBlockerDeclarationException"
	CodeStageNotFound             = "StageNotFoundException"
	CodeStageNotRetryable         = "StageNotRetryableException"
	CodeNotLatestExecution        = "NotLatestPipelineExecutionException"
	CodeExecutionNotFound         = "PipelineExecutionNotFoundException"
	CodeExecutionNotStoppable     = "PipelineExecutionNotStoppableException"
	CodeDuplicatedStopRequest     = "DuplicatedStopRequestException"
	CodeConflict                  = "ConflictException"
	CodeActionNotFound            = "ActionNotFoundException"
	CodeInvalidApprovalToken      = "InvalidApprovalTokenException"
	CodeApprovalAlreadyCompleted  = "ApprovalAlreadyCompletedException"
	CodeConcurrentLimitExceeded   = "ConcurrentPipelineExecutionsLimitExceededException"
	CodeConditionNotOverridable   = "ConditionNotOverridableException"
	CodeExecutionOutdated         = "PipelineExecutionOutdatedException"
	CodeUnableToRollbackStage     = "UnableToRollbackStageException"
)

func errorf(code, format string, args ...any) *stepline.Error {
	return stepline.Errorf(code, format, args...)
}
