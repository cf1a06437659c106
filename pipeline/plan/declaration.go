package plan

// The declaration is CodePipeline's own pipeline JSON, which is also the document the
// service stores and returns (DESIGN.md §4), so its fields carry the AWS JSON names.

// Pipeline types and execution modes, as in the CreatePipeline model.
const (
	PipelineTypeV1 = "V1"
	PipelineTypeV2 = "V2"

	ModeSuperseded = "SUPERSEDED"
	ModeQueued     = "QUEUED"
	ModeParallel   = "PARALLEL"
)

// Action categories, as in ActionTypeId.category.
const (
	CategorySource   = "Source"
	CategoryBuild    = "Build"
	CategoryDeploy   = "Deploy"
	CategoryTest     = "Test"
	CategoryInvoke   = "Invoke"
	CategoryApproval = "Approval"
	CategoryCompute  = "Compute"
)

// Pipeline is one version of a pipeline declaration.
type Pipeline struct {
	Name           string                   `json:"name"`
	RoleARN        string                   `json:"roleArn"`
	ArtifactStore  *ArtifactStore           `json:"artifactStore,omitempty"`
	ArtifactStores map[string]ArtifactStore `json:"artifactStores,omitempty"`
	Stages         []Stage                  `json:"stages"`
	Version        int                      `json:"version,omitempty"`
	ExecutionMode  string                   `json:"executionMode,omitempty"`
	PipelineType   string                   `json:"pipelineType,omitempty"`
	Variables      []Variable               `json:"variables,omitempty"`
	Triggers       []Trigger                `json:"triggers,omitempty"`
}

// ArtifactStore is the S3 bucket that holds a pipeline's artifacts.
type ArtifactStore struct {
	Type          string         `json:"type"`
	Location      string         `json:"location"`
	EncryptionKey *EncryptionKey `json:"encryptionKey,omitempty"`
}

// EncryptionKey names the KMS key of an artifact store; kept for round trips only.
type EncryptionKey struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Variable is a pipeline-level variable (V2 only).
type Variable struct {
	Name         string `json:"name"`
	DefaultValue string `json:"defaultValue,omitempty"`
	Description  string `json:"description,omitempty"`
}

// Trigger is a V2 trigger; it is validated and stored, and fires once git sources do.
type Trigger struct {
	ProviderType     string           `json:"providerType"`
	GitConfiguration GitConfiguration `json:"gitConfiguration"`
}

// GitConfiguration filters the git events that start a pipeline.
type GitConfiguration struct {
	SourceActionName string       `json:"sourceActionName"`
	Push             []GitFilters `json:"push,omitempty"`
	PullRequest      []GitFilters `json:"pullRequest,omitempty"`
}

// GitFilters is one push or pull-request filter.
type GitFilters struct {
	Events    []string        `json:"events,omitempty"`
	Tags      *IncludeExclude `json:"tags,omitempty"`
	Branches  *IncludeExclude `json:"branches,omitempty"`
	FilePaths *IncludeExclude `json:"filePaths,omitempty"`
}

// IncludeExclude is a pair of glob lists.
type IncludeExclude struct {
	Includes []string `json:"includes,omitempty"`
	Excludes []string `json:"excludes,omitempty"`
}

// Stage is one stage: its actions run in runOrder groups.
type Stage struct {
	Name        string         `json:"name"`
	Blockers    []Blocker      `json:"blockers,omitempty"`
	Actions     []Action       `json:"actions"`
	OnFailure   *FailureGate   `json:"onFailure,omitempty"`
	OnSuccess   *ConditionGate `json:"onSuccess,omitempty"`
	BeforeEntry *ConditionGate `json:"beforeEntry,omitempty"`
}

// Blocker is reserved by AWS for future use; kept for round trips.
type Blocker struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// FailureGate is a stage's onFailure: a result, or conditions, never both.
type FailureGate struct {
	Result             string              `json:"result,omitempty"`
	RetryConfiguration *RetryConfiguration `json:"retryConfiguration,omitempty"`
	Conditions         []Condition         `json:"conditions,omitempty"`
}

// RetryConfiguration says what an automatic stage retry re-runs.
type RetryConfiguration struct {
	RetryMode string `json:"retryMode,omitempty"`
}

// ConditionGate is beforeEntry or onSuccess.
type ConditionGate struct {
	Conditions []Condition `json:"conditions"`
}

