package pipelineapi_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cp "github.com/aws/aws-sdk-go-v2/service/codepipeline"
	"github.com/aws/aws-sdk-go-v2/service/codepipeline/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"
)

// Declaration pieces for the validation table below.

func typeID(category types.ActionCategory, owner types.ActionOwner, provider string) *types.ActionTypeId {
	return &types.ActionTypeId{Category: category, Owner: owner, Provider: aws.String(provider), Version: aws.String("1")}
}

func approvalDecl(name string) types.ActionDeclaration {
	return types.ActionDeclaration{Name: aws.String(name), ActionTypeId: typeID(types.ActionCategoryApproval, types.ActionOwnerAws, "Manual")}
}

func buildDecl(name string, inputs ...string) types.ActionDeclaration {
	a := types.ActionDeclaration{Name: aws.String(name), ActionTypeId: typeID(types.ActionCategoryBuild, types.ActionOwnerAws, "CodeBuild"),
		Configuration: map[string]string{"ProjectName": "p"}}
	for _, in := range inputs {
		a.InputArtifacts = append(a.InputArtifacts, types.InputArtifact{Name: aws.String(in)})
	}
	return a
}

func s3DeployDecl(config map[string]string) types.ActionDeclaration {
	return types.ActionDeclaration{Name: aws.String("Deploy"), ActionTypeId: typeID(types.ActionCategoryDeploy, types.ActionOwnerAws, "S3"),
		Configuration: config, InputArtifacts: []types.InputArtifact{{Name: aws.String("SourceArtifact")}}}
}

func connectionSource(name, output string) types.ActionDeclaration {
	return types.ActionDeclaration{Name: aws.String(name), ActionTypeId: typeID(types.ActionCategorySource, types.ActionOwnerAws, "CodeStarSourceConnection"),
		Configuration: map[string]string{"ConnectionArn": "arn:aws:codeconnections:us-east-1:000000000000:connection/x",
			"FullRepositoryId": "o/r", "BranchName": "main"},
		OutputArtifacts: []types.OutputArtifact{{Name: aws.String(output)}}}
}

func stage(name string, actions ...types.ActionDeclaration) types.StageDeclaration {
	return types.StageDeclaration{Name: aws.String(name), Actions: actions}
}

func v2(d *types.PipelineDeclaration) { d.PipelineType = types.PipelineTypeV2 }

func rule() []types.RuleDeclaration {
	return []types.RuleDeclaration{{Name: aws.String("Check"), RuleTypeId: &types.RuleTypeId{Category: types.RuleCategoryRule,
		Owner: types.RuleOwnerAws, Provider: aws.String("VariableCheck"), Version: aws.String("1")},
		Configuration: map[string]string{"Variable": "#{codepipeline.PipelineExecutionId}", "Value": "x", "Operator": "EQ"}}}
}

func tagTrigger(action string) types.PipelineTriggerDeclaration {
	return types.PipelineTriggerDeclaration{ProviderType: types.PipelineTriggerProviderTypeCodeStarSourceConnection,
		GitConfiguration: &types.GitConfiguration{SourceActionName: aws.String(action),
			Push: []types.GitPushFilter{{Tags: &types.GitTagFilterCriteria{Includes: []string{"v*"}}}}}}
}

// validationCase breaks the valid declaration one way, naming the rule of reference
// §1.5 it checks, the exception and the message. Messages AWS recorded are its own
// (marked AWS); the rest are ours, written down in docs/pipelines.md.
type validationCase struct {
	rule, name string
	mutate     func(d *types.PipelineDeclaration)
	code       string
	message    string
	// createOnly cases change what UpdatePipeline looks the pipeline up by.
	createOnly bool
}

