package pipelineapi

import (
	"log/slog"

	"stepline"
	"stepline/api/awsjson"
	"stepline/api/sigv4"
	"stepline/pipeline"
)

// Protocol constants of CodePipeline: awsJson 1.1 under the target prefix
// CodePipeline_20150709.
const (
	TargetPrefix   = "CodePipeline_20150709"
	JSONVersion    = "1.1"
	ErrorNamespace = "com.amazonaws.codepipeline"
)

// Config configures the CodePipeline API.
type Config struct {
	// DefaultIdentity is the account and region of requests that carry none.
	DefaultIdentity stepline.Identity
	// TokenKey signs pagination tokens; nodes sharing a database share it.
	TokenKey []byte
	Logger   *slog.Logger
	Verifier sigv4.Verifier
	// PublicURL is the server's address as webhook callers reach it, for webhook URLs;
	// empty means the address each request came to.
	PublicURL string
}

// New returns the awsjson service answering every CodePipeline operation over svc:
// the ones the engine implements, and a clear UnsupportedOperationException for the
// rest (see unsupported.go).
func New(svc *pipeline.Service, cfg Config) *awsjson.Service {
	if cfg.DefaultIdentity.Account == "" {
		cfg.DefaultIdentity.Account = "000000000000"
	}
	s := awsjson.NewService(awsjson.Config{
		TargetPrefix:    TargetPrefix,
		JSONVersion:     JSONVersion,
		ErrorNamespace:  ErrorNamespace,
		DefaultIdentity: cfg.DefaultIdentity,
		Logger:          cfg.Logger,
		Verifier:        cfg.Verifier,
	})
	if len(cfg.TokenKey) == 0 {
		cfg.TokenKey = []byte("stepline-codepipeline")
	}
	h := &handlers{s: svc, key: cfg.TokenKey, publicURL: cfg.PublicURL}
	awsjson.Handle(s, "CreatePipeline", h.createPipeline)
	awsjson.Handle(s, "GetPipeline", h.getPipeline)
	awsjson.Handle(s, "UpdatePipeline", h.updatePipeline)
	awsjson.Handle(s, "DeletePipeline", h.deletePipeline)
	awsjson.Handle(s, "ListPipelines", h.listPipelines)
	awsjson.Handle(s, "StartPipelineExecution", h.startPipelineExecution)
	awsjson.Handle(s, "StopPipelineExecution", h.stopPipelineExecution)
	awsjson.Handle(s, "GetPipelineExecution", h.getPipelineExecution)
	awsjson.Handle(s, "ListPipelineExecutions", h.listPipelineExecutions)
	awsjson.Handle(s, "GetPipelineState", h.getPipelineState)
	awsjson.Handle(s, "ListActionExecutions", h.listActionExecutions)
	awsjson.Handle(s, "RetryStageExecution", h.retryStageExecution)
	awsjson.Handle(s, "DisableStageTransition", h.disableStageTransition)
	awsjson.Handle(s, "EnableStageTransition", h.enableStageTransition)
	awsjson.Handle(s, "PutApprovalResult", h.putApprovalResult)
	awsjson.Handle(s, "ListActionTypes", h.listActionTypes)
	awsjson.Handle(s, "PutActionRevision", h.putActionRevision)
	awsjson.Handle(s, "ListRuleExecutions", h.listRuleExecutions)
	awsjson.Handle(s, "ListRuleTypes", h.listRuleTypes)
	awsjson.Handle(s, "RollbackStage", h.rollbackStage)
	awsjson.Handle(s, "OverrideStageCondition", h.overrideStageCondition)
	awsjson.Handle(s, "CreateCustomActionType", h.createCustomActionType)
	awsjson.Handle(s, "DeleteCustomActionType", h.deleteCustomActionType)
	awsjson.Handle(s, "PollForJobs", h.pollForJobs)
	awsjson.Handle(s, "AcknowledgeJob", h.acknowledgeJob)
	awsjson.Handle(s, "GetJobDetails", h.getJobDetails)
	awsjson.Handle(s, "PutJobSuccessResult", h.putJobSuccessResult)
	awsjson.Handle(s, "PutJobFailureResult", h.putJobFailureResult)
	awsjson.Handle(s, "TagResource", h.tagResource)
	awsjson.Handle(s, "UntagResource", h.untagResource)
	awsjson.Handle(s, "ListTagsForResource", h.listTagsForResource)
	awsjson.Handle(s, "PutWebhook", h.putWebhook)
	awsjson.Handle(s, "ListWebhooks", h.listWebhooks)
	awsjson.Handle(s, "DeleteWebhook", h.deleteWebhook)
	awsjson.Handle(s, "RegisterWebhookWithThirdParty", h.registerWebhookWithThirdParty)
	awsjson.Handle(s, "DeregisterWebhookWithThirdParty", h.deregisterWebhookWithThirdParty)
	awsjson.Handle(s, "PollForThirdPartyJobs", h.pollForThirdPartyJobs)
	awsjson.Handle(s, "AcknowledgeThirdPartyJob", h.acknowledgeThirdPartyJob)
	awsjson.Handle(s, "GetThirdPartyJobDetails", h.getThirdPartyJobDetails)
	awsjson.Handle(s, "PutThirdPartyJobSuccessResult", h.putThirdPartyJobSuccessResult)
	awsjson.Handle(s, "PutThirdPartyJobFailureResult", h.putThirdPartyJobFailureResult)
	awsjson.Handle(s, "GetActionType", h.getActionType)
	awsjson.Handle(s, "UpdateActionType", h.updateActionType)
	awsjson.Handle(s, "ListDeployActionExecutionTargets", h.listDeployActionExecutionTargets)
	registerUnsupported(s)
	return s
}

type handlers struct {
	s         *pipeline.Service
	key       []byte
	publicURL string
}

// empty is the output of operations that answer with no members.
type empty struct{}