// Condition is a set of rules with a result; stored, not yet evaluated.
type Condition struct {
	Result string `json:"result,omitempty"`
	Rules  []Rule `json:"rules,omitempty"`
}

// Rule is one rule of a condition.
type Rule struct {
	Name             string            `json:"name"`
	RuleTypeID       RuleTypeID        `json:"ruleTypeId"`
	Configuration    map[string]string `json:"configuration,omitempty"`
	Commands         []string          `json:"commands,omitempty"`
	InputArtifacts   []ArtifactName    `json:"inputArtifacts,omitempty"`
	RoleARN          string            `json:"roleArn,omitempty"`
	Region           string            `json:"region,omitempty"`
	TimeoutInMinutes int               `json:"timeoutInMinutes,omitempty"`
}

// RuleTypeID names a rule provider.
type RuleTypeID struct {
	Category string `json:"category"`
	Owner    string `json:"owner,omitempty"`
	Provider string `json:"provider"`
	Version  string `json:"version,omitempty"`
}

// Action is one action of a stage.
type Action struct {
	Name                 string            `json:"name"`
	ActionTypeID         ActionTypeID      `json:"actionTypeId"`
	RunOrder             int               `json:"runOrder,omitempty"`
	Configuration        map[string]string `json:"configuration,omitempty"`
	Commands             []string          `json:"commands,omitempty"`
	OutputArtifacts      []OutputArtifact  `json:"outputArtifacts,omitempty"`
	InputArtifacts       []ArtifactName    `json:"inputArtifacts,omitempty"`
	OutputVariables      []string          `json:"outputVariables,omitempty"`
	RoleARN              string            `json:"roleArn,omitempty"`
	Region               string            `json:"region,omitempty"`
	Namespace            string            `json:"namespace,omitempty"`
	TimeoutInMinutes     int               `json:"timeoutInMinutes,omitempty"`
	EnvironmentVariables []EnvVar          `json:"environmentVariables,omitempty"`
}

// ActionTypeID names an action provider.
type ActionTypeID struct {
	Category string `json:"category"`
	Owner    string `json:"owner"`
	Provider string `json:"provider"`
	Version  string `json:"version"`
}

// ArtifactName names an input artifact.
type ArtifactName struct {
	Name string `json:"name"`
}

// OutputArtifact names an output artifact (files: Commands only).
type OutputArtifact struct {
	Name  string   `json:"name"`
	Files []string `json:"files,omitempty"`
}

// EnvVar is a Commands action environment variable.
type EnvVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Type  string `json:"type,omitempty"`
}

// Order is the action's runOrder, 1 when omitted as AWS defaults it.
func (a *Action) Order() int {
	if a.RunOrder <= 0 {
		return 1
	}
	return a.RunOrder
}

// Mode is the execution mode, SUPERSEDED when omitted.
func (p *Pipeline) Mode() string {
	if p.ExecutionMode == "" {
		return ModeSuperseded
	}
	return p.ExecutionMode
}

// Type is the pipeline type, V1 when omitted.
func (p *Pipeline) Type() string {
	if p.PipelineType == "" {
		return PipelineTypeV1
	}
	return p.PipelineType
}

// StageIndex returns the index of the named stage, or -1.
func (p *Pipeline) StageIndex(name string) int {
	for i := range p.Stages {
		if p.Stages[i].Name == name {
			return i
		}
	}
	return -1
}

// Groups returns the stage's distinct runOrder values ascending: actions sharing one
// run in parallel, and each group starts when the one before has succeeded.
func (s *Stage) Groups() []int {
	var orders []int
	for i := range s.Actions {
		o := s.Actions[i].Order()
		seen := false
		for _, x := range orders {
			if x == o {
				seen = true
				break
			}
		}
		if !seen {
			orders = append(orders, o)
		}
	}
	// Insertion sort: stages hold at most 50 actions.
	for i := 1; i < len(orders); i++ {
		for j := i; j > 0 && orders[j] < orders[j-1]; j-- {
			orders[j], orders[j-1] = orders[j-1], orders[j]
		}
	}
	return orders
}

// Normalize fills in the defaults CodePipeline reports back for omitted members: the
// pipeline type and execution mode, and each action's runOrder.
func Normalize(p *Pipeline) {
	p.PipelineType = p.Type()
	p.ExecutionMode = p.Mode()
	for i := range p.Stages {
		for k := range p.Stages[i].Actions {
			a := &p.Stages[i].Actions[k]
			a.RunOrder = a.Order()
		}
	}
}