func validationCases() []validationCase {
	const (
		structure  = "InvalidStructureException"
		stageDecl  = "InvalidStageDeclarationException"
		actionDecl = "InvalidActionDeclarationException"
		validation = "ValidationException"
	)
	many := func(n int, mk func(i int) types.ActionDeclaration) []types.ActionDeclaration {
		var out []types.ActionDeclaration
		for i := range n {
			out = append(out, mk(i))
		}
		return out
	}
	return []validationCase{
		{"S1", "OneStage", func(d *types.PipelineDeclaration) { d.Stages = d.Stages[:1] }, structure,
			"Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline", false}, // AWS
		{"S2", "FiftyOneStages", func(d *types.PipelineDeclaration) {
			for i := range 50 {
				d.Stages = append(d.Stages, stage(fmt.Sprintf("Extra%d", i), approvalDecl("A")))
			}
		}, structure, "Pipeline has too many stages. There can only be up to 50 stages in a pipeline", false}, // AWS
		{"S3", "FirstStageNotOnlySource", func(d *types.PipelineDeclaration) {
			d.Stages[0].Actions = append(d.Stages[0].Actions, approvalDecl("Early"))
		}, structure, "Pipeline should start with a stage that only contains source actions", false}, // AWS
		{"S4", "SourceInLaterStage", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = append(d.Stages[1].Actions, connectionSource("Late", "LateArtifact"))
		}, structure, "Source actions can only be included in the first stage of the pipeline", false}, // AWS
		{"S5", "NoNonSourceAction", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{}
		}, structure, "Pipeline should contain at least 1 action whose category is not Source", false}, // AWS
		{"S6", "DuplicateStageName", func(d *types.PipelineDeclaration) {
			d.Stages = append(d.Stages, stage("Approve", approvalDecl("Again")))
		}, stageDecl, "Stage name 'Approve' is used more than once", false}, // AWS
		{"S7", "DuplicateActionName", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = append(d.Stages[1].Actions, approvalDecl("Approve"))
		}, actionDecl, "Action name 'Approve' is used more than once in stage 'Approve'", false},
		{"S8", "DuplicateOutputArtifact", func(d *types.PipelineDeclaration) {
			d.Stages[0].Actions = append(d.Stages[0].Actions, connectionSource("Other", "SourceArtifact"))
		}, structure, "Output Artifact Bundle name must be unique within the pipeline. SourceArtifact has been used more than once.", false}, // AWS
		{"S9", "InputNeverProduced", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{buildDecl("Build", "Missing")}
		}, structure, "Input Artifact Bundle Missing in action Build is not declared as an output artifact in any of the preceding actions", false},
		{"S9", "InputFromSameRunOrder", func(d *types.PipelineDeclaration) {
			first := buildDecl("First", "SourceArtifact")
			first.OutputArtifacts = []types.OutputArtifact{{Name: aws.String("Built")}}
			d.Stages[1].Actions = []types.ActionDeclaration{first, buildDecl("Second", "Built")}
		}, structure, "Input Artifact Bundle Built in action Second is not declared as an output artifact in any of the preceding actions", false},
		{"S10", "TooFewInputArtifacts", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{buildDecl("Build")}
		}, actionDecl, "Action Build declares 0 input artifacts which is less than the minimum count (1)", false}, // AWS
		{"S10", "TooManyOutputArtifacts", func(d *types.PipelineDeclaration) {
			d.Stages[0].Actions[0].OutputArtifacts = append(d.Stages[0].Actions[0].OutputArtifacts, types.OutputArtifact{Name: aws.String("Second")})
		}, actionDecl, "Action Source declares 2 output artifacts which is greater than the maximum count (1)", false},
		{"S10", "S3DeployWithoutInput", func(d *types.PipelineDeclaration) {
			a := s3DeployDecl(map[string]string{"BucketName": "b", "Extract": "true"})
			a.InputArtifacts = nil
			d.Stages[1].Actions = []types.ActionDeclaration{a}
		}, actionDecl, "Action Deploy declares 0 input artifacts which is less than the minimum count (1)", false},
		{"S11", "MissingRequiredConfiguration", func(d *types.PipelineDeclaration) {
			delete(d.Stages[0].Actions[0].Configuration, "S3ObjectKey")
		}, actionDecl, "Action configuration for action 'Source' is missing required configuration 'S3ObjectKey'", false}, // AWS
		{"S11", "S3DeployMissingExtract", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{s3DeployDecl(map[string]string{"BucketName": "b"})}
		}, actionDecl, "Action configuration for action 'Deploy' is missing required configuration 'Extract'", false},
		{"S11", "S3DeployZipWithoutObjectKey", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{s3DeployDecl(map[string]string{"BucketName": "b", "Extract": "false"})}
		}, actionDecl, "Action configuration for action 'Deploy' is missing required configuration 'ObjectKey'", false},
		{"S11", "S3DeployBadExtract", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{s3DeployDecl(map[string]string{"BucketName": "b", "Extract": "yes"})}
		}, actionDecl, "Action configuration for action 'Deploy' contains an invalid value 'yes' for configuration 'Extract'. Valid values are true and false", false},
		{"S11", "S3DeployBadCannedACL", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{s3DeployDecl(map[string]string{"BucketName": "b", "Extract": "true", "CannedACL": "everyone"})}
		}, actionDecl, "Action configuration for action 'Deploy' contains an invalid value 'everyone' for configuration 'CannedACL'. Valid values are private, public-read, public-read-write, authenticated-read, aws-exec-read, bucket-owner-read, bucket-owner-full-control, log-delivery-write", false},
		{"S11", "StepFunctionsBadInputType", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{{Name: aws.String("Invoke"), ActionTypeId: typeID(types.ActionCategoryInvoke, types.ActionOwnerAws, "StepFunctions"),
				Configuration: map[string]string{"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:M", "InputType": "Json"}}}
		}, actionDecl, "Action configuration for action 'Invoke' contains an invalid value 'Json' for configuration 'InputType'. Valid values are Literal and FilePath", false},
		{"S12", "UnknownActionType", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].ActionTypeId.Provider = aws.String("Nope")
		}, actionDecl, "ActionType (Category: 'Approval', Provider: 'Nope', Owner: 'AWS', Version: '1') in action 'Approve' is not available in region", false}, // AWS
		{"S13", "RunOrderZero", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].RunOrder = aws.Int32(0)
		}, validation, "1 validation error detected: Value '0' at 'pipeline.stages.2.member.actions.1.member.runOrder' failed to satisfy constraint: Member must have value greater than or equal to 1", false}, // AWS
		{"S13", "RunOrderTooHigh", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].RunOrder = aws.Int32(1000)
		}, validation, "1 validation error detected: Value '1000' at 'pipeline.stages.2.member.actions.1.member.runOrder' failed to satisfy constraint: Member must have value less than or equal to 999", false}, // AWS
		{"S14", "FiftyOneActionsInStage", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = many(51, func(i int) types.ActionDeclaration { return approvalDecl(fmt.Sprintf("A%d", i)) })
		}, stageDecl, "Stage 'Approve' has too many actions. There can only be up to 50 actions in a stage", false},
		{"S14", "FiveHundredOneActions", func(d *types.PipelineDeclaration) {
			d.Stages = d.Stages[:1]
			for s := range 11 {
				d.Stages = append(d.Stages, stage(fmt.Sprintf("S%d", s), many(50, func(i int) types.ActionDeclaration { return approvalDecl(fmt.Sprintf("A%d", i)) })...))
			}
		}, structure, "Pipeline has too many actions. There can only be up to 500 actions in a pipeline", false},
		{"S15", "BothArtifactStores", func(d *types.PipelineDeclaration) {
			d.ArtifactStores = map[string]types.ArtifactStore{"us-east-1": *d.ArtifactStore}
		}, structure, "Pipeline cannot contain both 'pipeline.artifactStore' and 'pipeline.artifactStores'", false},
		{"S15", "NoArtifactStore", func(d *types.PipelineDeclaration) { d.ArtifactStore = nil }, structure,
			"Pipeline must contain either 'pipeline.artifactStore' or 'pipeline.artifactStores'", false},
		{"S15", "CrossRegionWithOneStore", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].Region = aws.String("us-west-2")
		}, structure, "Your pipeline contains actions in more than one region. Use 'pipeline.artifactStores' instead of 'pipeline.artifactStore'.", false}, // AWS (its first sentence)
		{"S15", "StoresMissActionRegion", func(d *types.PipelineDeclaration) {
			d.ArtifactStores, d.ArtifactStore = map[string]types.ArtifactStore{"us-east-1": *d.ArtifactStore}, nil
			d.Stages[1].Actions[0].Region = aws.String("us-west-2")
		}, structure, "The following region is missing in 'pipeline.artifactStores': us-west-2.", false}, // AWS
		{"S15", "StoresMissPipelineRegion", func(d *types.PipelineDeclaration) {
			d.ArtifactStores, d.ArtifactStore = map[string]types.ArtifactStore{"us-west-2": *d.ArtifactStore}, nil
		}, structure, "The following region is missing in 'pipeline.artifactStores': us-east-1.", false}, // AWS
		{"S16", "CrossRegionSource", func(d *types.PipelineDeclaration) {
			d.ArtifactStores = map[string]types.ArtifactStore{"us-east-1": *d.ArtifactStore, "us-west-2": *d.ArtifactStore}
			d.ArtifactStore = nil
			d.Stages[0].Actions[0].Region = aws.String("us-west-2")
		}, actionDecl, "Action 'Source' cannot run in region 'us-west-2': source actions and actions owned by Custom or ThirdParty must run in the pipeline's region 'us-east-1'", false},
		{"S17", "VariablesOnV1", func(d *types.PipelineDeclaration) {
			d.Variables = []types.PipelineVariableDeclaration{{Name: aws.String("env"), DefaultValue: aws.String("dev")}}
		}, structure, "Pipeline variable can only be used with V2 pipelines", false}, // AWS
		{"S17", "TriggersOnV1", func(d *types.PipelineDeclaration) {
			d.Stages[0].Actions[0] = connectionSource("Source", "SourceArtifact")
			d.Triggers = []types.PipelineTriggerDeclaration{tagTrigger("Source")}
		}, structure, "Triggers on tag can only be used with V2 pipelines", false}, // AWS
		{"S17", "QueuedOnV1", func(d *types.PipelineDeclaration) { d.ExecutionMode = types.ExecutionModeQueued }, structure,
			"QUEUED or PARALLEL mode can only be used with V2 pipelines", false}, // AWS
		{"S17", "ParallelOnV1", func(d *types.PipelineDeclaration) { d.ExecutionMode = types.ExecutionModeParallel }, structure,
			"QUEUED or PARALLEL mode can only be used with V2 pipelines", false}, // AWS
		{"S17", "StageConditionsOnV1", func(d *types.PipelineDeclaration) {
			d.Stages[1].BeforeEntry = &types.BeforeEntryConditions{Conditions: []types.Condition{{Result: types.ResultFail, Rules: rule()}}}
		}, stageDecl, "Stage level conditions can only be used with V2 pipelines.", false}, // AWS
		{"S17", "CommandsOnV1", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions = []types.ActionDeclaration{{Name: aws.String("Run"), ActionTypeId: typeID(types.ActionCategoryCompute, types.ActionOwnerAws, "Commands"),
				Commands: []string{"make"}, InputArtifacts: []types.InputArtifact{{Name: aws.String("SourceArtifact")}}}}
		}, actionDecl, "Commands Action can only be used with V2 pipelines.", false}, // AWS
		{"S18", "ParallelWithRollback", func(d *types.PipelineDeclaration) {
			v2(d)
			d.ExecutionMode = types.ExecutionModeParallel
			d.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback}
		}, stageDecl, "Failure conditions with rollback result type cannot be added to a PARALLEL pipeline.", false}, // AWS
		{"S19", "OnFailureResultAndConditions", func(d *types.PipelineDeclaration) {
			v2(d)
			d.Stages[1].OnFailure = &types.FailureConditions{Result: types.ResultRollback,
				Conditions: []types.Condition{{Result: types.ResultRollback, Rules: rule()}}}
		}, stageDecl, "The following stage cannot have a failure exit gate configured with both top level result and conditions: 'Approve'", false}, // AWS
		{"S20", "DuplicateVariable", func(d *types.PipelineDeclaration) {
			v2(d)
			d.Variables = []types.PipelineVariableDeclaration{{Name: aws.String("env")}, {Name: aws.String("env")}}
		}, structure, "Variable names must be unique. The following variable name is already in use: env", false}, // AWS
		{"S21", "TriggerOnS3Source", func(d *types.PipelineDeclaration) {
			v2(d)
			d.Triggers = []types.PipelineTriggerDeclaration{tagTrigger("Source")}
		}, structure, "Triggers for connections must reference a CodeStarSourceConnection action.", false}, // AWS
		{"S21", "TwoTriggersOneAction", func(d *types.PipelineDeclaration) {
			v2(d)
			d.Stages[0].Actions[0] = connectionSource("Source", "SourceArtifact")
			d.Triggers = []types.PipelineTriggerDeclaration{tagTrigger("Source"), tagTrigger("Source")}
		}, structure, "Only one trigger can be configured for source action 'Source'", false},
		{"S21", "FourPushFilters", func(d *types.PipelineDeclaration) {
			v2(d)
			d.Stages[0].Actions[0] = connectionSource("Source", "SourceArtifact")
			t := tagTrigger("Source")
			t.GitConfiguration.Push = append(t.GitConfiguration.Push, t.GitConfiguration.Push[0], t.GitConfiguration.Push[0], t.GitConfiguration.Push[0])
			d.Triggers = []types.PipelineTriggerDeclaration{t}
		}, validation, `1 validation error detected: Value '[{"tags":{"includes":["v*"]}}, {"tags":{"includes":["v*"]}}, {"tags":{"includes":["v*"]}}, {"tags":{"includes":["v*"]}}]' at 'pipeline.triggers.1.member.gitConfiguration.push' failed to satisfy constraint: Member must have length less than or equal to 3`, false},
		{"S23", "NamespaceUsedTwice", func(d *types.PipelineDeclaration) {
			d.Stages[0].Actions[0].Namespace = aws.String("Vars")
			d.Stages[1].Actions[0].Namespace = aws.String("Vars")
		}, structure, "Namespace 'Vars' is used more than once", false},
		{"S23", "NamespaceIsArtifactName", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].Namespace = aws.String("SourceArtifact")
		}, structure, "Namespace 'SourceArtifact' in action 'Approve' is already used as an artifact name", false},
		{"S23", "ReservedNamespace", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].Namespace = aws.String("codepipeline")
		}, actionDecl, "Namespace 'codepipeline' in action 'Approve' is reserved", false},
		{"S23", "ReferenceToLaterAction", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].Configuration = map[string]string{"CustomData": "#{Later.Value}"}
			later := approvalDecl("Later")
			later.Namespace = aws.String("Later")
			d.Stages = append(d.Stages, stage("Last", later))
		}, actionDecl, "Action 'Approve' refers to the namespace 'Later' in configuration 'CustomData', but the action declaring it does not run before it", false},
		{"S23", "ReferenceToUnknownNamespace", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].Configuration = map[string]string{"CustomData": "#{Nowhere.Value}"}
		}, actionDecl, "Action 'Approve' refers to the namespace 'Nowhere' in configuration 'CustomData', which no action in the pipeline declares", false},
		{"S23", "PipelineVariablesOnV1", func(d *types.PipelineDeclaration) {
			d.Stages[1].Actions[0].Configuration = map[string]string{"CustomData": "#{variables.env}"}
		}, actionDecl, "Action 'Approve' refers to the namespace 'variables' in configuration 'CustomData', which no action in the pipeline declares", false},
		{"S24", "BadPipelineName", func(d *types.PipelineDeclaration) { d.Name = aws.String("bad name") }, validation,
			"1 validation error detected: Value 'bad name' at 'pipeline.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9.@\\-_]+", true},
		{"S24", "BadRoleArn", func(d *types.PipelineDeclaration) { d.RoleArn = aws.String("role") }, validation,
			"1 validation error detected: Value 'role' at 'pipeline.roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:aws(-[\\w]+)*:iam::[0-9]{12}:role/.*", false},
		{"S24", "BadCategory", func(d *types.PipelineDeclaration) { d.Stages[1].Actions[0].ActionTypeId.Category = "Magic" }, validation,
			"1 validation error detected: Value 'Magic' at 'pipeline.stages.2.member.actions.1.member.actionTypeId.category' failed to satisfy constraint: Member must satisfy enum value set: [Approval, Deploy, Build, Test, Compute, Invoke, Source]", false},
	}
}

