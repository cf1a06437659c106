package sfnapi

import (
	"log/slog"
	"net/http"

	"stepline"
	"stepline/api/awsjson"
	"stepline/sfn"
)

// Protocol constants of the Step Functions service: awsJson 1.0 under the target
// prefix AWSStepFunctions, with errors in the namespace the AWS SDKs' deserializers
// were generated against.
const (
	TargetPrefix   = "AWSStepFunctions"
	JSONVersion    = "1.0"
	ErrorNamespace = "com.amazonaws.swf.service.v2.model"
)

// MaxBodyBytesDefault bounds a request body: the largest member is a 1 MiB
// definition, which JSON escaping can nearly double.
const MaxBodyBytesDefault = 4 << 20

// Config configures the Step Functions API.
type Config struct {
	// DefaultIdentity is the account and region of requests that carry none (no
	// SigV4 credential scope).
	DefaultIdentity stepline.Identity
	MaxBodyBytes    int64 // 0: MaxBodyBytesDefault
	Logger          *slog.Logger
}

// New returns the http.Handler serving every Step Functions operation over s.
func New(s *sfn.Service, cfg Config) http.Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = MaxBodyBytesDefault
	}
	svc := awsjson.NewService(awsjson.Config{
		TargetPrefix:    TargetPrefix,
		JSONVersion:     JSONVersion,
		ErrorNamespace:  ErrorNamespace,
		MaxBodyBytes:    cfg.MaxBodyBytes,
		DefaultIdentity: cfg.DefaultIdentity,
		Logger:          cfg.Logger,
	})
	register(svc, &handlers{s: s})
	registerExecutionOps(svc, s)
	return svc
}

// register adds the resource operations (state machines, versions, aliases,
// activities, tags, validation); execution.go adds the execution ones.
func register(svc *awsjson.Service, h *handlers) {
	awsjson.Handle(svc, "CreateStateMachine", h.createStateMachine)
	awsjson.Handle(svc, "DescribeStateMachine", h.describeStateMachine)
	awsjson.Handle(svc, "UpdateStateMachine", h.updateStateMachine)
	awsjson.Handle(svc, "DeleteStateMachine", h.deleteStateMachine)
	awsjson.Handle(svc, "ListStateMachines", h.listStateMachines)

	awsjson.Handle(svc, "PublishStateMachineVersion", h.publishStateMachineVersion)
	awsjson.Handle(svc, "ListStateMachineVersions", h.listStateMachineVersions)
	awsjson.Handle(svc, "DeleteStateMachineVersion", h.deleteStateMachineVersion)

	awsjson.Handle(svc, "CreateStateMachineAlias", h.createStateMachineAlias)
	awsjson.Handle(svc, "DescribeStateMachineAlias", h.describeStateMachineAlias)
	awsjson.Handle(svc, "UpdateStateMachineAlias", h.updateStateMachineAlias)
	awsjson.Handle(svc, "DeleteStateMachineAlias", h.deleteStateMachineAlias)
	awsjson.Handle(svc, "ListStateMachineAliases", h.listStateMachineAliases)

	awsjson.Handle(svc, "CreateActivity", h.createActivity)
	awsjson.Handle(svc, "DescribeActivity", h.describeActivity)
	awsjson.Handle(svc, "DeleteActivity", h.deleteActivity)
	awsjson.Handle(svc, "ListActivities", h.listActivities)

	awsjson.Handle(svc, "TagResource", h.tagResource)
	awsjson.Handle(svc, "UntagResource", h.untagResource)
	awsjson.Handle(svc, "ListTagsForResource", h.listTagsForResource)

	awsjson.Handle(svc, "ValidateStateMachineDefinition", h.validateStateMachineDefinition)
}