// TestSDKValidationRules sends every broken declaration to CreatePipeline and, for an
// existing pipeline, UpdatePipeline: each gets the rule's exception and message, and
// neither call changes anything.
func TestSDKValidationRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("target")})
	require.NoError(t, err)
	for i, c := range validationCases() {
		t.Run(c.rule+"/"+c.name, func(t *testing.T) {
			check := func(err error) {
				t.Helper()
				var ae smithy.APIError
				require.True(t, errors.As(err, &ae), "want %s, got %v", c.code, err)
				require.Equal(t, c.code, ae.ErrorCode())
				require.Equal(t, c.message, ae.ErrorMessage())
			}
			name := fmt.Sprintf("case%d", i)
			d := declaration(name)
			c.mutate(d)
			_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: d})
			check(err)
			_, err = b.client.GetPipeline(ctx, &cp.GetPipelineInput{Name: aws.String(name)})
			var nf *types.PipelineNotFoundException
			require.ErrorAs(t, err, &nf)
			if c.createOnly {
				return
			}
			d = declaration("target")
			c.mutate(d)
			_, err = b.client.UpdatePipeline(ctx, &cp.UpdatePipelineInput{Pipeline: d})
			check(err)
		})
	}
	got, err := b.client.GetPipeline(ctx, &cp.GetPipelineInput{Name: aws.String("target")})
	require.NoError(t, err)
	require.Equal(t, int32(1), aws.ToInt32(got.Pipeline.Version))
	list, err := b.client.ListPipelines(ctx, &cp.ListPipelinesInput{})
	require.NoError(t, err)
	require.Len(t, list.Pipelines, 1)
}

// TestSDKPipelineNames covers S25: a name is taken once per account and region, and
// UpdatePipeline cannot create or rename.
func TestSDKPipelineNames(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	_, err := b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("taken")})
	require.NoError(t, err)
	_, err = b.client.CreatePipeline(ctx, &cp.CreatePipelineInput{Pipeline: declaration("taken")})
	var inUse *types.PipelineNameInUseException
	require.ErrorAs(t, err, &inUse)
	// UpdatePipeline's model lists no PipelineNotFoundException, so the SDK sees a
	// generic API error with that code.
	_, err = b.client.UpdatePipeline(ctx, &cp.UpdatePipelineInput{Pipeline: declaration("other")})
	var ae smithy.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, "PipelineNotFoundException", ae.ErrorCode())
	got, err := b.client.GetPipeline(ctx, &cp.GetPipelineInput{Name: aws.String("taken")})
	require.NoError(t, err)
	require.Equal(t, int32(1), aws.ToInt32(got.Pipeline.Version))
}
